"""Signed convention PDFs in the S3 object storage (a real S3 API on the loopback, tests/s3_local.py):
stored once with their SHA-256, read back through the storage and checked on every read, in the PDF
download and in the ZIP; an object altered in the bucket is never served."""

import hashlib
import io
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from conventions.archives import ConventionIllisible, preparer
from conventions.models import ArchiveConventions, Convention, StatutArchive
from conventions.services.cycle import PdfAltere, lire_pdf_stocke, signer
from tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signee(poste93, stockage_s3):
    convention = ConventionFactory(
        poste=poste93, numero="09324R000101-1", date_debut=date(2024, 7, 1), date_fin=date(2027, 6, 30)
    )
    return signer(convention, date_signature=date(2024, 6, 20), signataire="Le préfet", aujourd_hui=date(2024, 6, 25))


def test_le_pdf_signe_est_un_objet_du_compartiment_avec_son_empreinte(signee, stockage_s3):
    assert signee.pdf.name == "conventions/93/09324R000101-1.pdf"
    objets = stockage_s3.objets()
    assert list(objets) == [signee.pdf.name]
    assert hashlib.sha256(objets[signee.pdf.name]).hexdigest() == signee.pdf_sha256
    assert lire_pdf_stocke(Convention.objects.get(pk=signee.pk)) == objets[signee.pdf.name]


def test_le_pdf_signe_telecharge_est_l_objet_stocke(client, agent93, signee, stockage_s3):
    client.force_login(agent93)
    reponse = client.get(reverse("conventions:pdf", args=[signee.pk]))
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    assert reponse.content == stockage_s3.objets()[signee.pdf.name]
    assert hashlib.sha256(reponse.content).hexdigest() == signee.pdf_sha256


def test_un_objet_altere_dans_le_compartiment_est_detecte_et_jamais_servi(client, agent93, signee, stockage_s3):
    original = stockage_s3.objets()[signee.pdf.name]
    stockage_s3.ecrire(signee.pdf.name, original.replace(b"%%EOF", b"%%EOF\n% ajout"))
    with pytest.raises(PdfAltere, match="ne correspond plus à son empreinte"):
        lire_pdf_stocke(Convention.objects.get(pk=signee.pk))
    client.force_login(agent93)
    reponse = client.get(reverse("conventions:pdf", args=[signee.pk]), follow=True)
    assert reponse["Content-Type"].startswith("text/html")
    assert "ne correspond plus à son empreinte" in reponse.content.decode()
    # The ZIP is built by the worker (conventions/archives.py): its job fails and says why, nothing is stored.
    assert client.get(reverse("conventions:zip")).status_code == 302
    archive = ArchiveConventions.objects.get()
    with pytest.raises(ConventionIllisible):
        preparer(archive.pk)
    archive.refresh_from_db()
    assert archive.statut == StatutArchive.ECHEC and "La préparation de l’archive a échoué" in archive.message_echec
    assert not [nom for nom in stockage_s3.objets() if nom.startswith("archives/")]
    suivi = client.get(reverse("conventions:archive", args=[archive.pk])).content.decode()
    assert "La préparation de l’archive a échoué" in suivi


def test_le_zip_reprend_les_pdf_stockes_et_leurs_empreintes(client, agent93, signee, stockage_s3):
    client.force_login(agent93)
    assert client.get(reverse("conventions:zip")).status_code == 302
    demande = ArchiveConventions.objects.get()
    preparer(demande.pk)  # the worker's job body
    assert f"archives/{demande.jeton}.zip" in stockage_s3.objets()  # the archive itself is in the bucket
    telechargement = client.get(reverse("conventions:telecharger_archive", args=[demande.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(telechargement.streaming_content)))
    contenu = archive.read("convention-09324R000101-1.pdf")
    assert contenu == stockage_s3.objets()[signee.pdf.name]
    assert archive.read("empreintes-sha256.txt").decode() == f"{signee.pdf_sha256}  convention-09324R000101-1.pdf\n"


def test_archiver_les_pdf_ecrit_dans_le_compartiment(poste93, stockage_s3):
    convention = ConventionFactory(poste=poste93, statut="en_cours", date_signature=date(2024, 1, 1))
    assert not convention.pdf
    call_command("archiver_pdf_conventions", stdout=io.StringIO())
    convention.refresh_from_db()
    assert hashlib.sha256(stockage_s3.objets()[convention.pdf.name]).hexdigest() == convention.pdf_sha256


def test_l_administration_renvoie_vers_la_vue_jamais_vers_le_compartiment(client, admin_national, signee, stockage_s3):
    client.force_login(admin_national)
    page = client.get(reverse("admin:conventions_convention_change", args=[signee.pk])).content.decode()
    assert f'href="{reverse("conventions:pdf", args=[signee.pk])}"' in page and signee.pdf.name in page
    assert stockage_s3.serveur.url not in page and "X-Amz-Signature" not in page
