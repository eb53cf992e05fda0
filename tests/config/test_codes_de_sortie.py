"""Every management command of the project answers a bad argument in French with exit code 2, a
failure of its work with exit code 1, and never a traceback unless --traceback is given (issue 16,
fault 11; README « Codes de sortie des commandes »). The commands run as from the command line
(`run_from_argv`), in this process, on the test database."""

import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import get_commands, load_command_class

from commun.commandes import Commande, traduire
from tests.factories import ConventionFactory
from tests.structure import APPLICATIONS

pytestmark = pytest.mark.django_db

RACINE = Path(__file__).resolve().parents[2]
APPS_DU_PROJET = APPLICATIONS


def commandes_du_projet() -> dict[str, str]:
    return {nom: app for nom, app in get_commands().items() if app.split(".")[0] in APPS_DU_PROJET}


def lancer(capsys, *argv) -> tuple[int, str, str]:
    """`manage.py <argv>` in this process: exit code, stdout, stderr."""
    nom = argv[0]
    commande = load_command_class(commandes_du_projet()[nom], nom)
    code = 0
    # run_from_argv closes the connections at the end: that would end the test's transaction
    with mock.patch("django.core.management.base.connections.close_all"):
        try:
            commande.run_from_argv(["manage.py", *argv])
        except SystemExit as sortie:
            code = sortie.code
    capture = capsys.readouterr()
    return code, capture.out, capture.err


def sans_trace(erreurs: str):
    assert "Traceback" not in erreurs, erreurs
    assert "CommandError" not in erreurs, erreurs
    assert not re.search(r"\b(error|invalid|required|usage)\b", erreurs), erreurs


def test_chaque_commande_du_projet_herite_de_la_base_commune():
    commandes = commandes_du_projet()
    assert {"restaurer", "convention_pdf", "importer_postes", "charger_qpv", "simuler_aide"} <= set(commandes)
    for nom, app in commandes.items():
        assert isinstance(load_command_class(app, nom), Commande), f"{nom} n’hérite pas de commun.commandes.Commande"


# (arguments, part of the French message): one bad argument or unknown object per command
MAUVAIS_ARGUMENTS = {
    "anonymiser_titulaires": (["--date", "31/02/2024"], "--date : date invalide « 31/02/2024 »"),
    "archiver_pdf_conventions": (["--departement", "999"], "aucun département ne porte le code « 999 »"),
    "calculer_tableau_de_bord": (["--annee", "abc"], "option --annee : nombre entier attendu, reçu « abc »"),
    "charger_demo": (["--inconnue"], "options inconnues : --inconnue"),
    "charger_qpv": (["/nulle/part/qpv.geojson"], "Fichier introuvable : /nulle/part/qpv.geojson"),
    "convention_pdf": (["2099-XX-0001", "-o", "/tmp/x.pdf"], "Aucune convention ne porte le numéro « 2099-XX-0001 »"),
    "eligibilite": (["--naissance", "hier"], "« hier » n’est pas une date"),
    "generer_donnees_nationales": (["--echelle", "-1"], "l’échelle doit être strictement positive"),
    "importer_postes": (["/nulle/part/postes.csv"], "Fichier introuvable"),
    "mettre_a_jour_conventions": (["--date", "2024-13-01"], "date impossible « 2024-13-01 »"),
    "migrate": (["--inconnue"], "options inconnues : --inconnue"),
    "restaurer": (["/nulle/part/archive.tar", "--no-input"], "Archive introuvable : /nulle/part/archive.tar"),
    "sauvegarder": (["--dossiers", "x"], "options inconnues : --dossiers"),
    "simuler_aide": (["--debut", "2024-01-01", "--fin", "2024-02-01", "--heures", "x"], "--heures"),
}


def test_le_tableau_couvre_chaque_commande_du_projet():
    assert set(MAUVAIS_ARGUMENTS) == set(commandes_du_projet())


