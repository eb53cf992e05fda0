"""Where a checked import waits between the preview and the confirmation.

The file is read once, at the preview: what waits is the table it gave (headers and cells, as JSON),
never the uploaded bytes, so the confirmation parses nothing again. It lives in
MEDIA_ROOT/imports/<user id>/<random token>/ (never served as static files): a user reaches only
their own folder, the token is 128 random bits and is also kept in the user's session. Folders older
than a day are removed when the same user uploads again.
"""

import json
import re
import secrets
import shutil
import time
from datetime import date, datetime
from pathlib import Path

from django.conf import settings

from importation.lecture import Table
from importation.valeurs import NonScalaire

DUREE_CONSERVATION = 24 * 60 * 60
FORMAT_JETON = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
NOM_TABLE = "table.json"
NOM_REJETS = "lignes-rejetees.csv"


def _coder(cellule):
    """A cell as JSON: text, numbers (NaN and infinities included), booleans and None as they are;
    dates and markers tagged, so that they come back with their type."""
    if isinstance(cellule, NonScalaire):
        return {"x": str(cellule)}
    if isinstance(cellule, datetime):
        return {"dt": cellule.isoformat()}
    if isinstance(cellule, date):
        return {"d": cellule.isoformat()}
    if cellule is None or isinstance(cellule, (str, bool, int, float)):
        return cellule
    return str(cellule)


def _decoder(cellule):
    if isinstance(cellule, dict):
        if "x" in cellule:
            return NonScalaire(cellule["x"])
        if "dt" in cellule:
            return datetime.fromisoformat(cellule["dt"])
        return date.fromisoformat(cellule["d"])
    return cellule


def table_en_json(table: Table) -> bytes:
    return json.dumps(
        {
            "format": table.format,
            "entetes": table.entetes,
            "encodage": table.encodage,
            "separateur": table.separateur,
            "lignes": [[numero, [_coder(c) for c in cellules]] for numero, cellules in table.lignes],
        },
        ensure_ascii=False,
    ).encode()


def table_depuis_json(contenu: bytes) -> Table:
    donnees = json.loads(contenu)
    return Table(
        donnees["format"],
        donnees["entetes"],
        [(numero, [_decoder(c) for c in cellules]) for numero, cellules in donnees["lignes"]],
        encodage=donnees["encodage"],
        separateur=donnees["separateur"],
    )


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


def deposer(utilisateur, table: Table) -> str:
    """Keep the checked table for the confirmation; returns its token."""
    nettoyer(utilisateur)
    jeton = secrets.token_urlsafe(16)
    dossier = _dossier(utilisateur, jeton)
    dossier.mkdir(parents=True, mode=0o700)
    (dossier / NOM_TABLE).write_bytes(table_en_json(table))
    return jeton


def lire(utilisateur, jeton: str) -> Table:
    chemin = _dossier(utilisateur, jeton) / NOM_TABLE
    if not chemin.is_file():
        raise DepotIntrouvable(jeton)
    return table_depuis_json(chemin.read_bytes())


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
    """After the confirmation the table goes; the rejected-lines file stays until the next clean-up."""
    (_dossier(utilisateur, jeton) / NOM_TABLE).unlink(missing_ok=True)
