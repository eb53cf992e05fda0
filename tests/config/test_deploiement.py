"""Production settings: `check --deploy` clean, secrets required, French locale."""

import json
import os
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECURE_SSL_REDIRECT", "STATIC_MANIFEST", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run([sys.executable, "manage.py", *args], cwd=RACINE, env={**base, **env}, capture_output=True, text=True)


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


PROCONNECT = {
    "OIDC_RP_CLIENT_ID": "adultes-relais",
    "OIDC_RP_CLIENT_SECRET": "secret-fourni-par-proconnect",
    "OIDC_OP_URL": "https://auth.proconnect.gouv.fr/api/v2",
}


def reglages_de_production(**env):
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'csp': s.SECURE_CSP, 'backends': s.AUTHENTICATION_BACKENDS, "
        "'hsts': [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD], "
        "'cookies': [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY], 'xfo': s.X_FRAME_OPTIONS, "
        "'ssl': s.SECURE_SSL_REDIRECT, 'token': s.OIDC_OP_TOKEN_ENDPOINT}, default=str))"
    )
    resultat = manage("shell", "-c", code, **PRODUCTION, **env)
    assert resultat.returncode == 0, resultat.stderr
    return json.loads(resultat.stdout.strip().splitlines()[-1])


def test_check_deploy_sans_avertissement_avec_proconnect():
    resultat = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **PROCONNECT)
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr


def test_reglages_de_securite_en_production():
    r = reglages_de_production()
    assert r["hsts"] == [31536000, True, True]
    assert r["cookies"] == [True, True, "Lax", True, True]
    assert r["xfo"] == "DENY" and r["ssl"] is True
    csp = r["csp"]
    assert "'unsafe-inline'" not in str(csp) and "'unsafe-eval'" not in str(csp)
    assert csp["frame-ancestors"] == ["'none'"] and csp["upgrade-insecure-requests"] is True
    assert csp["form-action"] == ["'self'"]
    assert "comptes.proconnect.ProConnectBackend" not in r["backends"]  # not configured: not active


def test_proconnect_configure_par_l_environnement():
    r = reglages_de_production(**PROCONNECT)
    assert r["token"] == "https://auth.proconnect.gouv.fr/api/v2/token"
    assert r["backends"][0] == "axes.backends.AxesStandaloneBackend"
    assert "comptes.proconnect.ProConnectBackend" in r["backends"]
    # The sign-out form is redirected to ProConnect's end-session page.
    assert r["csp"]["form-action"] == ["'self'", "https://auth.proconnect.gouv.fr"]
