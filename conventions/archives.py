"""The ZIP of the PDFs of a filtered convention list (README « Archive ZIP des conventions »). The list
page's button asks for it (`ConventionsZip`: a row `ArchiveConventions` and its job, in one
transaction); the worker builds it (`preparer`, job `conventions.taches.preparer_archive_conventions`),
stores it through `default_storage` under `archives/<jeton>.zip`, and tells the requester by e-mail
(outbox, same transaction as the « prête » status, or as the « échec » one with its French reason).
The progress page and the download are the requester's only, and only while every convention of the
archive is still in their scope.

A job run again (worker killed mid-way, then its job taken back) finds the row « en cours » and
rebuilds from scratch under the same file name: same entries, same SHA-256 list, same bytes (entries
dated by the request, not by the build); a row already « prête » or « échec » is left as it is, so
either e-mail leaves once."""

import hashlib
import io
import logging
import zipfile
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from commun.courriels import mettre_en_file
from commun.noms_fichiers import nom_de_fichier
from commun.taches import reprise_ou_echec
from conventions.filtres import ConventionFiltre
from conventions.models import ArchiveConventions, Convention, StatutArchive
from conventions.services import cycle as services

logger = logging.getLogger(__name__)

ARCHIVE_CONSERVATION = timedelta(days=1)  # then the file and its row are deleted
PROGRESSION_TOUTES_LES = 5  # conventions between two updates of the progress shown
NOM_EMPREINTES = "empreintes-sha256.txt"
SUJET_PRETE = "Votre archive de conventions est prête"
SUJET_ECHEC = "Votre archive de conventions n’a pas pu être préparée"
MESSAGE_ECHEC = "La préparation de l’archive a échoué : {raison} ; recommencez ou affinez les filtres."


class ConventionIllisible(Exception):
    """The PDF of one convention could not be produced: the reason names it."""


def conventions_visibles(user):
    return Convention.objects.for_user(user).select_related("poste__employeur", "poste__departement", "precedente")


def conventions_filtrees(user, filtres: str):
    """The conventions of the list page with these filters (its query string), in the user's scope."""
    filtre = ConventionFiltre(QueryDict(filtres), queryset=conventions_visibles(user), request=SimpleNamespace(user=user))
    return filtre.qs.order_by("numero")


def nom_fichier_pdf(convention: Convention, signe: bool) -> str:
    return nom_de_fichier(f"convention-{convention.numero}{'' if signe else '-projet'}", ".pdf")


