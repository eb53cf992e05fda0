"""First request after a start of the application server (issue 23: 5.8 s once), with and without the
warm-up of ./gunicorn.conf.py (`config/prechauffage.py`).

    .venv/bin/python bench/premiere_requete.py [--repetitions 3]

For each mode, gunicorn (production settings, collected static files, one worker) is started
`--repetitions` times; once the worker says it is ready, a person's first steps are timed twice each:
sign-in page, sign-in, list of posts, the PDF of a draft convention (drawn by WeasyPrint). Printed: the worker's start-up time and, per
step, the first and the second time (medians). The data is the demo set in its own database
(`bench_premiere_requete`, embedded PostgreSQL or the server of BENCH_DATABASE_URL), reused by the
next run."""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
PRET = "BENCH-WORKER-PRET"
# Both modes get a hook that says when the worker is ready; « avec » first runs the project's own.
CONFIGURATIONS = {
    "sans préchauffage": f"def post_worker_init(worker):\n    print({PRET!r}, flush=True)\n",
    "avec préchauffage": (
        f"exec(open({str(RACINE / 'gunicorn.conf.py')!r}).read())\n_hook = post_worker_init\n\n"
        f"def post_worker_init(worker):\n    _hook(worker)\n    print({PRET!r}, flush=True)\n"
    ),
}


def url_base() -> str:
    from bench.charge import url_base as url_charge

    return url_charge(0).replace("bench_echelle_0", "bench_premiere_requete")


def preparer(env: dict) -> int:
    """Migrated database with the demo data, collected static files; returns a convention's id."""
    from bench.charge import creer_base_si_absente

    creer_base_si_absente(env["DATABASE_URL"])
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=RACINE, env=env, check=True)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from conventions.models import Convention

    if not Convention.objects.exists():
        subprocess.run([sys.executable, "manage.py", "charger_demo"], cwd=RACINE, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=RACINE, env=env, check=True)
    from django.db import connection

    # A draft: its PDF (« PROJET ») is drawn by WeasyPrint at each request; a signed one is read from storage.
    convention = Convention.objects.filter(poste__departement__code="93", statut="projet").order_by("pk").first().pk
    connection.close()
    return convention


def parcours(hote: str, convention: int) -> list[tuple[str, float]]:
    """A person's first steps, each one twice: (step, seconds)."""
    import requests

    from demo.chargement import MOT_DE_PASSE_DEMO

    session = requests.Session()
    mesures = []

    def mesurer(nom, appel):
        debut = time.perf_counter()
        reponse = appel()
        mesures.append((nom, time.perf_counter() - debut))
        assert reponse.status_code in (200, 302), (nom, reponse.status_code)
        return reponse

    for _ in range(2):
        page = mesurer("page de connexion", lambda: session.get(hote + "/comptes/connexion/", timeout=60))
    for _ in range(2):
        session.cookies.clear()
        page = session.get(hote + "/comptes/connexion/", timeout=60)
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        mesurer(
            "connexion",
            lambda: session.post(
                hote + "/comptes/connexion/",
                timeout=60,
                allow_redirects=False,
                data={"csrfmiddlewaretoken": jeton, "username": "agent@demo.gouv.fr", "password": MOT_DE_PASSE_DEMO},
            ),
        )
    for _ in range(2):
        mesurer("liste des postes", lambda: session.get(hote + "/postes/", timeout=60))
    for _ in range(2):
        pdf = mesurer("PDF d’une convention", lambda: session.get(hote + f"/conventions/{convention}/pdf/", timeout=60))
        assert pdf.content.startswith(b"%PDF"), pdf.status_code
    return mesures


def une_mesure(configuration: str, env: dict, convention: int, port: int) -> tuple[float, list]:
    fichier = Path(tempfile.mkstemp(suffix=".py", prefix="gunicorn-bench-")[1])
    fichier.write_text(configuration)
    debut = time.perf_counter()
    serveur = subprocess.Popen(
        [
            str(RACINE / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--config",
            str(fichier),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=RACINE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        journal = []
        for ligne in serveur.stdout:
            journal.append(ligne)
            if PRET in ligne:
                break
        else:
            raise SystemExit("gunicorn s’est arrêté :\n" + "".join(journal[-30:]))
        demarrage = time.perf_counter() - debut
        time.sleep(0.5)
        return demarrage, parcours(f"http://127.0.0.1:{port}", convention)
    finally:
        os.killpg(serveur.pid, signal.SIGTERM)
        serveur.wait(timeout=30)
        fichier.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url_base(),
        "SECURE_SSL_REDIRECT": "false",
        "COOKIES_SECURISES": "false",  # plain HTTP on loopback
        "STATIC_ROOT": tempfile.mkdtemp(prefix="bench-static-"),
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="bench-media-"),
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "LOG_LEVEL": "WARNING",
    }
    convention = preparer(env)
    resultats = {}
    for mode, configuration in CONFIGURATIONS.items():
        for _ in range(args.repetitions):
            demarrage, mesures = une_mesure(configuration, env, convention, args.port)
            resultats.setdefault(mode, {"démarrage": [], "étapes": {}})["démarrage"].append(demarrage)
            for rang, (nom, secondes) in enumerate(mesures):
                premiere = rang % 2 == 0
                resultats[mode]["étapes"].setdefault(nom, ([], []))[0 if premiere else 1].append(secondes)

    print(f"\nPremière requête après un démarrage de gunicorn (1 worker, médianes de {args.repetitions} démarrages)\n")
    print(f"{'mode':<20}{'étape':<24}{'1re (ms)':>10}{'2e (ms)':>10}")
    for mode, r in resultats.items():
        print(f"{mode:<20}{'démarrage du worker':<24}{statistics.median(r['démarrage']) * 1000:>10.0f}{'':>10}")
        for nom, (premieres, secondes) in r["étapes"].items():
            print(f"{'':<20}{nom:<24}{statistics.median(premieres) * 1000:>10.0f}{statistics.median(secondes) * 1000:>10.0f}")
        premier_total = sum(statistics.median(p) for p, _ in r["étapes"].values())
        print(f"{'':<20}{'parcours, 1re fois':<24}{premier_total * 1000:>10.0f}")
    print("\n« connexion » : surtout le hachage du mot de passe (PBKDF2), le même à chaque connexion.")


if __name__ == "__main__":
    main()
