"""The steps of an import asked for on the page, as the worker runs them (README « Importer des
postes »; the jobs are in importation/taches.py).

1. `analyser`: read the uploaded file once, check every line without writing (the preview), keep the
   table it gave and the rejected lines, forget the uploaded bytes; the row shows the progress.
2. The person confirms (`taches.confirmer_import`).
3. `ecrire`: the real import of the kept table, under lock, in one transaction with the row's
   « terminé ». When nothing could be written (rejected lines, and not « partiel »), the row goes back
   to « aperçu » with that result, and the person may confirm again with « Importer les lignes valides ».

A job run again (worker killed, then its job taken back) finds the row where the last commit left it:
the preview is computed again from the uploaded bytes, still there until it is saved; the write is
redone whole, since it had been rolled back; a row already past that step is left alone, so the
import happens once."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from commun.taches import reprise_ou_echec
from importation import depot
from importation.lecture import FichierIllisible, lire_table
from importation.models import ImportPostes, StatutImport
from importation.moteur import Perimetre
from importation.services import fichier_rejets, importer_postes

# What the page says of each step of the engine's progress (importation/moteur.py `Analyse.executer`).
ETAPES = {"lecture": "Lecture des lignes", "vérification": "Vérification des lignes en base"}
ETAPE_FICHIER = "Lecture du fichier"
ETAPE_ECRITURE = "Nouvelle vérification sous verrou et écriture"
MESSAGE_PERIME = "Le fichier déposé n’est plus disponible (un import est conservé un jour) : déposez-le de nouveau."
MESSAGE_ECHEC = "{etape} a échoué (erreur inattendue) : déposez le fichier de nouveau ; si l’échec se répète, signalez-le."


def _mettre_a_jour(import_id: int, **champs):
    ImportPostes.objects.filter(pk=import_id).update(**champs)


def _echec(import_id: int, message: str):
    _mettre_a_jour(import_id, statut=StatutImport.ECHEC, message_echec=message, etape="", termine_le=timezone.now())


def _reprise_ou_echec(import_id: int, dernier_essai: bool, etape: str, reprise: StatutImport):
    """On an unexpected error, the row waits for the next attempt (status `reprise`), or, after the
    last, says it failed (commun.taches.reprise_ou_echec)."""
    return reprise_ou_echec(
        dernier_essai,
        reprise=lambda: _mettre_a_jour(import_id, statut=reprise),
        echec=lambda erreur: _echec(import_id, MESSAGE_ECHEC.format(etape=etape)),
        journal=f"Import de postes {import_id} : {etape.lower()} a échoué",
    )


def _progression(import_id: int):
    def progression(faites, total, etape):
        _mettre_a_jour(import_id, faites=faites, total=total, etape=ETAPES.get(etape, etape))

    return progression


def analyser(import_id: int, dernier_essai: bool = True) -> str:
    """Step 1 (the job `importation.analyser_import`); returns the row's status after it."""
    imp = ImportPostes.objects.select_related("demandeur").filter(pk=import_id).first()
    if imp is None or imp.statut not in (StatutImport.EN_ATTENTE, StatutImport.ANALYSE):
        return imp.statut if imp else ""
    utilisateur = imp.demandeur
    _mettre_a_jour(imp.pk, statut=StatutImport.ANALYSE, etape=ETAPE_FICHIER, faites=0, total=0)
    with _reprise_ou_echec(imp.pk, dernier_essai, "La vérification du fichier", reprise=StatutImport.EN_ATTENTE):
        try:
            contenu = depot.lire_depot(utilisateur, imp.jeton, imp.nom)
        except depot.DepotIntrouvable:
            _echec(imp.pk, MESSAGE_PERIME)
            return StatutImport.ECHEC
        try:
            table = lire_table(contenu, imp.nom, lignes_max=settings.IMPORT_POSTES_LIGNES_MAX)
        except FichierIllisible as exc:
            # The file's own fault: said to the person at once, never retried.
            _echec(imp.pk, f"Fichier illisible : {exc}")
            depot.supprimer(utilisateur, imp.jeton)
            return StatutImport.ECHEC
        _mettre_a_jour(imp.pk, total=len(table.lignes))
        rapport = importer_postes(table, Perimetre(utilisateur), dry_run=True, progression=_progression(imp.pk))
        depot.enregistrer_table(utilisateur, imp.jeton, table)
        if rapport.rejetes:
            depot.enregistrer_rejets(utilisateur, imp.jeton, fichier_rejets(table, rapport))
        ImportPostes.objects.filter(pk=imp.pk, statut=StatutImport.ANALYSE).update(
            statut=StatutImport.APERCU, apercu=rapport.as_dict(), etape="", faites=len(table.lignes), total=len(table.lignes)
        )
        depot.oublier_depot(utilisateur, imp.jeton, imp.nom)
        return StatutImport.APERCU


def ecrire(import_id: int, dernier_essai: bool = True) -> str:
    """Step 3 (the job `importation.ecrire_import`); returns the row's status after it."""
    imp = ImportPostes.objects.select_related("demandeur").filter(pk=import_id).first()
    if imp is None or imp.statut not in (StatutImport.CONFIRME, StatutImport.ECRITURE):
        return imp.statut if imp else ""
    utilisateur = imp.demandeur
    # Inside the write's transaction the engine's progress would not be seen: the page shows the step.
    _mettre_a_jour(imp.pk, statut=StatutImport.ECRITURE, etape=ETAPE_ECRITURE, faites=0)
    with _reprise_ou_echec(imp.pk, dernier_essai, "L’écriture de l’import (rien n’a été écrit)", reprise=StatutImport.CONFIRME):
        try:
            table = depot.lire(utilisateur, imp.jeton)
        except depot.DepotIntrouvable:
            _echec(imp.pk, MESSAGE_PERIME)
            return StatutImport.ECHEC
        with transaction.atomic():
            verrouille = ImportPostes.objects.select_for_update().get(pk=imp.pk)
            if verrouille.statut != StatutImport.ECRITURE:  # another run finished first
                return verrouille.statut
            rapport = importer_postes(table, Perimetre(utilisateur), partiel=imp.partiel, utilisateur=utilisateur)
            if rapport.rejetes:
                depot.enregistrer_rejets(utilisateur, imp.jeton, fichier_rejets(table, rapport))
            verrouille.resultat, verrouille.etape, verrouille.faites = rapport.as_dict(), "", verrouille.total
            if rapport.ecrit:
                verrouille.statut, verrouille.termine_le = StatutImport.TERMINE, timezone.now()
            else:
                verrouille.statut = StatutImport.APERCU
            verrouille.save(update_fields=["resultat", "etape", "faites", "statut", "termine_le"])
        if rapport.ecrit:
            depot.oublier_table(utilisateur, imp.jeton)
        return verrouille.statut


def supprimer_imports_anciens(maintenant=None) -> int:
    """Delete the imports uploaded more than a day ago that no step is running, folder and row."""
    limite = (maintenant or timezone.now()) - timedelta(seconds=depot.DUREE_CONSERVATION)
    anciens = list(
        ImportPostes.objects.filter(depose_le__lt=limite)
        .exclude(statut__in=[StatutImport.ANALYSE, StatutImport.ECRITURE])
        .select_related("demandeur")
    )
    for imp in anciens:
        depot.supprimer(imp.demandeur, imp.jeton)
        imp.delete()
    return len(anciens)
