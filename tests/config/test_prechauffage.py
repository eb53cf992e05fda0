"""A process of the application warms up before it serves anyone (issue 23: the first page after a
start took 5.8 s): once `prechauffer()` has run (gunicorn's post_worker_init, ./gunicorn.conf.py),
the first request imports no module and compiles no template. The database may be down. The
procrastinate worker loads WeasyPrint and its fonts at its start, before its first job (issue 22)."""

import json
import subprocess
import sys
import threading
import time

from conventions.pdf import prechauffer_weasyprint, ressources_weasyprint
from tests.deploye import RACINE, environnement_propre, port_libre
from tests.worker import Worker

PREMIERE_REQUETE = """
import json, sys
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
if sys.argv[1] == "avec":
    from config.prechauffage import prechauffer
    durees = prechauffer()
else:
    durees = {}
from django.template import engines
from django.test import Client
chargeur = engines["django"].engine.template_loaders[0]
modules, gabarits = set(sys.modules), set(chargeur.get_template_cache)
reponse = Client().get("/comptes/connexion/", secure=True)
print(json.dumps({
    "statut": reponse.status_code,
    "durees": durees,
    "modules_importes": sorted(set(sys.modules) - modules),
    "gabarits_compiles": sorted(set(chargeur.get_template_cache) - gabarits),
}))
"""


def premiere_requete(mode: str) -> dict:
    env = {
        **environnement_propre(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "prechauffage-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        "STATIC_MANIFEST": "false",
        "LOG_LEVEL": "ERROR",
        # The database server is down: the warm-up goes on without it.
        "DATABASE_URL": f"postgres://adultes_relais:x@127.0.0.1:{port_libre()}/adultes_relais",
    }
    sortie = subprocess.run(
        [sys.executable, "-c", PREMIERE_REQUETE, mode], cwd=RACINE, env=env, capture_output=True, text=True, timeout=300
    )
    assert sortie.returncode == 0, sortie.stderr[-3000:]
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def test_apres_le_prechauffage_la_premiere_requete_n_importe_ni_ne_compile_rien():
    resultat = premiere_requete("avec")
    assert resultat["statut"] == 200
    assert resultat["modules_importes"] == [], resultat["modules_importes"]
    assert resultat["gabarits_compiles"] == []
    assert resultat["durees"]["WeasyPrint"] is not None
    assert resultat["durees"]["base de données et index des QPV"] is None  # skipped: the database is down


def test_sans_prechauffage_la_premiere_requete_paie_les_imports_et_les_gabarits():
    """What the warm-up saves: without it, the first request imports the views and compiles templates."""
    resultat = premiere_requete("sans")
    assert resultat["statut"] == 200
    assert "config.urls" in resultat["modules_importes"]
    assert "comptes/connexion.html" in resultat["gabarits_compiles"]


def journal_des_trois_workers(site, secondes=90) -> str:
    """The server's log once its 3 workers have warmed up (the first one may answer before the others)."""
    limite = time.monotonic() + secondes
    while (journal := site.journal.read_text()).count("Préchauffage terminé") < 3 and time.monotonic() < limite:
        time.sleep(0.5)
    return journal


def test_chaque_worker_du_site_deploye_se_prechauffe(site_deploye):
    """The README's gunicorn command, unchanged, reads ./gunicorn.conf.py: its 3 workers warm up."""
    journal = journal_des_trois_workers(site_deploye)
    assert journal.count("Préchauffage terminé") >= 3, journal[-3000:]
    assert "non faite" not in journal, journal[-3000:]


def test_sans_base_de_donnees_le_worker_demarre_quand_meme(site_deploye_sans_base):
    journal = journal_des_trois_workers(site_deploye_sans_base)
    assert journal.count("Préchauffage terminé") >= 3, journal[-3000:]
    assert "étape « base de données et index des QPV » non faite (OperationalError" in journal, journal[-3000:]


def test_le_worker_des_taches_charge_weasyprint_avant_de_prendre_une_tache(transactional_db, tmp_path):
    """`manage.py procrastinate worker`, as the Procfile starts it: the warm-up is logged before
    procrastinate launches the worker (then only it listens to the queue)."""
    worker = Worker(tmp_path / "worker.log").demarrer()
    try:
        limite = time.monotonic() + 120
        while "Launching a worker" not in (journal := worker.lire_journal()) and time.monotonic() < limite:
            time.sleep(0.2)
    finally:
        worker.arreter()
    assert "Launching a worker" in journal, journal[-3000:]
    assert "Préchauffage du worker (WeasyPrint, polices) terminé" in journal, journal[-3000:]
    assert journal.index("Préchauffage du worker") < journal.index("Launching a worker")


def test_les_fils_du_worker_trouvent_weasyprint_deja_charge():
    """procrastinate runs a synchronous job in a pool of threads: the fonts loaded by the warm-up in
    the main thread serve them (one set per process, not one per thread)."""
    prechauffer_weasyprint()
    vues = []
    fil = threading.Thread(target=lambda: vues.append(ressources_weasyprint().configuration))
    fil.start()
    fil.join()
    assert vues == [ressources_weasyprint().configuration]
