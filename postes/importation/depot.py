"""Where an uploaded import file waits between the preview and the confirmation.

Files live in MEDIA_ROOT/imports/<user id>/<random token>/ (never served as static files): a user
reaches only their own folder, and the token is 128 random bits. Folders older than a day are removed
when the same user uploads again.
"""

import re
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings

DUREE_CONSERVATION = 24 * 60 * 60
FORMAT_JETON = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
NOM_REJETS = "lignes-rejetees.csv"


class DepotIntrouvable(Exception):
    pass


def _dossier_utilisateur(utilisateur) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(int(utilisateur.pk))


def _dossier(utilisateur, jeton: str) -> Path:
    if not FORMAT_JETON.match(jeton or ""):
        raise DepotIntrouvable(jeton)
    return _dossier_utilisateur(utilisateur) / jeton


def nettoyer(utilisateur):
    racine = _dossier_utilisateur(utilisateur)
    if not racine.is_dir():
        return
    limite = time.time() - DUREE_CONSERVATION
    for dossier in racine.iterdir():
        if dossier.is_dir() and dossier.stat().st_mtime < limite:
            shutil.rmtree(dossier, ignore_errors=True)


def deposer(utilisateur, contenu: bytes) -> str:
    nettoyer(utilisateur)
    jeton = secrets.token_urlsafe(16)
    dossier = _dossier(utilisateur, jeton)
    dossier.mkdir(parents=True, mode=0o700)
    (dossier / "fichier").write_bytes(contenu)
    return jeton


def lire(utilisateur, jeton: str) -> bytes:
    chemin = _dossier(utilisateur, jeton) / "fichier"
    if not chemin.is_file():
        raise DepotIntrouvable(jeton)
    return chemin.read_bytes()


def enregistrer_rejets(utilisateur, jeton: str, contenu: bytes):
    dossier = _dossier(utilisateur, jeton)
    dossier.mkdir(parents=True, exist_ok=True, mode=0o700)
    (dossier / NOM_REJETS).write_bytes(contenu)


def lire_rejets(utilisateur, jeton: str) -> bytes:
    chemin = _dossier(utilisateur, jeton) / NOM_REJETS
    if not chemin.is_file():
        raise DepotIntrouvable(jeton)
    return chemin.read_bytes()


def oublier_fichier(utilisateur, jeton: str):
    """After the confirmation the upload goes; the rejected-lines file stays until the next clean-up."""
    (_dossier(utilisateur, jeton) / "fichier").unlink(missing_ok=True)
