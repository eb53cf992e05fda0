"""Attachments of requests in the S3 object storage (a real S3 API on the loopback, tests/s3_local.py):
uploaded through the employer's page, stored as a private object under its random name, streamed back
through the scoped view identical, even by another instance, and deleted with the attachment."""

import os
import re

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.functional import empty

from demandes import services
from demandes.models import PieceJointe
from tests.factories import PDF_MINIMAL, EmployeurUserFactory

pytestmark = pytest.mark.django_db

# A PDF larger than the 4 MiB an object is kept in memory when read (commun/stockage.py MEMOIRE_MAX_S3).
GRAND_PDF = PDF_MINIMAL + os.urandom(5 * 1024 * 1024)


def nouvelle_instance():
    """What another process of the service would have: storages built afresh from the settings."""
    storages._storages = {}
    default_storage._wrapped = empty


def televerser(client, demande, nom, contenu):
    return client.post(
        reverse("demandes:etape", args=[demande.pk, "pieces"]),
        {"type_piece": "statuts", "fichier": SimpleUploadedFile(nom, contenu, content_type="application/pdf")},
    )


def test_piece_televersee_devient_un_objet_prive_du_compartiment(client, membre93, employeur93, stockage_s3):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    assert televerser(client, demande, "Statuts signés.pdf", PDF_MINIMAL).status_code == 302
    piece = PieceJointe.objects.get()
    assert re.fullmatch(r"demandes/\d{4}/[0-9a-f]{32}\.pdf", piece.fichier.name)
    assert stockage_s3.objets() == {piece.fichier.name: PDF_MINIMAL}
    (autorisation,) = stockage_s3.acl(piece.fichier.name)["Grants"]  # private: the owner only, nobody else
    assert autorisation["Permission"] == "FULL_CONTROL" and autorisation["Grantee"]["Type"] == "CanonicalUser"


def test_piece_relue_identique_par_la_vue_d_une_autre_instance(client, membre93, employeur93, stockage_s3):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    televerser(client, demande, "statuts.pdf", GRAND_PDF)
    piece = PieceJointe.objects.get()

    nouvelle_instance()
    collegue = EmployeurUserFactory(employeurs=[employeur93])
    client.force_login(collegue)
    reponse = client.get(reverse("demandes:piece", args=[piece.pk]))
    assert reponse.status_code == 200 and reponse.streaming  # streamed through the view, never a redirect
    assert b"".join(reponse.streaming_content) == GRAND_PDF
    assert reponse["Content-Disposition"] == 'attachment; filename="statuts.pdf"'
    assert reponse["X-Content-Type-Options"] == "nosniff"


def test_piece_hors_perimetre_introuvable_meme_dans_le_compartiment(client, membre93, employeur93, employeur69, stockage_s3):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    televerser(client, demande, "statuts.pdf", PDF_MINIMAL)
    client.force_login(EmployeurUserFactory(employeurs=[employeur69]))
    assert client.get(reverse("demandes:piece", args=[PieceJointe.objects.get().pk])).status_code == 404


def test_objet_disparu_du_compartiment_repond_404(client, membre93, employeur93, stockage_s3):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    televerser(client, demande, "statuts.pdf", PDF_MINIMAL)
    piece = PieceJointe.objects.get()
    stockage_s3.serveur.client().delete_object(Bucket=stockage_s3.nom, Key=piece.fichier.name)
    assert client.get(reverse("demandes:piece", args=[piece.pk])).status_code == 404


def test_suppression_d_une_piece_supprime_l_objet(client, membre93, employeur93, stockage_s3, django_capture_on_commit_callbacks):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    televerser(client, demande, "statuts.pdf", PDF_MINIMAL)
    televerser(client, demande, "statuts-bis.pdf", PDF_MINIMAL + b"bis")
    premiere, seconde = PieceJointe.objects.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("demandes:etape", args=[demande.pk, "pieces"]), {"supprimer": premiere.pk})
    assert stockage_s3.objets() == {seconde.fichier.name: PDF_MINIMAL + b"bis"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("demandes:supprimer", args=[demande.pk]))
    assert stockage_s3.objets() == {}