@pytest.mark.parametrize("nom", sorted(MAUVAIS_ARGUMENTS))
def test_mauvais_argument_sortie_2_message_francais_sans_trace(capsys, nom):
    arguments, message = MAUVAIS_ARGUMENTS[nom]
    code, _, erreurs = lancer(capsys, nom, *arguments)
    assert code == 2, erreurs
    assert message in erreurs
    sans_trace(erreurs)


def test_erreur_d_argparse_traduite_jusqu_a_la_ligne_d_utilisation(capsys):
    code, _, erreurs = lancer(capsys, "convention_pdf")
    assert code == 2
    assert erreurs.startswith("utilisation : manage.py convention_pdf")
    assert "Option invalide : arguments obligatoires manquants : numero, -o/--output" in erreurs
    assert "usage" not in erreurs


def test_traduction_des_messages_d_argparse():
    assert traduire("argument --annee: invalid int value: 'abc'") == "option --annee : nombre entier attendu, reçu « abc »"
    assert traduire("argument --geo: invalid choice: 'x' (choose from '2015', '2024')") == (
        "option --geo : choix invalide : « x » (choisissez parmi « 2015 », « 2024 »)"
    )


def test_restaurer_un_fichier_qui_n_est_pas_une_archive_sortie_2_sans_trace(capsys, tmp_path):
    faux = tmp_path / "notes.tar"
    faux.write_text("ceci n’est pas une archive")
    code, _, erreurs = lancer(capsys, "restaurer", str(faux), "--no-input")
    assert code == 2
    assert "n’est pas une archive lisible" in erreurs
    sans_trace(erreurs)


def test_convention_pdf_impossible_a_ecrire_sortie_1(capsys, tmp_path):
    convention = ConventionFactory()
    with mock.patch("conventions.management.commands.convention_pdf.pdf_de_la_convention", return_value=(b"%PDF", False)):
        code, _, erreurs = lancer(capsys, "convention_pdf", convention.numero, "-o", str(tmp_path / "absent" / "c.pdf"))
    assert code == 1
    assert "Impossible d’écrire" in erreurs
    sans_trace(erreurs)


def test_echec_du_travail_sortie_1(capsys, tmp_path):
    fichier = tmp_path / "qpv.geojson"
    fichier.write_text('{"type": "Feature"}')
    code, _, erreurs = lancer(capsys, "charger_qpv", str(fichier))
    assert code == 1
    assert "Fichier refusé, rien n’a été enregistré" in erreurs
    sans_trace(erreurs)


def test_erreur_inattendue_sortie_1_en_francais_sans_trace(capsys):
    with mock.patch("pilotage.management.commands.calculer_tableau_de_bord.prechauffer", side_effect=RuntimeError("boum")):
        code, _, erreurs = lancer(capsys, "calculer_tableau_de_bord")
    assert code == 1
    assert "Échec de la commande : erreur inattendue (RuntimeError) : boum." in erreurs
    assert "--traceback" in erreurs
    sans_trace(erreurs)


def test_avec_traceback_l_erreur_remonte(capsys):
    with mock.patch("pilotage.management.commands.calculer_tableau_de_bord.prechauffer", side_effect=RuntimeError("boum")):
        with pytest.raises(RuntimeError, match="boum"):
            lancer(capsys, "calculer_tableau_de_bord", "--traceback")


def test_en_ligne_de_commande_reelle_code_2_sans_trace():
    """The same through a real `manage.py` process (no database needed for these two)."""
    env = {"DEBUG": "true", "PATH": "/usr/bin:/bin"}
    for arguments, message in (
        (["restaurer", "/nulle/part/archive.tar", "--no-input"], "Archive introuvable"),
        (["convention_pdf"], "arguments obligatoires manquants"),
    ):
        resultat = subprocess.run(
            [sys.executable, "manage.py", *arguments], cwd=RACINE, env=env, capture_output=True, text=True, timeout=120
        )
        assert resultat.returncode == 2, resultat.stderr
        assert message in resultat.stderr
        sans_trace(resultat.stderr)
