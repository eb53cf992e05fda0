"""The ZIP of a filtered convention list, built by the worker (conventions/archives.py): the request
only records the demand and its job; the job's body builds the same ZIP as before (entries, SHA-256
list), tells the requester, says why in French when it fails; only the requester, while in scope,
sees the progress and downloads; archives older than a day are removed. The same path with a real
worker process: tests/conventions/test_archive_zip_worker.py."""

import hashlib
import io
import zipfile
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from commun.models import Courriel
from commun.vues import RAFRAICHIR_S
from conventions import archives
from conventions.archives import archive_zip, conventions_filtrees, preparer, supprimer_archives_anciennes
from conventions.models import ArchiveConventions, StatutArchive
from conventions.services import cycle
from conventions.taches import ARCHIVE_RELANCES, preparer_archive_conventions
from tests.factories import AgentFactory, ConventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def projet93(monde):
    return ConventionFactory(poste=monde.poste93, numero="PROJET-93", date_debut=date(2027, 1, 1), date_fin=date(2029, 12, 31))


def courriels_d_archive():
    return Courriel.objects.filter(sujet="Votre archive de conventions est prête")


def courriels_d_echec():
    return Courriel.objects.filter(sujet="Votre archive de conventions n’a pas pu être préparée")


def demander(client, parametres=None) -> ArchiveConventions:
    reponse = client.get(reverse("conventions:zip"), parametres or {})
    assert reponse.status_code == 302
    archive = ArchiveConventions.objects.latest("pk")
    assert reponse.url == reverse("conventions:archive", args=[archive.pk])
    return archive


def contenu_telecharge(client, archive) -> bytes:
    reponse = client.get(reverse("conventions:telecharger_archive", args=[archive.pk]))
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/zip"
    return b"".join(reponse.streaming_content)


def test_la_demande_ne_produit_aucun_pdf_et_ecrit_une_ligne_et_une_tache(
    client, monde, projet93, monkeypatch, django_assert_max_num_queries
):
    def interdit(convention):
        raise AssertionError("un PDF produit pendant la requête")

    monkeypatch.setattr(cycle, "pdf_de_la_convention", interdit)
    client.force_login(monde.agent93)
    with django_assert_max_num_queries(12):
        archive = demander(client, {"statut": "en_cours"})
    assert ArchiveConventions.objects.count() == 1
    assert archive.demandeur == monde.agent93 and archive.statut == StatutArchive.EN_ATTENTE
    assert archive.filtres == "statut=en_cours"
    taches = ProcrastinateJob.objects.filter(task_name="conventions.preparer_archive_conventions")
    assert list(taches.values_list("args", "status")) == [({"archive_id": archive.pk}, "todo")]


def test_la_page_de_suivi_se_rafraichit_et_montre_l_avancement(client, monde, projet93):
    client.force_login(monde.agent93)
    archive = demander(client)
    html = client.get(reverse("conventions:archive", args=[archive.pk])).content.decode()
    assert f'data-suivi="{RAFRAICHIR_S}"' in html and "js/suivi" in html and "en attente de préparation" in html
    # Waiting, the bar has no value (indeterminate) and the same name as when counting.
    assert '<progress class="ar-progression" aria-labelledby="progression-archive-texte">en attente</progress>' in html
    assert 'http-equiv="refresh"' not in html  # RGAA 13.1: the progress zone is updated in place (static/js/suivi.js)
    ArchiveConventions.objects.filter(pk=archive.pk).update(statut=StatutArchive.EN_COURS, faites=1, total=2)
    html = client.get(reverse("conventions:archive", args=[archive.pk])).content.decode()
    assert '<p id="progression-archive-texte">Préparation en cours\u00a0: 1 convention sur 2.</p>' in html
    assert '<progress class="ar-progression" aria-labelledby="progression-archive-texte" max="2" value="1">' in html
    assert f'data-suivi="{RAFRAICHIR_S}"' in html
    assert client.get(reverse("conventions:telecharger_archive", args=[archive.pk])).status_code == 404


