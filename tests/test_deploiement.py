"""Production settings: `check --deploy` clean, secrets required, French locale."""

import os
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("SECURE_SSL_REDIRECT", "STATIC_MANIFEST", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=RACINE, env={**base, **env}, capture_output=True, text=True
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-une-cle-longue-et-aleatoire-pour-la-production-" + "x" * 20,
    "ALLOWED_HOSTS": "adultes-relais.exemple.gouv.fr",
    "EMAIL_URL": "smtp+tls://notifications:secret@smtp.exemple.gouv.fr:587",
}


def test_check_deploy_sans_avertissement_en_production():
    resultat = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "System check identified no issues" in resultat.stdout


def test_secret_key_obligatoire_hors_debug():
    env = {**PRODUCTION}
    del env["SECRET_KEY"]
    base = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    resultat = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=RACINE, env={**base, **env}, capture_output=True, text=True
    )
    assert resultat.returncode != 0
    assert "SECRET_KEY" in resultat.stderr


def test_reglages_francais(settings):
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


def test_aucune_migration_manquante():
    resultat = manage("makemigrations", "--check", "--dry-run", DEBUG="true")
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
