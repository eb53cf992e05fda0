"""Benchmark of the ZIP of conventions prepared by the worker (README « Archive ZIP des conventions »):
the request that asks for it (median over 5), and the job's body for 200 conventions (150 signed,
50 drafts), first when the signed PDFs are not stored yet, then when they are.

    .venv/bin/python bench/archive_zip.py    # embedded PostgreSQL of this checkout, or DATABASE_URL

Same data as bench/pdf.py, in a transaction rolled back at the end (files in a temporary
MEDIA_ROOT, deleted afterwards): nothing stays. The database must be migrated."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.pdf import Annulation, creer_donnees  # noqa: E402
from comptes.models import Role, Utilisateur  # noqa: E402
from conventions.archives import preparer  # noqa: E402
from conventions.models import ArchiveConventions  # noqa: E402
from conventions.pdf import rendre_pdf  # noqa: E402
from quartiers.models import Departement  # noqa: E402

DEMANDES = 5


def main():
    if MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes()):
        sys.exit("La base n’est pas migrée : lancez d’abord « python manage.py migrate ».")
    with tempfile.TemporaryDirectory() as medias, override_settings(MEDIA_ROOT=medias):
        try:
            with transaction.atomic():
                conventions = creer_donnees()
                rendre_pdf(conventions[0])  # fonts loaded, as in a worker that has started (config/prechauffage.py)
                agent = Utilisateur.objects.create(email="banc@exemple.gouv.fr", role=Role.AGENT, nom="Banc", prenom="Essai")
                agent.departements.add(Departement.objects.get(code="93"))
                client = Client(HTTP_HOST="localhost")
                client.force_login(agent)
                filtres = {"employeur": "99999999900018"}
                requetes = []
                for _ in range(DEMANDES):
                    debut = time.perf_counter()
                    reponse = client.get(reverse("conventions:zip"), filtres)
                    requetes.append((time.perf_counter() - debut) * 1000)
                    assert reponse.status_code == 302 and "/conventions/archives/" in reponse.url, reponse
                archives = list(ArchiveConventions.objects.filter(demandeur=agent).order_by("pk"))
                mesures = []
                for archive in archives[:2]:
                    debut, debut_cpu = time.perf_counter(), time.process_time()
                    preparer(archive.pk)
                    mesures.append((time.perf_counter() - debut, time.process_time() - debut_cpu))
                    archive.refresh_from_db()
                    assert archive.total == len(conventions), archive.total
                taille = default_storage.size(archives[1].fichier)
                raise Annulation
        except Annulation:
            pass
    charge = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine : {os.cpu_count()} processeurs, charge moyenne {charge} (les durées réelles en dépendent)")
    print(
        f"Requête qui demande l’archive (ligne et tâche écrites, redirection vers le suivi) : médiane "
        f"{statistics.median(requetes):.0f} ms sur {DEMANDES} (min {min(requetes):.0f}, max {max(requetes):.0f})"
    )
    (froid, froid_cpu), (chaud, chaud_cpu) = mesures
    print(
        f"Tâche du worker, {len(conventions)} conventions (150 signées, 50 projets), PDF signés pas encore archivés : "
        f"{froid:.1f} s (processeur {froid_cpu:.1f} s)"
    )
    print(
        f"Tâche du worker, PDF signés déjà archivés (seuls les 50 projets sont rendus) : {chaud:.1f} s "
        f"(processeur {chaud_cpu:.1f} s ; {taille / 1024 / 1024:.1f} Mio)"
    )
    print("Données créées dans une transaction annulée : rien n’est resté en base.")


if __name__ == "__main__":
    main()