def test_la_tache_construit_la_meme_archive_qu_avant_et_previent_le_demandeur(client, monde, projet93):
    client.force_login(monde.agent93)
    archive = demander(client)
    assert preparer(archive.pk) == StatutArchive.PRETE
    archive.refresh_from_db()
    contenu = contenu_telecharge(client, archive)
    attendu = archive_zip(conventions_filtrees(monde.agent93, ""), horodatage=archive.demandee_le)
    assert contenu == attendu
    zip_ = zipfile.ZipFile(io.BytesIO(contenu))
    assert zip_.namelist() == ["convention-PROJET-93-projet.pdf", "convention-SIGNEE-93.pdf", "empreintes-sha256.txt"]
    empreintes = zip_.read("empreintes-sha256.txt").decode()
    assert empreintes == "".join(f"{hashlib.sha256(zip_.read(nom)).hexdigest()}  {nom}\n" for nom in zip_.namelist()[:-1])
    assert archive.sha256 == hashlib.sha256(contenu).hexdigest()
    assert (archive.faites, archive.total, archive.terminee_le is not None) == (2, 2, True)
    assert archive.fichier == f"archives/{archive.jeton}.zip"
    courriel = courriels_d_archive().get()
    assert courriel.destinataires == [monde.agent93.email]
    assert f"/conventions/archives/{archive.pk}/" in courriel.corps and "SIGNEE" not in courriel.corps
    html = client.get(reverse("conventions:archive", args=[archive.pk])).content.decode()
    assert "L’archive est prête" in html and "refresh" not in html
    assert reverse("conventions:telecharger_archive", args=[archive.pk]) in html


def test_la_tache_relancee_reconstruit_la_meme_archive_et_ne_previent_qu_une_fois(client, monde, projet93):
    client.force_login(monde.agent93)
    archive = demander(client)
    preparer(archive.pk)
    archive.refresh_from_db()
    premiere = contenu_telecharge(client, archive)
    assert preparer(archive.pk) == StatutArchive.PRETE  # run again once ready: nothing changes
    assert courriels_d_archive().count() == 1
    # As after a worker killed mid-way: the row is « en cours », half done; the job runs again.
    ArchiveConventions.objects.filter(pk=archive.pk).update(
        statut=StatutArchive.EN_COURS, faites=1, fichier="", sha256="", terminee_le=None
    )
    assert preparer(archive.pk) == StatutArchive.PRETE
    archive.refresh_from_db()
    assert contenu_telecharge(client, archive) == premiere
    assert archive.sha256 == hashlib.sha256(premiere).hexdigest()
    assert default_storage.listdir("archives")[1] == [f"{archive.jeton}.zip"]


def test_un_echec_dit_pourquoi_en_francais_apres_le_dernier_essai(client, monde, projet93, monkeypatch):
    def en_panne(convention):
        raise OSError("disque plein")

    client.force_login(monde.agent93)
    archive = demander(client)
    monkeypatch.setattr(cycle, "pdf_de_la_convention", en_panne)
    with pytest.raises(archives.ConventionIllisible):
        preparer(archive.pk, dernier_essai=False)
    archive.refresh_from_db()
    assert archive.statut == StatutArchive.EN_ATTENTE and archive.message_echec == ""
    with pytest.raises(archives.ConventionIllisible):
        preparer(archive.pk, dernier_essai=True)
    archive.refresh_from_db()
    assert archive.statut == StatutArchive.ECHEC
    assert archive.message_echec == (
        "La préparation de l’archive a échoué : le PDF de la convention PROJET-93 n’a pas pu être produit ; "
        "recommencez ou affinez les filtres."
    )
    html = client.get(reverse("conventions:archive", args=[archive.pk])).content.decode()
    assert "le PDF de la convention PROJET-93 n’a pas pu être produit" in html and "refresh" not in html
    assert not courriels_d_archive().exists()


def test_un_echec_est_dit_au_demandeur_par_un_courriel_en_francais_avec_le_lien(
    client, monde, projet93, monkeypatch, settings, django_capture_on_commit_callbacks
):
    def en_panne(convention):
        raise OSError("disque plein")

    settings.URL_SITE = "https://adultes-relais.exemple.gouv.fr"
    client.force_login(monde.agent93)
    archive = demander(client)
    monkeypatch.setattr(cycle, "pdf_de_la_convention", en_panne)
    with pytest.raises(archives.ConventionIllisible), django_capture_on_commit_callbacks(execute=True):
        preparer(archive.pk, dernier_essai=False)
    assert not courriels_d_echec().exists()  # the job will be tried again: nobody is told yet
    with pytest.raises(archives.ConventionIllisible), django_capture_on_commit_callbacks(execute=True):
        preparer(archive.pk, dernier_essai=True)
    (message,) = mail.outbox
    assert message.to == [monde.agent93.email]
    assert message.subject == "Votre archive de conventions n’a pas pu être préparée"
    assert "La préparation de l’archive a échoué : le PDF de la convention PROJET-93 n’a pas pu être produit" in message.body
    assert f"https://adultes-relais.exemple.gouv.fr/conventions/archives/{archive.pk}/" in message.body
    assert "OSError" not in message.body and "disque plein" not in message.body  # nothing internal
    # Run again after its failure (a worker killed before the queue heard of it): no second message.
    assert preparer(archive.pk, dernier_essai=True) == StatutArchive.ECHEC
    assert courriels_d_echec().count() == 1


