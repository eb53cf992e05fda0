"""Stored files, through Django's storage API only (`STORAGES["default"]`, `default_storage`).

By default the storage is the local disk (MEDIA_ROOT, `FileSystemStorage`): `make run` needs nothing.
When `S3_BUCKET` is set (config/settings.py), it is an S3-compatible object storage through
django-storages and boto3, in a private bucket: objects are written with the `private` ACL, never
given a public address, and the service reads them itself and streams them through its scoped
views. No code opens MEDIA_ROOT or asks a file for its `.path`: every instance of the service sees
the same files, and a redeploy loses none.

The helpers below are those the storage API lacks: write bytes under an exact name (replacing what
was there), list a folder recursively, delete a folder, say where the files are.
"""

from collections.abc import Iterator

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, default_storage

MORCEAU = 1 << 20  # bytes read at a time when copying a stored file
MEMOIRE_MAX_S3 = 4 << 20  # beyond this, an object being read is spooled to a temporary file, not kept in memory
DELAI_CONNEXION_S3, DELAI_LECTURE_S3 = 5, 30  # seconds
DUREE_URL_SIGNEE = 300  # seconds; the service never hands out object addresses, this only bounds a mistake


def options_s3(*, bucket: str, endpoint_url: str = "", region: str = "", access_key: str = "", secret_key: str = "") -> dict:
    """`OPTIONS` of django-storages' S3Storage for a private bucket (see the README's table).
    Empty keys leave boto3 its usual chain (instance role, AWS_* variables). The client has bounded
    timeouts and few retries: a slow object storage cannot hold a web worker for minutes."""
    from botocore.config import Config  # a quarter of a second to import: only when S3 is configured

    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "default_acl": "private",
        "querystring_auth": True,  # a URL, if ever asked for, is signed and short-lived, never public
        "querystring_expire": DUREE_URL_SIGNEE,
        "file_overwrite": False,  # as on the local disk: a taken name gets a suffix, nothing is overwritten
        "client_config": Config(
            s3={"addressing_style": "path"},  # understood by every S3-compatible service, needs no DNS per bucket
            signature_version="s3v4",
            connect_timeout=DELAI_CONNEXION_S3,
            read_timeout=DELAI_LECTURE_S3,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
        "max_memory_size": MEMOIRE_MAX_S3,
    }


def stockage_s3(**parametres) -> dict:
    """An entry of `STORAGES` for the S3-compatible object storage."""
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options_s3(**parametres)}


def decrire(stockage: Storage | None = None) -> str:
    """Where the files are, for messages to an operator: `le dossier /srv/media`, `le compartiment S3 « x »`."""
    stockage = stockage or default_storage
    if isinstance(stockage, FileSystemStorage):
        return f"le dossier {stockage.location}"
    bucket = getattr(stockage, "bucket_name", None)
    return f"le compartiment S3 « {bucket} »" if bucket else f"le stockage {type(stockage).__name__}"


def ecrire_fichier(nom: str, contenu: bytes | File, stockage: Storage | None = None) -> None:
    """Store `contenu` under exactly `nom`, replacing the file of that name if there is one."""
    stockage = stockage or default_storage
    if stockage.exists(nom):
        stockage.delete(nom)
    fichier = ContentFile(contenu) if isinstance(contenu, bytes) else contenu
    enregistre = stockage.save(nom, fichier)
    if enregistre != nom:  # another process wrote the same name in between: keep one file, say so
        stockage.delete(enregistre)
        raise FileExistsError(f"Le fichier {nom} a été écrit en même temps par un autre processus.")


def lire_fichier(nom: str, stockage: Storage | None = None) -> bytes:
    """The bytes of a stored file (FileNotFoundError when there is none)."""
    stockage = stockage or default_storage
    with stockage.open(nom, "rb") as fichier:
        return fichier.read()


def lister(dossier: str, stockage: Storage | None = None) -> tuple[list[str], list[str]]:
    """(sub-folders, files) directly in `dossier`; empty when it does not exist."""
    stockage = stockage or default_storage
    try:
        return stockage.listdir(dossier)
    except FileNotFoundError:
        return [], []


def parcourir(dossier: str = "", stockage: Storage | None = None) -> Iterator[str]:
    """Every file under `dossier`, as storage names (`demandes/2026/3f2a….pdf`), in name order."""
    stockage = stockage or default_storage
    sous_dossiers, fichiers = lister(dossier, stockage)
    prefixe = f"{dossier.rstrip('/')}/" if dossier else ""
    for nom in sorted(fichiers):
        yield f"{prefixe}{nom}"
    for sous_dossier in sorted(sous_dossiers):
        yield from parcourir(f"{prefixe}{sous_dossier}", stockage)


def supprimer_dossier(dossier: str, stockage: Storage | None = None) -> None:
    """Delete every file under `dossier` (and, on the local disk, the emptied folders)."""
    stockage = stockage or default_storage
    sous_dossiers, fichiers = lister(dossier, stockage)
    for sous_dossier in sous_dossiers:
        supprimer_dossier(f"{dossier}/{sous_dossier}", stockage)
    for nom in fichiers:
        stockage.delete(f"{dossier}/{nom}")
    if isinstance(stockage, FileSystemStorage) and stockage.exists(dossier):
        stockage.delete(dossier)  # an empty folder: removed (an object storage has no folders)
