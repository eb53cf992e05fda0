"""The ZIP of conventions with a real worker process (`manage.py procrastinate worker`, tests/worker.py):
asked for through the list's button, prepared by the worker, announced by e-mail, downloaded; a
worker killed with SIGKILL in the middle of an archive loses nothing and announces it once."""

import hashlib
import io
import time
import zipfile
from datetime import date
from email import message_from_string

import pytest
from django.db import transaction
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from conventions.archives import PROGRESSION_TOUTES_LES
from conventions.models import ArchiveConventions, Convention, StatutArchive
from tests.factories import ConventionFactory
from tests.worker import attendre

pytestmark = pytest.mark.django_db(transaction=True)


def corps_recus(serveur_smtp) -> list:
    """(recipients, decoded body) of each message the SMTP server received."""
    return [
        (destinataires, message_from_string(contenu).get_payload(decode=True).decode())
        for destinataires, contenu in list(serveur_smtp.recus)
    ]


def test_archive_demandee_par_la_page_preparee_par_le_worker_puis_telechargee(client, monde, worker, serveur_smtp, settings):
    ConventionFactory(poste=monde.poste93, numero="PROJET-93", date_debut=date(2027, 1, 1), date_fin=date(2029, 12, 31))
    client.force_login(monde.agent93)
    reponse = client.get(reverse("conventions:zip"))
    archive = ArchiveConventions.objects.get()
    assert reponse.url == reverse("conventions:archive", args=[archive.pk])
    w = worker(MEDIA_ROOT=str(settings.MEDIA_ROOT), URL_SITE="https://adultes-relais.exemple.gouv.fr")
    fin = time.monotonic() + 60
    while time.monotonic() < fin and not archive.terminee:
        time.sleep(0.2)
        archive.refresh_from_db()
    assert archive.statut == StatutArchive.PRETE, w.lire_journal()
    assert "L’archive est prête" in client.get(reponse.url).content.decode()
    telechargement = client.get(reverse("conventions:telecharger_archive", args=[archive.pk]))
    noms = zipfile.ZipFile(io.BytesIO(b"".join(telechargement.streaming_content))).namelist()
    assert noms == ["convention-PROJET-93-projet.pdf", "convention-SIGNEE-93.pdf", "empreintes-sha256.txt"]
    lien = f"https://adultes-relais.exemple.gouv.fr/conventions/archives/{archive.pk}/"
    while time.monotonic() < fin and not any(lien in corps for _, corps in corps_recus(serveur_smtp)):
        time.sleep(0.2)
    assert [destinataires for destinataires, corps in corps_recus(serveur_smtp) if lien in corps] == [[monde.agent93.email]], (
        w.lire_journal()
    )


def test_worker_tue_au_milieu_de_l_archive_puis_relance_la_termine_une_fois(client, monde, worker, serveur_smtp, settings):
    """The kill happens mid-archive without a test-only hook in the worker: the signed convention,
    last by number, has no stored PDF yet, and the job takes its row lock to store it (as every first
    reading of a signed PDF does); the test holds that lock, so the worker has written the drafts'
    PDFs and its progress when it is killed."""
    projets = [
        ConventionFactory(
            poste=monde.poste93, numero=f"PROJET-93{rang}", date_debut=date(2027, 1, 1), date_fin=date(2029, 12, 31)
        )
        for rang in range(1, PROGRESSION_TOUTES_LES + 1)
    ]
    assert not monde.convention93.pdf
    client.force_login(monde.agent93)
    reponse = client.get(reverse("conventions:zip"))
    archive = ArchiveConventions.objects.get()
    variables = {"MEDIA_ROOT": str(settings.MEDIA_ROOT), "URL_SITE": "https://adultes-relais.exemple.gouv.fr"}

    def statuts():
        return list(
            ProcrastinateJob.objects.filter(task_name="conventions.preparer_archive_conventions").values_list("status", flat=True)
        )

    with transaction.atomic():
        Convention.objects.select_for_update().get(pk=monde.convention93.pk)
        premier = worker(**variables)

        def au_milieu():
            archive.refresh_from_db()
            return archive.statut == StatutArchive.EN_COURS and archive.faites == len(projets) and statuts() == ["doing"]

        attendre(au_milieu, message=lambda: f"{archive.statut} {archive.faites} {statuts()} {premier.lire_journal()[-3000:]}")
        premier.tuer()
    archive.refresh_from_db()
    assert archive.statut == StatutArchive.EN_COURS and serveur_smtp.recus == []

    second = worker(**variables)  # a new worker process (the platform restarts it)
    attendre(lambda: statuts() == ["succeeded"], message=lambda: f"{statuts()} {second.lire_journal()[-3000:]}")
    assert "ne donne plus signe de vie" in second.lire_journal()
    archive.refresh_from_db()
    assert archive.statut == StatutArchive.PRETE and archive.faites == archive.total == len(projets) + 1
    lien = f"https://adultes-relais.exemple.gouv.fr/conventions/archives/{archive.pk}/"
    attendre(lambda: any(lien in corps for _, corps in corps_recus(serveur_smtp)), message=second.lire_journal)
    time.sleep(1)  # room for a second message, had there been one
    assert [destinataires for destinataires, corps in corps_recus(serveur_smtp) if lien in corps] == [[monde.agent93.email]]
    terminee_le = archive.terminee_le
    archive.refresh_from_db()
    assert archive.terminee_le == terminee_le  # « prête » once, not overwritten by another run

    telechargement = client.get(reponse.url + "telecharger/")
    contenu = b"".join(telechargement.streaming_content)
    assert hashlib.sha256(contenu).hexdigest() == archive.sha256
    zip_ = zipfile.ZipFile(io.BytesIO(contenu))
    noms = [f"convention-{p.numero}-projet.pdf" for p in projets] + ["convention-SIGNEE-93.pdf"]
    assert zip_.namelist() == [*noms, "empreintes-sha256.txt"]
    assert zip_.read("empreintes-sha256.txt").decode() == "".join(
        f"{hashlib.sha256(zip_.read(nom)).hexdigest()}  {nom}\n" for nom in noms
    )
    monde.convention93.refresh_from_db()
    assert zip_.read("convention-SIGNEE-93.pdf") == monde.convention93.pdf.read()  # stored once, by the second run
