"""The application as deployed: the README's deploy section, run command by command.

The shell block of « Déployer sur un vrai PostgreSQL derrière un serveur WSGI » is read from the
README and executed as written, with only these substitutions (each must be found in the block, so
a README edit that the test does not follow fails here):
- the example values of the host names and of the database are replaced by local ones (the
  database of the test server, `localhost`); the mail server stays the README's (no mail is sent);
- `createsuperuser` gets `--no-input` (its e-mail and password come from DJANGO_SUPERUSER_*);
- gunicorn binds a free port instead of 8001.
Static and media roots go to a temporary folder (not to the work tree), the demo data is loaded
after the deploy so that each role has pages to show, and requests carry `X-Forwarded-Proto: https`
as the README's front server (nginx) does.
"""

import base64
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RACINE = Path(__file__).resolve().parent.parent
TITRE_SECTION = "## Déployer sur un vrai PostgreSQL derrière un serveur WSGI"
EN_TETES_FRONTAL = {"X-Forwarded-Proto": "https"}
MOT_DE_PASSE_ADMIN = "administrateur-deploye-2026"


def bloc_deploiement(readme: str | None = None) -> str:
    texte = readme if readme is not None else (RACINE / "README.md").read_text(encoding="utf-8")
    section = texte.split(TITRE_SECTION, 1)[1].split("\n## ", 1)[0]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def variables_lues_par_les_reglages() -> set[str]:
    """Every environment variable config/settings.py reads: none may leak from the shell."""
    reglages = (RACINE / "config" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z_]+)\"", reglages)) | {
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DJANGO_SETTINGS_MODULE",
    }


def environnement_propre() -> dict:
    propre = {k: v for k, v in os.environ.items() if k not in variables_lues_par_les_reglages()}
    propre.pop("PYTEST_CURRENT_TEST", None)
    return propre


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_base_de_donnees(nom: str) -> str:
    """A fresh, empty database `nom` on the server the tests use (DATABASE_URL or the embedded one)."""
    import psycopg

    if os.environ.get("DATABASE_URL"):
        morceaux = urlsplit(os.environ["DATABASE_URL"])
        url = urlunsplit(morceaux._replace(path="/" + nom))
    else:
        from config.embedded_db import embedded_database_url

        url = embedded_database_url(RACINE, database="postgres").rsplit("/postgres?", 1)
        url = f"{url[0]}/{nom}?{url[1]}"
    morceaux = urlsplit(url)
    maintenance = urlunsplit(morceaux._replace(path="/postgres"))
    conninfo = maintenance.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{nom}"')
    return url


def supprimer_base(url: str):
    import psycopg

    morceaux = urlsplit(url)
    nom = morceaux.path.lstrip("/")
    conninfo = urlunsplit(morceaux._replace(path="/postgres")).replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')


@dataclass
class SiteDeploye:
    url: str  # http://localhost:PORT (the front server's TLS is simulated by X-Forwarded-Proto)
    port: int
    journal: Path
    sorties: dict  # command → its output, for the assertions (check --deploy…)
    environnement: dict
    processus: subprocess.Popen
    prelude: str = ""  # the README's exports, as substituted
    serveur: str = ""  # the README's gunicorn command, as substituted
    dossier: Path | None = None  # collected files, media, logs

    def get(self, chemin: str, **kwargs):
        import requests

        en_tetes = {**EN_TETES_FRONTAL, **kwargs.pop("headers", {})}
        return requests.get(self.url + chemin, headers=en_tetes, timeout=30, **kwargs)


def substitutions(bloc: str, valeurs: dict[str, str], port: int) -> str:
    """Replace the example value of each exported variable by a local one; every name must be there."""
    for nom, valeur in valeurs.items():
        motif = re.compile(rf"(?<![A-Z_]){nom}=(\"[^\"]*\"|\S+)")
        if not motif.search(bloc):
            raise AssertionError(f"La section de déploiement du README n’exporte plus {nom}.")
        bloc = motif.sub(lambda m: f"{nom}={shlex.quote(valeur)}", bloc, count=1)
    for avant, apres in (
        ("manage.py createsuperuser", "manage.py createsuperuser --no-input"),
        ("--bind 127.0.0.1:8001", f"--bind 127.0.0.1:{port}"),
    ):
        if avant not in bloc:
            raise AssertionError(f"La section de déploiement du README ne contient plus « {avant} ».")
        bloc = bloc.replace(avant, apres)
    return bloc


