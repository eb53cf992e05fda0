"""The ZIP of conventions with a real worker process (`manage.py procrastinate worker`, tests/worker.py):
asked for through the list's button, prepared by the worker, announced by e-mail, downloaded."""

import io
import time
import zipfile
from datetime import date
from email import message_from_string

import pytest
from django.urls import reverse

from conventions.models import ArchiveConventions, StatutArchive
from tests.factories import ConventionFactory

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
