"""Database statements have a time limit (issue 22, § 4): a web request whose query runs longer than
DB_STATEMENT_TIMEOUT_WEB_MS is cut and answered with the French 500 page, instead of holding its
worker; commands and the worker (every `manage.py` process) have their own, longer limit.

Each case is a child process on the test database, with the variables a host would set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.titulaires.test_commande_eligibilite import url_base_de_test

pytestmark = pytest.mark.django_db

RACINE = Path(__file__).resolve().parents[2]

# A site with one more page, whose query sleeps 20 s; the rest is the project's (its error pages too).
REQUETE_WEB_LENTE = """
import json, time, types
import django
django.setup()
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path
import config.urls

def page_lente(request):
    with connection.cursor() as curseur:
        curseur.execute("SELECT pg_sleep(20)")
    return HttpResponse("fini")

site = types.ModuleType("site_lent")
site.urlpatterns = [path("lente/", page_lente), *config.urls.urlpatterns]
site.handler500 = config.urls.handler500
with override_settings(ROOT_URLCONF=site):
    debut = time.monotonic()
    reponse = Client(raise_request_exception=False).get("/lente/")
print(json.dumps({"statut": reponse.status_code, "duree_s": time.monotonic() - debut, "page": reponse.content.decode()}))
"""

COMMANDE_LENTE = "from django.db import connection; connection.cursor().execute('SELECT pg_sleep(1.5)'); print('requête finie')"


def environnement(**variables):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DB_STATEMENT_TIMEOUT") and k != "ADULTES_RELAIS_PROCESSUS"}
    return {
        **env,
        "DATABASE_URL": url_base_de_test(),
        "DEBUG": "false",
        "SECRET_KEY": "cle-de-test-uniquement",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        **variables,
    }


def test_requete_web_trop_longue_coupee_page_500_francaise():
    resultat = subprocess.run(
        [sys.executable, "-c", REQUETE_WEB_LENTE],
        cwd=RACINE,
        env=environnement(DB_STATEMENT_TIMEOUT_WEB_MS="300"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resultat.returncode == 0, resultat.stderr
    reponse = json.loads(resultat.stdout.strip().splitlines()[-1])
    assert reponse["statut"] == 500
    assert "Erreur inattendue" in reponse["page"] and "Réessayez dans quelques minutes" in reponse["page"]
    assert reponse["duree_s"] < 10  # cut after 0.3 s, not after the 20 s of the query
    assert "QueryCanceled" in resultat.stderr  # the log says why (statement timeout)


def commande_lente(**variables):
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", COMMANDE_LENTE],
        cwd=RACINE,
        env=environnement(**variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_une_commande_n_est_pas_coupee_par_le_delai_du_web():
    resultat = commande_lente(DB_STATEMENT_TIMEOUT_WEB_MS="300")
    assert resultat.returncode == 0, resultat.stderr
    assert "requête finie" in resultat.stdout


def test_les_commandes_ont_leur_propre_delai():
    resultat = commande_lente(DB_STATEMENT_TIMEOUT_COMMANDES_MS="300")
    assert resultat.returncode != 0
    assert "requête finie" not in resultat.stdout
    assert "QueryCanceled" in resultat.stderr