def deployer(dossier: Path, nom_base: str = "deploye_test") -> SiteDeploye:
    port = port_libre()
    url_base = url_base_de_donnees(nom_base)
    valeurs = {
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"http://localhost:{port}",
        "DATABASE_URL": url_base,
    }
    bloc = substitutions(bloc_deploiement(), valeurs, port)
    lignes = [ligne for ligne in bloc.splitlines() if ligne.strip() and not ligne.lstrip().startswith("#")]
    exports = [ligne for ligne in lignes if ligne.startswith("export ")]
    commandes = [ligne for ligne in lignes if not ligne.startswith("export ")]
    serveur = commandes.pop()
    assert "gunicorn" in serveur, "La dernière commande de la section de déploiement doit lancer gunicorn."

    env = {
        **environnement_propre(),
        "STATIC_ROOT": str(dossier / "staticfiles"),
        "MEDIA_ROOT": str(dossier / "media"),
        "DJANGO_SUPERUSER_EMAIL": "premier-admin@exemple.gouv.fr",
        "DJANGO_SUPERUSER_PASSWORD": MOT_DE_PASSE_ADMIN,
    }
    sorties = {}
    prelude = "set -euo pipefail\n" + "\n".join(exports)
    for commande in commandes:
        debut = time.monotonic()
        resultat = subprocess.run(
            ["bash", "-c", f"{prelude}\n{commande}"], cwd=RACINE, env=env, capture_output=True, text=True, timeout=600
        )
        sorties[commande] = resultat.stdout + resultat.stderr
        print(f"[déploiement] {commande} : {time.monotonic() - debut:.1f} s", flush=True)
        if resultat.returncode != 0:
            raise AssertionError(f"« {commande} » a échoué ({resultat.returncode}) :\n{sorties[commande][-4000:]}")
    # Demo data after the deploy, so that each role has pages to look at.
    demo = subprocess.run(
        ["bash", "-c", f"{prelude}\n{sys.executable} manage.py charger_demo"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if demo.returncode != 0:
        raise AssertionError(f"charger_demo a échoué :\n{demo.stdout}{demo.stderr}")

    site = demarrer_serveur(dossier / "gunicorn.log", prelude, serveur, env, port)
    site.dossier = dossier
    site.sorties, site.environnement = sorties, {**env, "DATABASE_URL": url_base}
    return site


def demarrer_serveur(
    journal: Path, prelude: str, serveur: str, env: dict, port: int, statut_attendu: int | None = 200
) -> SiteDeploye:
    """Starts the README's gunicorn command; returns once the sign-in page answers `statut_attendu`
    (None: any HTTP answer)."""
    import requests

    sortie = open(journal, "w")
    processus = subprocess.Popen(
        ["bash", "-c", f"{prelude}\nexec {serveur}"],
        cwd=RACINE,
        env=env,
        stdout=sortie,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    site = SiteDeploye(f"http://localhost:{port}", port, journal, {}, dict(env), processus, prelude, serveur)
    limite = time.monotonic() + 90
    while True:
        try:
            reponse = requests.get(site.url + "/comptes/connexion/", headers=EN_TETES_FRONTAL, timeout=5)
            if statut_attendu is None or reponse.status_code == statut_attendu:
                break
        except requests.RequestException:
            pass
        if processus.poll() is not None or time.monotonic() > limite:
            arreter_serveur(site)
            raise AssertionError(f"gunicorn n’a pas servi la page de connexion :\n{journal.read_text()[-4000:]}")
        time.sleep(0.3)
    return site


def arreter_serveur(site: SiteDeploye):
    if site.processus.poll() is None:
        os.killpg(site.processus.pid, signal.SIGTERM)
        try:
            site.processus.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(site.processus.pid, signal.SIGKILL)


def sans_base_de_donnees(site: SiteDeploye, dossier: Path) -> SiteDeploye:
    """A second gunicorn of the same deployment (same variables, same collected files) whose
    DATABASE_URL points at a closed port: the database server is down."""
    port = port_libre()
    base_fermee = f"postgres://adultes_relais:mot-de-passe@127.0.0.1:{port_libre()}/adultes_relais"
    serveur = site.serveur.replace(f"--bind 127.0.0.1:{site.port}", f"--bind 127.0.0.1:{port}")
    prelude = f"{site.prelude}\nexport DATABASE_URL={base_fermee} CSRF_TRUSTED_ORIGINS=http://localhost:{port}"
    journal = dossier / "gunicorn-sans-base.log"
    return demarrer_serveur(journal, prelude, serveur, site.environnement, port, statut_attendu=None)


def autre_instance(site: SiteDeploye, dossier: Path, nom: str, variables: dict[str, str]) -> SiteDeploye:
    """Another gunicorn of the same deployment (same database, same collected files), with
    `variables` exported after the README's (the S3 storage of several instances, for instance)."""
    port = port_libre()
    serveur = site.serveur.replace(f"--bind 127.0.0.1:{site.port}", f"--bind 127.0.0.1:{port}")
    serveur = re.sub(r"--workers \d+", "--workers 1", serveur)  # one worker is enough to be another instance
    exports = " ".join(f"{cle}={shlex.quote(valeur)}" for cle, valeur in variables.items())
    prelude = f"{site.prelude}\nexport CSRF_TRUSTED_ORIGINS=http://localhost:{port} {exports}"
    return demarrer_serveur(dossier / f"gunicorn-{nom}.log", prelude, serveur, site.environnement, port)


def arreter(site: SiteDeploye):
    arreter_serveur(site)
    try:
        supprimer_base(site.environnement["DATABASE_URL"])
    except Exception:  # the server may already be gone at the end of the session
        pass


def dossier_temporaire() -> Path:
    return Path(tempfile.mkdtemp(prefix="adultes-relais-deploye-"))


# The deployed site lives for the whole session: the national administrator enrols a second factor
# once, and every browser test that signs them in afterwards reads the secret from here.
SECRETS_TOTP = {}  # e-mail → secret shown on the enrolment page
_DERNIER_PAS = {}  # secret → last time step used (django-otp refuses a code used twice)


def code_totp(secret: str) -> str:
    """The code of the next unused time step of `secret` (within django-otp's tolerance of one step)."""
    from django_otp.oath import TOTP

    brut = secret.replace(" ", "").upper()
    totp = TOTP(base64.b32decode(brut + "=" * (-len(brut) % 8)))
    dernier = _DERNIER_PAS.get(secret)
    if dernier is not None and totp.t() <= dernier:
        if dernier + 1 - totp.t() > 1:  # two codes already used in this step: wait for the next one
            time.sleep(30 - time.time() % 30 + 0.5)
        totp.drift = max(0, dernier + 1 - totp.t())
    _DERNIER_PAS[secret] = totp.t()
    return f"{totp.token():06d}"


def connecter_dans_le_navigateur(page, url: str, email: str | None):
    """Sign `email` in on the deployed site at `url` in a Playwright page (None: stay signed out on the
    sign-in page). The national administrator enrols their second factor the first time, then gives
    a fresh code."""
    from demo.chargement import MOT_DE_PASSE_DEMO

    page.goto(f"{url}/comptes/connexion/")
    if email is None:
        return
    page.get_by_role("textbox", name="Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE_DEMO)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if "/double-facteur/" in page.url:
        secret = page.locator(".ar-secret")
        if secret.count():  # enrolment: the secret is shown this once
            SECRETS_TOTP[email] = secret.inner_text().strip()
        page.get_by_label("Code à 6 chiffres").fill(code_totp(SECRETS_TOTP[email]))
        page.get_by_role("button", name=re.compile("^(Activer|Valider)$")).click()
        page.wait_for_load_state()
    # include_hidden: on a phone the sign-out button sits in the closed mobile menu.
    assert page.get_by_role("button", name="Se déconnecter", include_hidden=True).count(), (
        f"{email} n’est pas connecté ({page.url})"
    )