def test_l_echec_est_enregistre_meme_si_son_courriel_ne_peut_pas_etre_mis_en_file(client, monde, projet93, monkeypatch):
    def en_panne(convention):
        raise OSError("disque plein")

    def file_en_panne(*arguments):
        raise RuntimeError("la file d’envoi ne répond pas")

    client.force_login(monde.agent93)
    archive = demander(client)
    monkeypatch.setattr(cycle, "pdf_de_la_convention", en_panne)
    monkeypatch.setattr(archives, "mettre_en_file", file_en_panne)
    # The job's own error is the one raised: the queue records why the archive failed.
    with pytest.raises(archives.ConventionIllisible):
        preparer(archive.pk, dernier_essai=True)
    archive.refresh_from_db()
    assert archive.statut == StatutArchive.ECHEC and "PROJET-93 n’a pas pu être produit" in archive.message_echec
    html = client.get(reverse("conventions:archive", args=[archive.pk])).content.decode()
    assert "data-suivi" not in html and "PROJET-93 n’a pas pu être produit" in html  # no more « en cours »
    assert not courriels_d_echec().exists()


@pytest.mark.parametrize("essais_passes,statut", [(0, StatutArchive.EN_ATTENTE), (ARCHIVE_RELANCES, StatutArchive.ECHEC)])
def test_la_tache_ne_marque_l_echec_qu_au_dernier_essai(client, monde, projet93, monkeypatch, essais_passes, statut):
    def en_panne(convention):
        raise OSError("disque plein")

    client.force_login(monde.agent93)
    archive = demander(client)
    monkeypatch.setattr(cycle, "pdf_de_la_convention", en_panne)
    contexte = SimpleNamespace(job=SimpleNamespace(attempts=essais_passes))
    with pytest.raises(archives.ConventionIllisible):
        preparer_archive_conventions(contexte, archive_id=archive.pk)
    archive.refresh_from_db()
    assert archive.statut == statut


def test_seul_le_demandeur_voit_le_suivi_et_telecharge(client, monde, projet93):
    client.force_login(monde.agent93)
    archive = demander(client)
    preparer(archive.pk)
    suivi = reverse("conventions:archive", args=[archive.pk])
    telechargement = reverse("conventions:telecharger_archive", args=[archive.pk])
    collegue = AgentFactory(departements=[monde.dep93])
    for autre in (collegue, monde.agent69, monde.admin_national, monde.membre93):
        client.force_login(autre)
        for url in (suivi, telechargement):
            reponse = client.get(url)
            assert reponse.status_code == 404, (autre, url)
    assert "Page introuvable" in client.get(suivi).content.decode()


def test_le_demandeur_sorti_du_perimetre_ne_telecharge_plus(client, monde, projet93):
    client.force_login(monde.agent93)
    archive = demander(client)
    preparer(archive.pk)
    monde.agent93.departements.set([monde.dep69])
    assert client.get(reverse("conventions:archive", args=[archive.pk])).status_code == 404
    assert client.get(reverse("conventions:telecharger_archive", args=[archive.pk])).status_code == 404


def test_les_archives_de_plus_d_un_jour_sont_supprimees(client, monde, projet93):
    client.force_login(monde.agent93)
    ancienne, recente = demander(client), demander(client)
    preparer(ancienne.pk)
    preparer(recente.pk)
    ArchiveConventions.objects.filter(pk=ancienne.pk).update(demandee_le=timezone.now() - timedelta(days=1, minutes=1))
    assert supprimer_archives_anciennes() == 1
    assert list(ArchiveConventions.objects.values_list("pk", flat=True)) == [recente.pk]
    recente.refresh_from_db()
    assert default_storage.listdir("archives")[1] == [f"{recente.jeton}.zip"]
