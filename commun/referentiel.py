"""Reference data shipped with the application (fixtures/reference/), loaded by data migrations so
that every database — production, demo, tests — has the régions, départements, barème, SMIC and
mediation domains."""

import json
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent.parent / "fixtures" / "reference"


def lire(nom: str):
    return json.loads((REFERENCE / nom).read_text(encoding="utf-8"))


REFERENCE_BAREME = "Barème national (art. D5134-158 à D5134-160 du code du travail)"


def charger_territoires(Region, Departement):
    data = lire("territoires.json")
    regions = {}
    for r in data["regions"]:
        regions[r["code"]], _ = Region.objects.update_or_create(code=r["code"], defaults={"nom": r["nom"]})
    for d in data["departements"]:
        Departement.objects.update_or_create(code=d["code"], defaults={"nom": d["nom"], "region": regions[d["region"]]})


def charger_bareme_smic(Bareme, Smic):
    data = lire("bareme_smic.json")
    for b in data["bareme"]:
        Bareme.objects.update_or_create(
            date_effet=b["date_effet"],
            defaults={"montant_annuel": b["montant_annuel"], "reference": REFERENCE_BAREME},
        )
    for s in data["smic"]:
        Smic.objects.update_or_create(date_effet=s["date_effet"], defaults={"horaire_brut": s["horaire_brut"]})


def charger_domaines(DomaineMediation):
    for ordre, d in enumerate(lire("domaines.json"), start=1):
        DomaineMediation.objects.update_or_create(code=d["code"], defaults={"libelle": d["libelle"], "ordre": ordre})
