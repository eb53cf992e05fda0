"""The storage helpers (commun/stockage.py), the same on the local disk and on the S3 object storage
(a real S3 API on the loopback, tests/s3_local.py)."""

import pytest
from django.core.files.storage import default_storage

from commun.stockage import decrire, ecrire_fichier, lire_fichier, parcourir, supprimer_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["disque", "s3"])
def stockage(request, settings, tmp_path):
    if request.param == "disque":
        settings.MEDIA_ROOT = tmp_path / "media"
        return "disque"
    request.getfixturevalue("stockage_s3")
    return "s3"


def test_ecrire_remplace_le_fichier_du_meme_nom(stockage):
    ecrire_fichier("imports/1/jeton/table.json", b"premier")
    ecrire_fichier("imports/1/jeton/table.json", b"second")
    assert lire_fichier("imports/1/jeton/table.json") == b"second"
    assert list(parcourir("imports")) == ["imports/1/jeton/table.json"]  # no `table_Ab12cd.json` beside it


def test_lire_un_fichier_absent_leve_file_not_found(stockage):
    with pytest.raises(FileNotFoundError):
        lire_fichier("conventions/93/absent.pdf")


def test_parcourir_liste_tous_les_fichiers_dans_l_ordre_des_noms(stockage):
    assert list(parcourir()) == []  # nothing stored yet, not even the folder
    for nom in ("demandes/2026/b.pdf", "demandes/2025/a.pdf", "racine.txt", "conventions/93/x.pdf"):
        ecrire_fichier(nom, nom.encode())
    assert list(parcourir()) == ["racine.txt", "conventions/93/x.pdf", "demandes/2025/a.pdf", "demandes/2026/b.pdf"]
    assert list(parcourir("demandes")) == ["demandes/2025/a.pdf", "demandes/2026/b.pdf"]


def test_supprimer_un_dossier_et_rien_d_autre(stockage):
    for nom in ("imports/1/a/table.json", "imports/1/a/lignes-rejetees.csv", "imports/1/b/table.json"):
        ecrire_fichier(nom, b"x")
    supprimer_dossier("imports/1/a")
    assert list(parcourir()) == ["imports/1/b/table.json"]
    supprimer_dossier("imports/1/absent")  # nothing there: nothing to do


def test_decrire_dit_ou_sont_les_fichiers(stockage, settings):
    attendu = (
        f"le dossier {settings.MEDIA_ROOT}" if stockage == "disque" else f"le compartiment S3 « {default_storage.bucket_name} »"
    )
    assert decrire() == attendu
