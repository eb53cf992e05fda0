"""Warm-up of an application process, before it serves anyone (issue 23: the first page after a start
took 5.8 s). gunicorn calls `prechauffer()` in each worker once the application is loaded
(`post_worker_init` in ./gunicorn.conf.py, which gunicorn reads from its working directory), after
the application is loaded: this module imports the project at its top, like any other.

What a first request would otherwise pay for, once per process:
- importing every view (Django imports the URLconf, hence all views, on the first request);
- compiling the templates (the cached template loader keeps them for the life of the process);
- the static manifest and the integrity hashes of the DSFR stylesheets and scripts;
- WeasyPrint: its modules, its stylesheets and the Marianne fonts (first convention PDF);
- one request for the sign-in page through the whole stack (middleware, context processors…);
- a database connection and the spatial index of the QPV (address → QPV of a hire).

The database may be down when a worker starts: the steps that need it are skipped with a warning,
the worker still starts and serves the French error page until the database is back.
"""

import io
import logging
import sys
import time
from pathlib import Path

import dsfr
from django.conf import settings
from django.db import connection
from django.template.loader import get_template
from django.urls import get_resolver, reverse
from dsfr.constants import DsfrStaticAssets

from commun.templatetags.statiques import integrite
from config.wsgi import application
from conventions.pdf import prechauffer_weasyprint
from quartiers.localisation import index_quartiers

logger = logging.getLogger(__name__)


def _vues():
    get_resolver().url_patterns  # imports config.urls and every view it names
    reverse("accueil")  # fills the reverse lookup tables


def _gabarits():
    """Compiles every template of the project and of django-dsfr (pages, form widgets, error pages)."""

    dossiers = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + [Path(dsfr.__file__).parent / "templates"]
    for dossier in dossiers:
        for fichier in sorted(dossier.rglob("*.html")):
            get_template(str(fichier.relative_to(dossier)))


def _statiques():
    for nom in dir(DsfrStaticAssets):
        chemin = getattr(DsfrStaticAssets, nom)
        if nom.isupper() and isinstance(chemin, str) and chemin.endswith((".css", ".js")):
            try:
                integrite(chemin)
            except (FileNotFoundError, ValueError):
                pass


def _page_de_connexion():
    """One request through the whole stack (middleware, context processors, session and message
    machinery), as the front server would send it: the sign-in page, which reads no table."""
    hote = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.strip(".*")), "localhost")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/comptes/connexion/",
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": hote,
        "SERVER_PORT": "443",
        "HTTP_HOST": hote,
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statut = []
    corps = application(environ, lambda s, entetes, exc_info=None: statut.append(s))
    try:
        b"".join(corps)
    finally:
        getattr(corps, "close", lambda: None)()
    if not statut or not statut[0].startswith("200"):
        raise RuntimeError(f"page de connexion : {statut}")


def _base_de_donnees():
    connection.ensure_connection()
    index_quartiers()


ETAPES = (
    ("vues", _vues),
    ("gabarits", _gabarits),
    ("fichiers statiques", _statiques),
    ("WeasyPrint", prechauffer_weasyprint),
    ("page de connexion", _page_de_connexion),
    ("base de données et index des QPV", _base_de_donnees),
)


def prechauffer(signe_de_vie=lambda: None) -> dict[str, float | None]:
    """Runs each step; returns its duration in seconds (None: skipped after an error, logged).
    `signe_de_vie` is called between steps (gunicorn's `worker.notify`: a worker that says nothing
    for `--timeout` seconds is killed, and a slow machine must not turn the warm-up into a loop)."""
    durees = {}
    for nom, etape in ETAPES:
        signe_de_vie()
        debut = time.perf_counter()
        try:
            etape()
        except Exception as erreur:  # a worker must start even if one step cannot be done now
            premiere_ligne = str(erreur).strip().splitlines()[0] if str(erreur).strip() else ""
            logger.warning("Préchauffage : étape « %s » non faite (%s : %s).", nom, erreur.__class__.__name__, premiere_ligne)
            durees[nom] = None
        else:
            durees[nom] = time.perf_counter() - debut
    total = sum(d for d in durees.values() if d)
    logger.info("Préchauffage terminé en %.2f s.", total)
    return durees
