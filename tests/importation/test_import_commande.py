"""python manage.py importer_postes: JSON output, exit status, scope option."""

import io
import json
import sys

import pytest
from django.core.management import call_command

from postes.models import Poste
from tests.outils_import import SIRET_CLE_FAUSSE, csv_octets, json_octets, ligne_anct

CLES = ["lignes", "crees", "mis_a_jour", "inchanges", "rejetes", "erreurs"]


def lancer(capsys, *arguments):
    """Run the command; returns (exit status, parsed or raw stdout, stderr)."""
    code = 0
    try:
        call_command("importer_postes", *arguments)
    except SystemExit as exc:
        code = exc.code
    sortie = capsys.readouterr()
    try:
        return code, json.loads(sortie.out), sortie.err
    except json.JSONDecodeError:
        return code, sortie.out, sortie.err


@pytest.fixture
def fichier(tmp_path):
    def ecrire(contenu, nom="postes.csv"):
        chemin = tmp_path / nom
        chemin.write_bytes(contenu)
        return str(chemin)

    return ecrire


def test_json_exact_et_sortie_0_quand_tout_est_ecrit(db, capsys, fichier):
    code, sortie, _ = lancer(capsys, fichier(csv_octets([ligne_anct()])), "--json")
    assert code == 0
    assert list(sortie)[:6] == CLES
    assert {k: sortie[k] for k in CLES} == {"lignes": 1, "crees": 1, "mis_a_jour": 0, "inchanges": 0, "rejetes": 0, "erreurs": []}
    assert sortie["ecrit"] is True and Poste.objects.count() == 1


def test_sortie_1_et_rien_d_ecrit_quand_une_ligne_est_rejetee(db, capsys, fichier):
    lignes = [ligne_anct(id_poste="09323R000201"), ligne_anct(code_tiers=SIRET_CLE_FAUSSE)]
    code, sortie, _ = lancer(capsys, fichier(csv_octets(lignes)), "--json")
    assert code == 1 and not Poste.objects.exists()
    assert sortie["rejetes"] == 1 and sortie["crees"] == 1
    assert sortie["erreurs"] == [{"ligne": 3, "colonne": "code_tiers", "message": sortie["erreurs"][0]["message"]}]
    assert "clé de contrôle" in sortie["erreurs"][0]["message"]


def test_partiel_ecrit_les_lignes_valides_sortie_0_avec_les_erreurs(db, capsys, fichier):
    lignes = [ligne_anct(id_poste="09323R000201"), ligne_anct(code_tiers=SIRET_CLE_FAUSSE)]
    code, sortie, _ = lancer(capsys, fichier(csv_octets(lignes)), "--partiel", "--json")
    assert code == 0 and sortie["rejetes"] == 1 and len(sortie["erreurs"]) == 1
    assert list(Poste.objects.values_list("identifiant", flat=True)) == ["09323R000201"]


def test_essai_a_blanc(db, capsys, fichier):
    code, sortie, _ = lancer(capsys, fichier(csv_octets([ligne_anct()])), "--dry-run", "--json")
    assert code == 0 and sortie["crees"] == 1 and sortie["ecrit"] is False and not Poste.objects.exists()
    lignes = [ligne_anct(code_tiers=SIRET_CLE_FAUSSE)]
    code, _, _ = lancer(capsys, fichier(csv_octets(lignes), "faux.csv"), "--dry-run", "--partiel", "--json")
    assert code == 1


def test_departement_restreint_le_perimetre(db, capsys, fichier):
    lignes = [ligne_anct(), ligne_anct(id_poste="06923R000101", insee_dep="69", insee_reg="84")]
    code, sortie, _ = lancer(capsys, fichier(json_octets(lignes), "r.json"), "--departement", "69", "--json")
    assert code == 1 and sortie["erreurs"][0]["ligne"] == 1
    assert sortie["erreurs"][0]["message"] == "Le département 93 est hors de votre périmètre : ligne non importée."
    code, sortie, _ = lancer(capsys, fichier(json_octets(lignes), "r.json"), "--departement", "69", "93", "--json")
    assert code == 0 and sortie["crees"] == 2


@pytest.mark.parametrize(
    "contenu,message",
    [
        (None, "Fichier introuvable"),
        (b"%PDF-1.4", "PDF"),
        (b"\x81\x8d\x8f\x90;\x9d\n", "ni en UTF-8 ni en Windows-1252"),
        (b"nom;prenom\nDupont;Jean\n", "Colonne obligatoire introuvable"),
    ],
)
def test_sortie_2_pour_un_fichier_illisible_avec_message_en_francais(db, capsys, fichier, tmp_path, contenu, message):
    chemin = str(tmp_path / "absent.csv") if contenu is None else fichier(contenu)
    code, sortie, erreur = lancer(capsys, chemin, "--json")
    assert code == 2 and sortie == ""
    assert erreur.startswith("Fichier illisible : ") and message in erreur


def test_sortie_lisible_sans_json(db, capsys, fichier):
    lignes = [ligne_anct(), ligne_anct(id_poste="97118R001001", insee_dep="", insee_reg="")]
    code, sortie, _ = lancer(capsys, fichier(csv_octets(lignes)))
    assert code == 0
    assert "2 lignes : 2 créées, 0 mises à jour, 0 inchangées, 0 rejetées." in sortie
    assert "(avertissement) ligne 3, colonne « insee_dep » : Département absent : 971" in sortie
    assert "Import enregistré." in sortie


class TerminalFactice(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("options,barre", [((), True), (("--json",), False)])
def test_barre_de_progression_sur_un_terminal_sauf_en_json(db, capsys, fichier, monkeypatch, options, barre):
    terminal = TerminalFactice()
    monkeypatch.setattr(sys, "stderr", terminal)
    lancer(capsys, fichier(csv_octets([ligne_anct()])), "--dry-run", *options)
    assert ("lecture   [██████████████████████████████] 1/1 (100%)" in terminal.getvalue()) is barre


def test_pas_de_barre_hors_terminal(db, capsys, fichier):
    _, _, erreur = lancer(capsys, fichier(csv_octets([ligne_anct()])), "--dry-run")
    assert erreur == ""
