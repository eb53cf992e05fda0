"""A real procrastinate worker for the tests (`manage.py procrastinate worker` in a subprocess, on
the test database), and a local SMTP server that records what it receives (aiosmtpd, loopback,
free port). The test must commit its rows for the worker to see them: fixture `worker` asks for
`transactional_db`."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from aiosmtpd.controller import Controller
from django.db import connection

RACINE = Path(__file__).resolve().parent.parent


def url_de_la_base_de_test() -> str:
    """DATABASE_URL of the database the tests use (unix socket of the embedded server, or TCP)."""
    reglages = connection.settings_dict
    utilisateur = quote(reglages["USER"] or "", safe="")
    if reglages["PASSWORD"]:
        utilisateur += ":" + quote(reglages["PASSWORD"], safe="")
    options = reglages.get("OPTIONS") or {}
    hote = reglages["HOST"] or options.get("host") or ""  # the embedded server: its socket, in OPTIONS
    port, nom = reglages["PORT"] or options.get("port") or "", reglages["NAME"]
    if hote.startswith("/"):
        return f"postgres://{utilisateur}@/{nom}?host={hote}" + (f"&port={port}" if port else "")
    return f"postgres://{utilisateur}@{hote}{':' + str(port) if port else ''}/{nom}"


def attendre(condition, delai: float = 60.0, message="condition jamais remplie"):
    """Poll `condition()` until it is true; else fail with `message`: a text, or a function called
    then (so that a worker's log is read when the wait ends, not when it starts)."""
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        resultat = condition()
        if resultat:
            return resultat
        time.sleep(0.1)
    raise AssertionError(message() if callable(message) else message)


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeurSMTP:
    """Records each message received: (envelope recipients, raw content)."""

    def __init__(self):
        self.recus = []
        self._verrou = threading.Lock()
        self.port = port_libre()
        self.controleur = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        with self._verrou:
            self.recus.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"

    def __enter__(self):
        self.controleur.start()
        return self

    def __exit__(self, *exc):
        self.controleur.stop()

    def attendre(self, nombre: int, delai: float = 20.0) -> list:
        fin = time.monotonic() + delai
        while time.monotonic() < fin and len(self.recus) < nombre:
            time.sleep(0.05)
        return list(self.recus)


class Worker:
    """`manage.py procrastinate worker` on the test database, e-mails to `smtp` if given."""

    def __init__(self, journal: Path, smtp: ServeurSMTP | None = None, **variables):
        self.journal = journal
        self.environnement = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "cle-de-test-uniquement-jamais-en-production",
            "DATABASE_URL": url_de_la_base_de_test(),
            "CONN_MAX_AGE": "0",
            # Quick heartbeats, a worker silent for 2 s is dead, stalled jobs looked for every second.
            "TACHES_BATTEMENT_S": "0.5",
            "TACHES_WORKER_MUET_S": "2",
            "TACHES_REPRISE_CRON": "* * * * * *",
            "LOG_LEVEL": "INFO",
            **({"EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}"} if smtp else {}),
            **variables,
        }
        self.processus = None

    def demarrer(self) -> "Worker":
        sortie = open(self.journal, "a")
        self.processus = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker"],
            cwd=RACINE,
            env=self.environnement,
            stdout=sortie,
            stderr=subprocess.STDOUT,
        )
        sortie.close()
        return self

    def tuer(self) -> None:
        """SIGKILL: no cleanup, the job it holds stays « doing », its heartbeat stops."""
        self.processus.send_signal(signal.SIGKILL)
        self.processus.wait(10)

    def arreter(self) -> None:
        if self.processus and self.processus.poll() is None:
            self.processus.send_signal(signal.SIGTERM)
            try:
                self.processus.wait(15)
            except subprocess.TimeoutExpired:
                self.tuer()

    def lire_journal(self) -> str:
        return self.journal.read_text() if self.journal.exists() else ""


def vider_la_file() -> None:
    """procrastinate's tables are not Django-managed: a transactional test's flush leaves them."""
    with connection.cursor() as curseur:
        curseur.execute(
            "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers CASCADE"
        )
