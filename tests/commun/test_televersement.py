"""Uploads are checked by their content (magic bytes), not by name or declared type."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commun.televersement import (
    chemin_aleatoire,
    detecter_format,
    erreur_fichier,
    nom_sur,
    taille_lisible,
    valider_fichier,
)
from tests.factories import EXECUTABLE, JPEG_MINIMAL, PDF_MINIMAL, PNG_MINIMAL

MAX = 10 * 1024 * 1024


def test_format_detecte_par_les_premiers_octets():
    assert detecter_format(PDF_MINIMAL).type_mime == "application/pdf"
    assert detecter_format(PNG_MINIMAL).type_mime == "image/png"
    assert detecter_format(JPEG_MINIMAL).type_mime == "image/jpeg"
    assert detecter_format(EXECUTABLE) is None
    assert detecter_format(b"PK\x03\x04 un fichier zip") is None
    assert detecter_format(b"") is None


def test_pdf_renomme_en_exe_refuse_car_le_nom_ment():
    message, format_ = erreur_fichier("statuts.exe", len(PDF_MINIMAL), PDF_MINIMAL, MAX)
    assert format_.type_mime == "application/pdf"
    assert (
        message == "Le nom du fichier « statuts.exe » ne correspond pas à son contenu (PDF) : renommez-le avec l’extension .pdf."
    )


def test_executable_renomme_en_pdf_refuse_car_le_contenu_ment():
    message, format_ = erreur_fichier("statuts.pdf", len(EXECUTABLE), EXECUTABLE, MAX)
    assert format_ is None
    assert "n’est ni un PDF ni une image PNG ou JPEG" in message


def test_fichiers_acceptes_quelle_que_soit_la_casse_de_l_extension():
    assert erreur_fichier("Budget.PDF", 100, PDF_MINIMAL, MAX)[0] is None
    assert erreur_fichier("photo.jpeg", 100, JPEG_MINIMAL, MAX)[0] is None
    assert erreur_fichier("photo.jpg", 100, JPEG_MINIMAL, MAX)[0] is None
    assert erreur_fichier("scan.png", 100, PNG_MINIMAL, MAX)[0] is None


def test_fichier_trop_gros_ou_vide_refuse():
    assert erreur_fichier("gros.pdf", MAX + 1, PDF_MINIMAL, MAX)[0] == (
        "Le fichier « gros.pdf » pèse 10\u00a0Mo : la taille maximale est de 10\u00a0Mo."
    )
    assert "est vide" in erreur_fichier("vide.pdf", 0, b"", MAX)[0]


def test_taille_lisible_en_francais():
    assert taille_lisible(10 * 1024 * 1024) == "10\u00a0Mo"
    assert taille_lisible(1536) == "1,5\u00a0Ko"
    assert taille_lisible(1) == "1\u00a0octet"


def test_valider_fichier_ignore_le_type_declare_par_le_navigateur():
    faux = SimpleUploadedFile("budget.pdf", EXECUTABLE, content_type="application/pdf")
    with pytest.raises(ValidationError):
        valider_fichier(faux, MAX)
    vrai = SimpleUploadedFile("budget.pdf", PDF_MINIMAL, content_type="application/x-msdownload")
    assert valider_fichier(vrai, MAX).type_mime == "application/pdf"
    assert vrai.read() == PDF_MINIMAL  # the file is read from its start afterwards


def test_valider_fichier_applique_le_reglage_de_taille(settings):
    settings.PIECES_JOINTES_TAILLE_MAX = 10
    with pytest.raises(ValidationError, match="taille maximale"):
        valider_fichier(SimpleUploadedFile("budget.pdf", PDF_MINIMAL))


def test_nom_de_stockage_aleatoire_sans_le_nom_d_origine():
    a, b = chemin_aleatoire("demandes", "application/pdf"), chemin_aleatoire("demandes", "application/pdf")
    assert a != b and a.startswith("demandes/") and a.endswith(".pdf")


def test_nom_de_telechargement_assaini():
    assert nom_sur("Budget prévisionnel 2026.pdf", "application/pdf") == "Budget_previsionnel_2026.pdf"
    assert nom_sur('../../etc/"passwd".pdf', "application/pdf") == "passwd.pdf"
    assert nom_sur("C:\\Users\\x\\statuts.exe", "application/pdf") == "statuts.pdf"
    assert nom_sur("ééé", "image/png") == "eee.png"
    assert nom_sur("???", "image/jpeg") == "document.jpg"