def archive_zip(conventions, progression=None, horodatage=None) -> bytes:
    """A ZIP of the conventions' PDFs, with a SHA-256 list (`sha256sum -c` format). `progression(n)`
    is called every PROGRESSION_TOUTES_LES conventions; entries are dated `horodatage` (now if None)."""
    date_des_entrees = timezone.localtime(horodatage or timezone.now()).timetuple()[:6]
    tampon = io.BytesIO()
    empreintes = []

    def ecrire(nom, contenu, compression=zipfile.ZIP_DEFLATED):
        entree = zipfile.ZipInfo(nom, date_time=date_des_entrees)
        entree.compress_type = compression
        archive.writestr(entree, contenu)

    with zipfile.ZipFile(tampon, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rang, convention in enumerate(conventions, start=1):
            try:
                contenu, signe = services.pdf_de_la_convention(convention)
            except Exception as erreur:
                raise ConventionIllisible(f"le PDF de la convention {convention.numero} n’a pas pu être produit") from erreur
            nom = nom_fichier_pdf(convention, signe)
            # Stored as they are: a PDF's streams are compressed already, deflating them again gains nothing.
            ecrire(nom, contenu, zipfile.ZIP_STORED)
            empreintes.append(f"{hashlib.sha256(contenu).hexdigest()}  {nom}\n")
            if progression and rang % PROGRESSION_TOUTES_LES == 0:
                progression(rang)
        ecrire(NOM_EMPREINTES, "".join(empreintes))
    return tampon.getvalue()


def nom_du_fichier(archive: ArchiveConventions) -> str:
    return f"archives/{archive.jeton}.zip"


def lien_de_suivi(archive: ArchiveConventions) -> str:
    return settings.URL_SITE.rstrip("/") + reverse("conventions:archive", args=[archive.pk])


def raison_de_l_echec(erreur: Exception) -> str:
    if isinstance(erreur, ConventionIllisible):
        return str(erreur)
    return f"erreur inattendue ({type(erreur).__name__})"


def preparer(archive_id: int, dernier_essai: bool = True) -> str:
    """Build, store and mark ready the archive (the worker's job body); returns its status after.
    On an error: the row goes back to « en attente » (the job is retried), or, on the last attempt,
    to « échec » with a French message for the requester; the error is raised again either way."""
    archive = ArchiveConventions.objects.select_related("demandeur").filter(pk=archive_id).first()
    if archive is None or archive.terminee:
        return archive.statut if archive else ""
    with reprise_ou_echec(
        dernier_essai,
        reprise=lambda: ArchiveConventions.objects.filter(pk=archive.pk).update(statut=StatutArchive.EN_ATTENTE),
        echec=lambda erreur: marquer_l_echec(archive, MESSAGE_ECHEC.format(raison=raison_de_l_echec(erreur))),
        journal=f"Archive de conventions {archive.pk} : échec de la préparation",
    ):
        conventions = list(conventions_filtrees(archive.demandeur, archive.filtres))
        ArchiveConventions.objects.filter(pk=archive.pk).update(
            statut=StatutArchive.EN_COURS, faites=0, total=len(conventions), conventions=[c.pk for c in conventions]
        )

        def progression(faites):
            ArchiveConventions.objects.filter(pk=archive.pk).update(faites=faites)

        contenu = archive_zip(conventions, progression, horodatage=archive.demandee_le)
        nom = nom_du_fichier(archive)
        default_storage.delete(nom)  # a previous attempt's file, if it got that far
        nom = default_storage.save(nom, ContentFile(contenu))
        with transaction.atomic():
            verrouillee = ArchiveConventions.objects.select_for_update().get(pk=archive.pk)
            if verrouillee.terminee:  # another run finished first
                return verrouillee.statut
            verrouillee.statut, verrouillee.faites, verrouillee.fichier = StatutArchive.PRETE, len(conventions), nom
            verrouillee.sha256, verrouillee.terminee_le = hashlib.sha256(contenu).hexdigest(), timezone.now()
            verrouillee.save(update_fields=["statut", "faites", "fichier", "sha256", "terminee_le"])
            if archive.demandeur.email:
                mettre_en_file(
                    [archive.demandeur.email],
                    SUJET_PRETE,
                    "Bonjour,\n\nL’archive ZIP des conventions que vous avez demandée est prête. Téléchargez-la "
                    f"depuis cette page (elle est conservée un jour) :\n{lien_de_suivi(archive)}\n",
                )
        return StatutArchive.PRETE


def _enregistrer_l_echec(archive: ArchiveConventions, message: str) -> bool:
    """The « échec » status, in the caller's transaction; False when another run finished the row first."""
    verrouillee = ArchiveConventions.objects.select_for_update().get(pk=archive.pk)
    if verrouillee.terminee:
        return False
    verrouillee.statut, verrouillee.message_echec, verrouillee.terminee_le = StatutArchive.ECHEC, message, timezone.now()
    verrouillee.save(update_fields=["statut", "message_echec", "terminee_le"])
    return True


def marquer_l_echec(archive: ArchiveConventions, message: str) -> None:
    """The « échec » status and the e-mail that says why, in one transaction (the progress page told
    the requester they could leave it), so that the e-mail leaves once; a row already finished by
    another run is left as it is. When the e-mail cannot be queued, the status is saved alone: the
    job is not retried after its last attempt, and the page would otherwise say « en cours » for ever."""
    try:
        with transaction.atomic():
            if _enregistrer_l_echec(archive, message) and archive.demandeur.email:
                mettre_en_file(
                    [archive.demandeur.email],
                    SUJET_ECHEC,
                    f"Bonjour,\n\n{message}\n\nVotre demande reste visible sur cette page :\n{lien_de_suivi(archive)}\n",
                )
    except Exception:
        logger.exception("Archive de conventions %s : le courriel d’échec n’a pas pu être mis en file", archive.pk)
        with transaction.atomic():
            _enregistrer_l_echec(archive, message)


def archive_du_demandeur(user, pk: int) -> ArchiveConventions | None:
    """The archive if `user` asked for it and every convention in it is still in their scope."""
    archive = ArchiveConventions.objects.filter(pk=pk, demandeur=user).first()
    if archive is None:
        return None
    if archive.conventions:
        visibles = Convention.objects.for_user(user).filter(pk__in=archive.conventions).count()
        if visibles != len(archive.conventions):
            return None
    return archive


def supprimer_archives_anciennes(maintenant=None) -> int:
    """Delete the archives asked for more than ARCHIVE_CONSERVATION ago, file and row."""
    limite = (maintenant or timezone.now()) - ARCHIVE_CONSERVATION
    anciennes = list(ArchiveConventions.objects.filter(demandee_le__lt=limite))
    for archive in anciennes:
        default_storage.delete(nom_du_fichier(archive))
        archive.delete()
    return len(anciennes)
