"""Load benchmark (issue 7): 20 agents browsing the national dataset through gunicorn with the
production settings, on loopback, for a bounded time (statistics start once every agent is signed
in and has opened each page twice: the sign-in burst and each worker's first use of a page are
not the steady state being measured). Prints requests per second, p50/p95/p99 per
page and the error count, and checks the targets (p95 < 200 ms for lists and details, < 500 ms for
the national dashboard, no error).

    .venv/bin/python bench/charge.py [--echelle 1] [--duree 30] [--utilisateurs 20] [--workers 4]

The dataset lives in its own database (`bench_echelle_<N>`) of the embedded PostgreSQL (or of the
server named by BENCH_DATABASE_URL, a URL whose database will be created if missing) and is reused
by the next run."""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
MOT_DE_PASSE = "bench-adultes-relais-2026"
CIBLES = {"tableau de bord national": 500}
CIBLE_PAR_DEFAUT = 200


def url_base(echelle: float) -> str:
    nom = f"bench_echelle_{str(echelle).replace('.', '_')}"
    if os.environ.get("BENCH_DATABASE_URL"):
        from urllib.parse import urlsplit, urlunsplit

        morceaux = urlsplit(os.environ["BENCH_DATABASE_URL"])
        return urlunsplit(morceaux._replace(path="/" + nom))
    from config.embedded_db import embedded_database_url

    return embedded_database_url(RACINE, database=nom)


def creer_base_si_absente(url: str):
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    morceaux = urlsplit(url)
    nom = morceaux.path.lstrip("/")
    with psycopg.connect(
        urlunsplit(morceaux._replace(path="/postgres")).replace("postgres://", "postgresql://"), autocommit=True
    ) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nom]).fetchone():
            c.execute(f'CREATE DATABASE "{nom}"')


def preparer(echelle: float, env: dict) -> dict:
    """Migrate, generate the national dataset once, create the bench accounts; return the scenario."""
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=RACINE, env=env, check=True)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from comptes.models import Role, Utilisateur
    from conventions.models import Convention
    from demo.national import generer
    from postes.models import Poste
    from quartiers.models import Departement

    if not Poste.objects.exists():
        debut = time.perf_counter()
        print(f"Génération des données nationales (échelle {echelle})…", flush=True)
        print(generer(echelle=echelle), f"en {time.perf_counter() - debut:.1f} s", flush=True)
        from django.db import connection

        with connection.cursor() as curseur:
            curseur.execute("ANALYZE")  # planner statistics after the bulk load
    agents = []
    deps = list(Departement.objects.filter(postes__isnull=False).distinct().order_by("code"))
    for i in range(20):
        mes_deps = [deps[i % len(deps)], deps[(i + 37) % len(deps)]]
        user, cree = Utilisateur.objects.get_or_create(email=f"agent{i}@bench.gouv.fr", defaults={"role": Role.AGENT})
        if cree:
            user.set_password(MOT_DE_PASSE)
            user.save()
        user.departements.set(mes_deps)
        postes = list(Poste.objects.filter(departement__in=mes_deps).values_list("identifiant", flat=True)[:200])
        conventions = list(Convention.objects.filter(poste__departement__in=mes_deps).values_list("pk", flat=True)[:200])
        employeurs = list(
            Poste.objects.filter(departement__in=mes_deps).values_list("employeur__siret", flat=True).distinct()[:100]
        )
        agents.append(
            {
                "email": user.email,
                "departements": [d.pk for d in mes_deps],
                "postes": postes,
                "conventions": conventions,
                "employeurs": employeurs,
            }
        )
    admin, cree = Utilisateur.objects.get_or_create(email="admin@bench.gouv.fr", defaults={"role": Role.ADMIN_NATIONAL})
    if cree:
        admin.set_password(MOT_DE_PASSE)
        admin.save()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    appareil = TOTPDevice.objects.filter(user=admin, confirmed=True).first() or TOTPDevice.objects.create(
        user=admin, name="Banc de charge", confirmed=True
    )
    tous = agents[0]
    pages = {}
    from django.urls import NoReverseMatch, reverse

    for cle, nom in (("tableau_de_bord", "pilotage:tableau_de_bord"), ("demandes", "demandes:liste")):
        try:
            pages[cle] = reverse(nom)
        except NoReverseMatch:
            pass
    return {
        "mot_de_passe": MOT_DE_PASSE,
        "agents": agents,
        "pages": pages,
        "admin": {**tous, "email": admin.email, "cle_totp": appareil.key},
    }


