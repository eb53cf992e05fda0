"""Benchmark of the list search: time of the employer and post lists for a one-word search, a search
at the bound (6 words), and a hostile search of 3,000 characters (500 words), through the pages.

    .venv/bin/python bench/recherche.py [--employeurs 5000] [--repetitions 15]

For comparison it also times the long search as it ran before the bound (one LIKE per word and per
column, every word read). The data (employers and posts of the 93) is created inside a transaction
that is rolled back at the end: nothing stays in the database. The database must be migrated."""

import argparse
import os
import statistics
import sys
import time
from functools import reduce
from operator import or_
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from commun.recherche import RECHERCHE_LONGUEUR_MAX, RECHERCHE_MOTS_MAX, SansAccents, sans_accents  # noqa: E402
from comptes.models import Role, Utilisateur  # noqa: E402
from employeurs.models import Employeur  # noqa: E402
from postes.models import Poste  # noqa: E402
from quartiers.models import Departement  # noqa: E402

MOTS = ["association", "médiation", "sociale", "quartier", "saint", "denis", "culture", "habitants"]
UNE = "médiation"
BORNE = " ".join(MOTS[:RECHERCHE_MOTS_MAX])
LONGUE = " ".join(MOTS[i % len(MOTS)] for i in range(500))[:3000]


class Annulation(Exception):
    pass


def creer_donnees(nombre: int) -> Utilisateur:
    dep = Departement.objects.get(code="93")
    employeurs = Employeur.objects.bulk_create(
        Employeur(
            siret=f"{999000000 + n:09d}{n % 100000:05d}",
            raison_sociale=f"{MOTS[n % 8].capitalize()} {MOTS[(n * 3) % 8]} {n}",
            forme_juridique="association",
            adresse=f"{n} rue de l’Essai",
            code_postal="93200",
            commune=["Saint-Denis", "Bobigny", "Aubervilliers"][n % 3],
            departement=dep,
        )
        for n in range(nombre)
    )
    Poste.objects.bulk_create(
        Poste(
            identifiant=f"09399R{n:06d}",
            employeur=employeurs[n],
            departement=dep,
            intitule="Médiateur social",
            missions=f"{MOTS[n % 8]} et {MOTS[(n + 5) % 8]} dans le quartier",
            statut="actif",
        )
        for n in range(nombre)
    )
    agent = Utilisateur.objects.create_user(email="banc-recherche@exemple.gouv.fr", password=None, role=Role.AGENT)
    agent.departements.add(dep)
    return agent


def mesurer(fonction, repetitions: int) -> float:
    fonction()  # warm-up
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        fonction()
        durees.append((time.perf_counter() - debut) * 1000)
    return statistics.median(durees)


def sans_borne(queryset, texte: str, champs: list[str]):
    """The search as it ran before the bound: one LIKE per word and per column, every word read."""
    annotations = {f"_recherche_{i}": SansAccents(champ) for i, champ in enumerate(champs)}
    queryset = queryset.annotate(**annotations)
    for mot in sans_accents(texte).split():
        queryset = queryset.filter(reduce(or_, (Q(**{f"{nom}__contains": mot}) for nom in annotations)))
    return queryset


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--employeurs", type=int, default=5000)
    arguments.add_argument("--repetitions", type=int, default=15)
    options = arguments.parse_args()
    if MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes()):
        sys.exit("La base n’est pas migrée : lancez d’abord « python manage.py migrate ».")
    resultats = []
    with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
        try:
            with transaction.atomic():
                agent = creer_donnees(options.employeurs)
                client = Client()
                client.force_login(agent)
                for page, url in (("employeurs", "/employeurs/"), ("postes", "/postes/")):
                    for nom, texte in (
                        ("un mot", UNE),
                        (f"{RECHERCHE_MOTS_MAX} mots (la borne)", BORNE),
                        (f"{len(LONGUE)} caractères, {len(LONGUE.split())} mots", LONGUE),
                    ):
                        reponse = client.get(url, {"q": texte})
                        refus = "Recherche trop longue" in reponse.content.decode()
                        duree = mesurer(lambda: client.get(url, {"q": texte}), options.repetitions)
                        resultats.append(
                            (page, nom, duree, reponse.status_code, "refusée (erreur du formulaire)" if refus else "servie")
                        )
                employeurs = Employeur.objects.all()
                avant = mesurer(
                    lambda: (
                        list(sans_borne(employeurs, LONGUE, ["raison_sociale", "siret", "commune"])[:25]),
                        sans_borne(employeurs, LONGUE, ["raison_sociale", "siret", "commune"]).count(),
                    ),
                    max(3, options.repetitions // 5),
                )
                raise Annulation
        except Annulation:
            pass
    charge = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine : {os.cpu_count()} processeurs, charge moyenne {charge} (les durées réelles en dépendent)")
    print(
        f"{options.employeurs} employeurs et {options.employeurs} postes (93) ; bornes : {RECHERCHE_MOTS_MAX} mots, "
        f"{RECHERCHE_LONGUEUR_MAX} caractères ; médiane sur {options.repetitions} requêtes de la page"
    )
    for page, nom, duree, statut, issue in resultats:
        print(f"  liste des {page:<10} recherche de {nom:<30} {duree:7.1f} ms  (HTTP {statut}, {issue})")
    print(
        f"  avant la borne : la recherche de {len(LONGUE)} caractères sur les employeurs, seule la requête SQL : {avant:.0f} ms"
    )
    print("Données créées dans une transaction annulée : rien n’est resté en base.")


if __name__ == "__main__":
    main()
