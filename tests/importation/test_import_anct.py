"""The four real files of ANCT's register of funded posts (../shared/data/anct/), imported whole.

Expected figures from the data's README: rows and distinct `id_poste` per year. Duplicated ids are
rejected (every occurrence: nothing says which SIRET is right); rows without `insee_dep` are imported
in the département read from their identifier, with a warning."""

import json
from collections import Counter

import pytest

from employeurs.models import Employeur
from employeurs.regles import FormeJuridique
from importation.lecture import lire_table
from importation.moteur import Perimetre
from importation.services import importer_postes
from postes.models import FinancementAnnuel, Poste
from tests.conftest import donnees_partagees

REGISTRE = {  # year: (rows, distinct id_poste) — ../shared/data/anct/README.md
    2020: (4660, 4655),
    2021: (5377, 5372),
    2022: (5623, 5622),
    2023: (5416, 5412),
}


def lire(annee):
    chemin = donnees_partagees(f"anct/adulte-relais-{annee}.json")
    contenu = chemin.read_bytes()
    return lire_table(contenu, chemin.name), json.loads(contenu)


@pytest.mark.parametrize("annee", REGISTRE)
def test_registre_anct_verifie_en_entier(db, annee):
    table, lignes = lire(annee)
    rapport = importer_postes(table, Perimetre(), dry_run=True)
    nb_lignes, distincts = REGISTRE[annee]
    repetes = {i for i, n in Counter(l["id_poste"] for l in lignes).items() if n > 1}
    assert rapport.lignes == nb_lignes
    # Each duplicated id is rejected on all its lines, and nothing else is rejected.
    assert rapport.rejetes == nb_lignes - distincts + len(repetes)
    assert {e.message.split()[1] for e in rapport.erreurs} == repetes
    assert all("en double dans le fichier" in e.message and e.colonne == "id_poste" for e in rapport.erreurs)
    assert rapport.crees == distincts - len(repetes)
    gardees = [l for l in lignes if l["id_poste"] not in repetes]
    assert rapport.objets["employeurs"]["crees"] == len({l["code_tiers"] for l in gardees})
    assert rapport.objets["financements"]["crees"] == len(gardees)
    sans_departement = [i for i, l in enumerate(lignes, start=1) if not l.get("insee_dep")]
    assert 20 <= len(sans_departement) <= 25
    absents = [a for a in rapport.avertissements if a.message.startswith("Département absent")]
    assert [a.ligne for a in absents] == sans_departement
    assert not rapport.ecrit and not Poste.objects.exists()


def test_registre_2023_importe_puis_reimporte_sans_changement(db):
    table, lignes = lire(2023)
    rapport = importer_postes(table, Perimetre(), partiel=True)
    assert rapport.ecrit and rapport.crees == 5408
    assert Poste.objects.count() == 5408 and FinancementAnnuel.objects.filter(annee=2023).count() == 5408
    assert Employeur.objects.filter(forme_juridique=FormeJuridique.A_PRECISER).count() == Employeur.objects.count()
    # The département is the funding one (insee_dep), or the identifier's for the Saint-Martin rows.
    assert Poste.objects.get(identifiant="00221R000300").departement.code == "59"
    assert Poste.objects.get(identifiant="97118R001001").departement.code == "971"
    assert Poste.objects.get(identifiant="59L13R001803").departement.code == "59"
    encore = importer_postes(table, Perimetre(), partiel=True)
    assert (encore.crees, encore.mis_a_jour, encore.inchanges, encore.rejetes) == (0, 0, 5408, 8)
    # An older year adds its funding to the posts already known.
    importes_2023 = set(Poste.objects.values_list("identifiant", flat=True))
    table_2022, lignes_2022 = lire(2022)
    rapport_2022 = importer_postes(table_2022, Perimetre(), partiel=True)
    compte_2022 = Counter(l["id_poste"] for l in lignes_2022)
    valides_2022 = [l["id_poste"] for l in lignes_2022 if compte_2022[l["id_poste"]] == 1]
    assert rapport_2022.mis_a_jour == sum(1 for i in valides_2022 if i in importes_2023)
    assert rapport_2022.crees == sum(1 for i in valides_2022 if i not in importes_2023)
    assert Poste.objects.get(identifiant="00221R000300").departement.code == "59"


def test_agent_du_93_n_importe_que_la_seine_saint_denis(agent93):
    table, lignes = lire(2023)
    rapport = importer_postes(table, Perimetre(agent93), utilisateur=agent93, partiel=True)
    du_93 = [l for l in lignes if l.get("insee_dep") == "93"]
    assert rapport.crees == len(du_93)
    assert set(Poste.objects.values_list("departement__code", flat=True)) == {"93"}
    assert Poste.objects.for_user(agent93).count() == len(du_93)
