"""`python manage.py simuler_aide`: exact JSON shape, French refusals with exit status 2."""

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def simuler(*arguments):
    sortie, erreurs = io.StringIO(), io.StringIO()
    try:
        call_command("simuler_aide", *arguments, stdout=sortie, stderr=erreurs)
        code = 0
    except SystemExit as fin:
        code = fin.code
    return code, sortie.getvalue(), erreurs.getvalue()


def test_json_exactement_au_format_attendu():
    code, sortie, _ = simuler("--debut", "2024-06-01", "--fin", "2024-07-31", "--heures", "35", "--json")
    assert code == 0
    assert sortie.strip() == (
        '{"total": "3780.53", "mois": [{"mois": "2024-06", "montant": "1879.64"}, {"mois": "2024-07", "montant": "1900.89"}]}'
    )


def test_plusieurs_vacances_et_heures_a_virgule():
    code, sortie, _ = simuler(
        "--debut",
        "2024-07-01",
        "--fin",
        "2025-06-30",
        "--heures",
        "17,5",
        "--vacance",
        "2024-09-01:2024-09-30",
        "--vacance",
        "2025-01-01:2025-01-31",
        "--json",
    )
    donnees = json.loads(sortie)
    assert code == 0
    mois = {m["mois"]: m["montant"] for m in donnees["mois"]}
    assert mois["2024-09"] == "0.00" and mois["2025-01"] == "0.00" and len(mois) == 12
    # dix mois à mi-temps : 22 810,61 × 10 / 24 = 9 504,420…
    assert donnees["total"] == "9504.42"
    assert sum(float(v) for v in mois.values()) == pytest.approx(9504.42)


def test_tableau_lisible_en_francais_sans_json():
    code, sortie, _ = simuler("--debut", "2024-07-16", "--fin", "2024-08-31", "--heures", "35")
    assert code == 0
    assert "juillet 2024" in sortie and "16/31" in sortie and "Total" in sortie
    assert "981,10\u00a0€" in sortie


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--debut", "2024-07-31", "--fin", "2024-07-01", "--heures", "35"], "la fin (01/07/2024) précède le début"),
        (["--debut", "2024-02-30", "--fin", "2024-07-31", "--heures", "35"], "--debut : date impossible « 2024-02-30 »"),
        (["--debut", "2024-07-01", "--fin", "2024-07-31", "--heures", "17"], "entre 17,5 heures"),
        (["--debut", "2024-07-01", "--fin", "2024-07-31", "--heures", "36"], "entre 17,5 heures"),
        (["--debut", "2024-07-01", "--fin", "2024-07-31", "--heures", "beaucoup"], "illisible"),
        (
            ["--debut", "2020-01-01", "--fin", "2020-12-31", "--heures", "35"],
            "Aucun barème de l’aide ne couvre le mois de janvier 2020",
        ),
        (
            ["--debut", "2024-07-01", "--fin", "2024-07-31", "--heures", "35", "--vacance", "2024-07-10"],
            "Période de vacance illisible",
        ),
        (
            ["--debut", "2024-07-01", "--fin", "2024-07-31", "--heures", "35", "--vacance", "2024-09-01:2024-09-30"],
            "en dehors de la période",
        ),
        (
            ["--debut", "2024-07-01", "--fin", "9999-12-31", "--heures", "35"],
            "--fin : la date doit être comprise entre le 01/01/2000 et le 31/12/2100",
        ),
        (
            ["--debut", "9999-12-31", "--fin", "9999-12-31", "--heures", "35"],
            "--debut : la date doit être comprise entre le 01/01/2000 et le 31/12/2100",
        ),
        (["--debut", "0001-01-01", "--fin", "0001-01-31", "--heures", "35"], "--debut : la date doit être comprise"),
    ],
)
def test_refus_avec_code_2_et_message_francais(arguments, message):
    code, sortie, erreurs = simuler(*arguments, "--json")
    assert code == 2
    assert message in erreurs
    assert sortie == ""
