"""Timing of the password-reset request for a known and an unknown address (no account enumeration:
both must take the same time). Prints the median and spread of each, and their difference.

    DEBUG=true .venv/bin/python bench/reinitialisation_sans_enumeration.py [REPETITIONS]

Runs against a throw-away test database (created and dropped here). A known address writes its
message to the outbox (commun/courriels.py, sent later by the worker), an unknown one does the same
statements in a savepoint rolled back: no SMTP exchange happens in either answer.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402


def mesurer(client, email, n):
    durees = []
    for _ in range(n):
        debut = time.perf_counter()
        reponse = client.post("/comptes/mot-de-passe/oubli/", {"email": email})
        durees.append((time.perf_counter() - debut) * 1000)
        assert reponse.status_code == 302
    return durees


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    setup_test_environment()
    ancien_nom = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from comptes.models import Role, Utilisateur

        Utilisateur.objects.create_user("connu@exemple.gouv.fr", "un-mot-de-passe-solide-42", role=Role.AGENT)
        client = Client()
        mesurer(client, "connu@exemple.gouv.fr", 10)  # warm-up
        connue, inconnue = [], []
        for _ in range(n // 20):  # interleaved batches, so that drifts hit both alike
            connue += mesurer(client, "connu@exemple.gouv.fr", 10)
            inconnue += mesurer(client, "inconnu@exemple.gouv.fr", 10)
        for nom, d in (("adresse connue", connue), ("adresse inconnue", inconnue)):
            q = statistics.quantiles(d, n=10)
            print(
                f"{nom:17} n={len(d):4}  médiane {statistics.median(d):6.2f} ms  1er décile {q[0]:6.2f}  9e décile {q[-1]:6.2f}"
            )
        print(f"écart des médianes : {statistics.median(connue) - statistics.median(inconnue):+.2f} ms")
    finally:
        connection.creation.destroy_test_db(ancien_nom, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