def attendre(url: str, secondes: int = 60):
    fin = time.time() + secondes
    while time.time() < fin:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"Le serveur ne répond pas sur {url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--echelle", type=float, default=1)
    parser.add_argument("--duree", type=int, default=30, help="secondes de charge (défaut 30)")
    parser.add_argument("--utilisateurs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    base = url_base(args.echelle)
    creer_base_si_absente(base)
    statiques = tempfile.mkdtemp(prefix="bench-static-")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)},
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": base,
        "SECURE_SSL_REDIRECT": "false",
        "COOKIES_SECURISES": "false",  # plain HTTP on loopback: the browser would not send Secure cookies
        "STATIC_ROOT": statiques,
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
    }
    scenario = preparer(args.echelle, env)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=RACINE, env=env, check=True)
    # What the daily cron does after mettre_a_jour_conventions: the budget figures of every
    # département are computed once (cold), so that dashboards read them from the shared cache.
    calcul = subprocess.run(
        [sys.executable, "manage.py", "calculer_tableau_de_bord"], cwd=RACINE, env=env, check=True, capture_output=True, text=True
    )
    print("Calcul quotidien du tableau de bord (à froid) :", calcul.stdout.strip(), flush=True)
    fichier_scenario = Path(tempfile.mkstemp(suffix=".json")[1])
    fichier_scenario.write_text(json.dumps(scenario))

    hote = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(
        [
            str(RACINE / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
            "--preload",
        ],
        cwd=RACINE,
        env=env,
        start_new_session=True,
    )
    try:
        attendre(hote + "/comptes/connexion/")
        prefixe = tempfile.mkdtemp(prefix="bench-locust-") + "/charge"
        subprocess.run(
            [
                str(RACINE / ".venv/bin/locust"),
                "-f",
                str(RACINE / "bench/locustfile.py"),
                "--headless",
                "--only-summary",
                "-u",
                str(args.utilisateurs + 1),
                "-r",
                str(args.utilisateurs + 1),
                "-t",
                f"{args.duree + 120}s",
                "--host",
                hote,
                "--csv",
                prefixe,
                "--loglevel",
                "WARNING",
            ],
            cwd=RACINE,
            env={**env, "BENCH_SCENARIO": str(fichier_scenario), "BENCH_DUREE": str(args.duree)},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=args.duree + 240,
        )
        afficher(prefixe + "_stats.csv", args)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)


def afficher(fichier: str, args):
    lignes = list(csv.DictReader(open(fichier, encoding="utf-8")))
    print(
        f"\nCharge : {args.utilisateurs} agents + 1 administrateur national, {args.duree} s, "
        f"gunicorn {args.workers} workers, échelle {args.echelle}\n"
    )
    print(f"{'page':<28}{'requêtes':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'erreurs':>9}{'cible':>8}  verdict")
    echecs = 0
    for ligne in lignes:
        nom = ligne["Name"]
        if nom == "Aggregated" or int(ligne["Request Count"]) == 0:
            continue
        p95 = float(ligne["95%"])
        cible = CIBLES.get(nom, CIBLE_PAR_DEFAUT)
        erreurs = int(ligne["Failure Count"])
        ok = p95 < cible and erreurs == 0
        echecs += 0 if ok else 1
        print(
            f"{nom:<28}{ligne['Request Count']:>9}{float(ligne['Requests/s']):>8.1f}{ligne['50%']:>8}{ligne['95%']:>8}"
            f"{ligne['99%']:>8}{erreurs:>9}{cible:>8}  {'ok' if ok else 'HORS CIBLE'}"
        )
    total = next(l for l in lignes if l["Name"] == "Aggregated")
    print(
        f"\nTotal : {total['Request Count']} requêtes, {float(total['Requests/s']):.1f} req/s, "
        f"p95 {total['95%']} ms, {total['Failure Count']} erreurs. "
        f"{'Toutes les cibles sont tenues.' if echecs == 0 else f'{echecs} page(s) hors cible.'}"
    )


if __name__ == "__main__":
    main()
