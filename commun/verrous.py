"""PostgreSQL advisory locks: a piece of work that must not run twice at once across instances.

The lock is a session lock, taken on the connection that does the work (a dying process drops it
with its connection). Its 64-bit key is derived from the work's name, the same in every process and
on every release (`cle_de_verrou`). Advisory locks are per database: two services on one server do
not block each other. They need a direct connection (not a pooler in transaction mode)."""

import functools
import hashlib
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

MESSAGE_DEJA_EN_COURS = "Ce travail est déjà en cours sur une autre instance : rien à faire."


def cle_de_verrou(nom: str) -> int:
    """A stable signed 64-bit key (PostgreSQL's bigint) for the name `nom`."""
    empreinte = hashlib.blake2b(f"adultes-relais:{nom}".encode(), digest_size=8).digest()
    return int.from_bytes(empreinte, "big", signed=True)


def _executer(connexion, requete: str, cle: int):
    with connexion.cursor() as curseur:
        curseur.execute(requete, [cle])
        return curseur.fetchone()[0]


def _liberer(connexion, cle: int):
    try:
        _executer(connexion, "SELECT pg_advisory_unlock(%s)", cle)
    except DatabaseError:
        # The connection is broken or its transaction aborted: the lock goes with the session.
        connexion.close()


@contextmanager
def verrou_exclusif(nom: str, using: str = DEFAULT_DB_ALIAS):
    """Try to take the lock `nom` without waiting; yields True if it is ours (released at the end),
    False if another session holds it (then nothing is taken, the caller skips its work)."""
    connexion = connections[using]
    cle = cle_de_verrou(nom)
    if not _executer(connexion, "SELECT pg_try_advisory_lock(%s)", cle):
        yield False
        return
    try:
        yield True
    finally:
        _liberer(connexion, cle)


def seul_a_la_fois(nom: str, sinon):
    """Decorator: the function runs under the lock `nom` (`verrou_exclusif`); while another session
    holds it, the call returns `sinon` without running it."""

    def decorer(fonction):
        @functools.wraps(fonction)
        def sous_verrou(*args, **kwargs):
            with verrou_exclusif(nom) as obtenu:
                if not obtenu:
                    return sinon
                return fonction(*args, **kwargs)

        return sous_verrou

    return decorer


@contextmanager
def verrou_bloquant(nom: str, using: str = DEFAULT_DB_ALIAS, en_attente=None):
    """Take the lock `nom`, waiting as long as another session holds it (after calling `en_attente()`,
    if given, to say so); released at the end."""
    connexion = connections[using]
    cle = cle_de_verrou(nom)
    if not _executer(connexion, "SELECT pg_try_advisory_lock(%s)", cle):
        if en_attente:
            en_attente()
        _executer(connexion, "SELECT pg_advisory_lock(%s)", cle)
    try:
        yield
    finally:
        _liberer(connexion, cle)
