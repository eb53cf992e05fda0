"""Backups: `sauvegarder` then `restaurer` into an empty database gives back the same posts,
conventions and files."""

import io
import json
import stat
import tarfile

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from conventions.models import Convention
from exploitation.sauvegarde import Connexion
from postes.models import Poste
from tests.factories import ConventionFactory, PosteFactory

pytestmark = pytest.mark.django_db(transaction=True)


def se_connecter(base):
    return psycopg.connect(**Connexion.depuis_django(base=base).parametres, autocommit=True)


@pytest.fixture
def base_vide():
    nom = f"{connection.settings_dict['NAME']}_restauration"
    with se_connecter(connection.settings_dict["NAME"]) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{nom}"')
    yield nom
    with se_connecter(connection.settings_dict["NAME"]) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')


def test_sauvegarde_restauree_dans_une_base_vide(tmp_path, settings, base_vide, dep93):
    postes = [PosteFactory() for _ in range(3)]
    for poste in postes[:2]:
        ConventionFactory(poste=poste)
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "pieces" / "2024").mkdir(parents=True)
    statuts = settings.MEDIA_ROOT / "pieces" / "2024" / "statuts.pdf"
    statuts.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (settings.MEDIA_ROOT / "budget.xlsx").write_bytes(b"PK\x03\x04 budget")

    call_command("sauvegarder", dossier=str(tmp_path / "sauvegardes"))
    archives = list((tmp_path / "sauvegardes").glob("adultes-relais-*.tar"))
    assert len(archives) == 1
    archive = archives[0]
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # personal data: owner only
    with tarfile.open(archive) as tar:
        manifeste = json.load(tar.extractfile("manifeste.json"))
    assert manifeste["fichiers"] == 2

    settings.MEDIA_ROOT = tmp_path / "media-restaure"
    call_command("restaurer", str(archive), base=base_vide, interactive=False)

    with se_connecter(base_vide) as restauree:
        identifiants = {r[0] for r in restauree.execute(f"SELECT identifiant FROM {Poste._meta.db_table}")}
        numeros = {r[0] for r in restauree.execute(f"SELECT numero FROM {Convention._meta.db_table}")}
        regions = restauree.execute("SELECT count(*) FROM quartiers_region").fetchone()[0]
    assert identifiants == set(Poste.objects.values_list("identifiant", flat=True)) == {p.identifiant for p in postes}
    assert numeros == set(Convention.objects.values_list("numero", flat=True)) and len(numeros) == 2
    assert regions > 0
    restaure = settings.MEDIA_ROOT / "pieces" / "2024" / "statuts.pdf"
    assert restaure.read_bytes() == statuts.read_bytes()
    assert (settings.MEDIA_ROOT / "budget.xlsx").read_bytes() == b"PK\x03\x04 budget"


def test_restauration_garde_l_ancien_dossier_des_fichiers(tmp_path, settings, base_vide, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "a.pdf").write_bytes(b"%PDF ancien")
    call_command("sauvegarder", dossier=str(tmp_path / "s"))
    (settings.MEDIA_ROOT / "b.pdf").write_bytes(b"%PDF apres la sauvegarde")
    call_command("restaurer", str(next((tmp_path / "s").glob("*.tar"))), base=base_vide, interactive=False)
    assert sorted(p.name for p in settings.MEDIA_ROOT.iterdir()) == ["a.pdf"]
    ancien = next(tmp_path.glob("media.avant-restauration-*"))
    assert sorted(p.name for p in ancien.iterdir()) == ["a.pdf", "b.pdf"]


def test_archive_abimee_refusee_sans_rien_toucher(tmp_path, settings, base_vide, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("sauvegarder", dossier=str(tmp_path / "s"))
    archive = next((tmp_path / "s").glob("*.tar"))
    abimee = tmp_path / "abimee.tar"
    with tarfile.open(archive) as source, tarfile.open(abimee, "w") as cible:
        for membre in source.getmembers():
            contenu = source.extractfile(membre).read() if membre.isfile() else None
            if membre.name == "base.dump":
                contenu = contenu[:-10] + b"0123456789"
            if contenu is not None:
                membre.size = len(contenu)
                cible.addfile(membre, io.BytesIO(contenu))
    with pytest.raises(CommandError, match="abîmée"):
        call_command("restaurer", str(abimee), base=base_vide, interactive=False)
    with pytest.raises(CommandError, match="introuvable"):
        call_command("restaurer", str(tmp_path / "absente.tar"), base=base_vide, interactive=False)


def test_restauration_demande_confirmation(tmp_path, settings, base_vide, db, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("sauvegarder", dossier=str(tmp_path / "s"))
    monkeypatch.setattr("builtins.input", lambda question: "non")
    with pytest.raises(CommandError, match="annulée"):
        call_command("restaurer", str(next((tmp_path / "s").glob("*.tar"))), base=base_vide)
