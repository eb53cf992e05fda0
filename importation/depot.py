"""Where an import's files wait between the upload, the preview and the confirmation.

The uploaded bytes wait only until the worker has read them, once, for the preview; then what waits is
the table they gave (headers and cells, as JSON), so the confirmation parses nothing again, and the
file of rejected lines. All of it goes through the storage API (commun/stockage.py: local disk or
object storage, so the worker and the web instances may be different machines) under
imports/<user id>/<random token>/ (never served as static files): a user reaches only their own
folder (the row `ImportPostes` is theirs, `for_user`), the token is 128 random bits. Folders older
than a day are removed when the same user uploads again, and with their row by the hourly job.
"""

import json
import re
import secrets
from datetime import date, datetime, timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from commun.stockage import ecrire_fichier, lire_fichier, lister, supprimer_dossier
from importation.lecture import Table
from importation.valeurs import NonScalaire

DUREE_CONSERVATION = 24 * 60 * 60
FORMAT_JETON = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
NOM_TABLE = "table.json"
NOM_REJETS = "lignes-rejetees.csv"
NOM_DEPOT = "fichier-depose"  # + the uploaded file's extension


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


def _dossier_utilisateur(utilisateur) -> str:
    return f"imports/{int(utilisateur.pk)}"


def _dossier(utilisateur, jeton: str) -> str:
    if not FORMAT_JETON.match(jeton or ""):
        raise DepotIntrouvable(jeton)
    return f"{_dossier_utilisateur(utilisateur)}/{jeton}"


def nettoyer(utilisateur):
    """Remove the user's deposits whose files are all older than DUREE_CONSERVATION."""
    racine = _dossier_utilisateur(utilisateur)
    limite = timezone.now() - timedelta(seconds=DUREE_CONSERVATION)
    for jeton in lister(racine)[0]:
        dossier = f"{racine}/{jeton}"
        fichiers = lister(dossier)[1]
        if all(default_storage.get_modified_time(f"{dossier}/{nom}") < limite for nom in fichiers):
            supprimer_dossier(dossier)


def _nom_depot(nom: str) -> str:
    extension = re.sub(r"[^a-z0-9]", "", nom.rsplit(".", 1)[-1].lower())[:8] if "." in nom else ""
    return f"{NOM_DEPOT}.{extension}" if extension else NOM_DEPOT


def deposer(utilisateur, contenu, nom: str) -> str:
    """Keep the uploaded file (bytes or a Django `File`) until the worker reads it; returns the new
    folder's token."""
    nettoyer(utilisateur)
    jeton = secrets.token_urlsafe(16)
    ecrire_fichier(f"{_dossier(utilisateur, jeton)}/{_nom_depot(nom)}", contenu)
    return jeton


def lire_depot(utilisateur, jeton: str, nom: str) -> bytes:
    return _lire(utilisateur, jeton, _nom_depot(nom))


def oublier_depot(utilisateur, jeton: str, nom: str):
    """Once read, the uploaded bytes go: only the table they gave waits for the confirmation."""
    default_storage.delete(f"{_dossier(utilisateur, jeton)}/{_nom_depot(nom)}")


def enregistrer_table(utilisateur, jeton: str, table: Table):
    ecrire_fichier(f"{_dossier(utilisateur, jeton)}/{NOM_TABLE}", table_en_json(table))


def _lire(utilisateur, jeton: str, nom: str) -> bytes:
    try:
        return lire_fichier(f"{_dossier(utilisateur, jeton)}/{nom}")
    except FileNotFoundError:
        raise DepotIntrouvable(jeton) from None


def lire(utilisateur, jeton: str) -> Table:
    return table_depuis_json(_lire(utilisateur, jeton, NOM_TABLE))


def enregistrer_rejets(utilisateur, jeton: str, contenu: bytes):
    ecrire_fichier(f"{_dossier(utilisateur, jeton)}/{NOM_REJETS}", contenu)


def lire_rejets(utilisateur, jeton: str) -> bytes:
    return _lire(utilisateur, jeton, NOM_REJETS)


def oublier_table(utilisateur, jeton: str):
    """After the confirmation the table goes; the rejected-lines file stays until the next clean-up."""
    default_storage.delete(f"{_dossier(utilisateur, jeton)}/{NOM_TABLE}")


def supprimer(utilisateur, jeton: str):
    supprimer_dossier(_dossier(utilisateur, jeton))
