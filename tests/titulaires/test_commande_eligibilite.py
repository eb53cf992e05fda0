"""`python manage.py eligibilite … --json`: the exact JSON answer, and the exit codes (0 for a valid
question, eligible or not; 2 with a French message for an invalid one; 1 when the address cannot be
located)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
import responses
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import QuartierFactory
from tests.qpv_communs import CARRE, geocodeur_repond, index_neuf  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.django_db
RACINE = Path(__file__).resolve().parents[2]
BASE = ["--naissance", "1990-05-17", "--contrat", "2024-03-01", "--situation", "sans_emploi"]


@pytest.fixture
def carre(dep93):
    return QuartierFactory(code="QN09301M", nom="Quartier carré", geometrie=CARRE)


def eligibilite(*options):
    sortie = io.StringIO()
    call_command("eligibilite", *options, "--json", stdout=sortie)
    return json.loads(sortie.getvalue())


def test_personne_eligible_par_code_qpv(carre):
    assert eligibilite(*BASE, "--qpv", "QN09301M") == {
        "eligible": True,
        "criteres": [
            {
                "critere": "age",
                "ok": True,
                "motif": "33 ans le 01/03/2024 : au moins 26 ans pour un contrat signé à partir du 16/09/2021.",
            },
            {"critere": "situation", "ok": True, "motif": "Sans emploi avant l’embauche."},
            {
                "critere": "residence",
                "ok": True,
                "motif": "Réside dans le quartier prioritaire Quartier carré (QN09301M), géographie 2024.",
            },
        ],
        "qpv": {"code": "QN09301M", "nom": "Quartier carré"},
    }


def test_point_dans_le_qpv(carre):
    reponse = eligibilite(*BASE, "--point", "2.305,48.905")
    assert reponse["eligible"] is True
    assert reponse["qpv"] == {"code": "QN09301M", "nom": "Quartier carré"}


def test_point_hors_qpv_non_eligible_sans_derogation(carre):
    reponse = eligibilite(*BASE, "--point", "2.5,48.5")
    assert reponse["eligible"] is False and reponse["qpv"] is None
    assert [c["ok"] for c in reponse["criteres"]] == [True, True, False]


def test_point_hors_qpv_eligible_avec_derogation(carre):
    reponse = eligibilite(*BASE, "--point", "2.5,48.5", "--derogation", "Connue des habitants du quartier voisin.")
    assert reponse["eligible"] is True
    assert "dérogation du préfet : Connue des habitants du quartier voisin." in reponse["criteres"][2]["motif"]


def test_derogation_seule_sans_residence(db):
    reponse = eligibilite(*BASE, "--derogation", "Motif du préfet.")
    assert reponse["eligible"] is True and reponse["qpv"] is None


def test_age_la_veille_et_le_jour_des_26_ans(carre):
    veille = eligibilite("--naissance", "1998-03-02", "--contrat", "2024-03-01", "--situation", "cui", "--qpv", "QN09301M")
    jour = eligibilite("--naissance", "1998-03-01", "--contrat", "2024-03-01", "--situation", "cui", "--qpv", "QN09301M")
    assert (veille["eligible"], jour["eligible"]) == (False, True)
    assert veille["criteres"][0]["motif"].startswith("25 ans le 01/03/2024")


def test_regle_de_2021_contrat_du_15_puis_du_16_septembre(carre):
    avant = eligibilite("--naissance", "1994-01-01", "--contrat", "2021-09-15", "--situation", "sans_emploi", "--qpv", "QN09301M")
    apres = eligibilite("--naissance", "1994-01-01", "--contrat", "2021-09-16", "--situation", "sans_emploi", "--qpv", "QN09301M")
    assert (avant["eligible"], apres["eligible"]) == (False, True)
    assert "au moins 30 ans" in avant["criteres"][0]["motif"]


def test_en_emploi_non_eligible(carre):
    reponse = eligibilite("--naissance", "1990-05-17", "--contrat", "2024-03-01", "--situation", "en_emploi", "--qpv", "QN09301M")
    assert reponse["eligible"] is False
    assert reponse["criteres"][1] == {
        "critere": "situation",
        "ok": False,
        "motif": "En emploi : le poste est réservé aux personnes sans emploi ou en CUI-CAE.",
    }


@responses.activate
def test_adresse_geocodee(carre):
    geocodeur_repond("10 Rue du Carré 93200 Saint-Denis", 0.95)
    assert eligibilite(*BASE, "--adresse", "10 rue du Carré Saint-Denis")["qpv"]["code"] == "QN09301M"


@responses.activate
def test_adresse_impossible_a_localiser_sortie_1(db):
    responses.get(settings.GEOCODEUR_URL, body=requests.ConnectionError("hors service"))
    with pytest.raises(CommandError) as erreur:
        eligibilite(*BASE, "--adresse", "10 rue du Carré Saint-Denis")
    assert erreur.value.returncode == 1
    assert "injoignable" in str(erreur.value) and "--qpv ou --point" in str(erreur.value)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--naissance", "2023-02-30", "--contrat", "2024-03-01", "--situation", "cui", "--derogation", "m"],
            "la date « 2023-02-30 » n’existe pas",
        ),
        (
            ["--naissance", "17/05/1990", "--contrat", "2024-03-01", "--situation", "cui", "--derogation", "m"],
            "n’est pas une date au format AAAA-MM-JJ",
        ),
        (
            ["--contrat", "2024-03-01", "--situation", "cui", "--derogation", "m"],
            "L’option --naissance AAAA-MM-JJ est obligatoire",
        ),
        (["--naissance", "1990-05-17", "--contrat", "2024-03-01", "--derogation", "m"], "L’option --situation est obligatoire"),
        ([*BASE[:4], "--situation", "etudiant", "--derogation", "m"], "« etudiant » inconnue"),
        ([*BASE, "--qpv", "QN09399Z"], "Aucun quartier prioritaire ne porte le code « QN09399Z »"),
        ([*BASE, "--qpv", "QN09301M", "--point", "2.3,48.9"], "Indiquez une seule résidence"),
        ([*BASE, "--adresse", "1 rue X", "--point", "2.3,48.9"], "Indiquez une seule résidence"),
        (BASE, "Indiquez la résidence"),
        ([*BASE, "--point", "652000,6862000"], "hors des coordonnées WGS84"),
        ([*BASE, "--derogation", "  "], "indiquez le motif de la dérogation"),
        (
            ["--naissance", "2025-01-01", "--contrat", "2024-03-01", "--situation", "cui", "--derogation", "m"],
            "suit la date du contrat",
        ),
    ],
)
def test_question_invalide_refusee_avec_code_2(options, message):
    with pytest.raises(CommandError) as erreur:
        eligibilite(*options)
    assert erreur.value.returncode == 2
    assert message in str(erreur.value)


# --- Exit codes of the real command line --------------------------------------------------------


def url_base_de_test() -> str:
    """DATABASE_URL of the test database, for a child process (it sees the migrated reference data)."""
    s = connection.settings_dict
    utilisateur = quote(s["USER"] or "", safe="")
    secret = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    identite = f"{utilisateur}{secret}@" if utilisateur else ""
    hote = s["HOST"] or s.get("OPTIONS", {}).get("host", "")  # the embedded server: a Unix socket folder
    port = f":{s['PORT']}" if s["PORT"] else ""
    if hote.startswith("/"):
        return f"postgres://{identite}/{s['NAME']}?host={quote(hote, safe='/')}"
    return f"postgres://{identite}{hote}{port}/{s['NAME']}"


def manage(*options):
    env = {**os.environ, "DATABASE_URL": url_base_de_test()}
    return subprocess.run(
        [sys.executable, "manage.py", "eligibilite", *options], cwd=RACINE, env=env, capture_output=True, text=True, timeout=120
    )


def test_ligne_de_commande_question_valide_sortie_0():
    resultat = manage(*BASE, "--point", "2.5,48.5", "--json")
    assert resultat.returncode == 0, resultat.stderr
    reponse = json.loads(resultat.stdout)
    assert reponse["eligible"] is False and reponse["qpv"] is None
    assert [c["critere"] for c in reponse["criteres"]] == ["age", "situation", "residence"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--naissance", "2023-02-30", "--contrat", "2024-03-01", "--situation", "cui", "--derogation", "m"],
            "--naissance : la date « 2023-02-30 » n’existe pas.",
        ),
        ([*BASE, "--qpv", "QN09399Z"], "Aucun quartier prioritaire ne porte le code « QN09399Z »."),
        (
            [*BASE, "--qpv", "QN09301M", "--adresse", "1 rue X"],
            "Indiquez une seule résidence : --qpv, --adresse ou --point, pas plusieurs.",
        ),
        ([*BASE, "--inconnue"], "Option invalide : options inconnues : --inconnue"),
    ],
)
def test_ligne_de_commande_question_invalide_sortie_2_message_francais(options, message):
    resultat = manage(*options, "--json")
    assert resultat.returncode == 2
    assert resultat.stdout == ""
    assert resultat.stderr.strip().endswith(message)
    assert "CommandError" not in resultat.stderr and "Traceback" not in resultat.stderr
