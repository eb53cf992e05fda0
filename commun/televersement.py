"""Uploaded documents: what is accepted, where it is stored, how it is served back.

- The type is read from the CONTENT (magic bytes), never from the name or the declared content type:
  `%PDF-` for PDF, the PNG signature, `FF D8 FF` for JPEG. Anything else is refused.
- The name must agree with the content: a PDF named `.exe` is refused as much as an executable named
  `.pdf` (the second fails on its content, the first on its name).
- Files are stored through the storage API (commun/stockage.py: local disk or private S3 bucket) with
  a random name (never the name the user gave) and are never served statically nor by the object
  storage: a view checks the user's scope, then streams the file with `reponse_piece()` (attachment,
  sanitised file name, `X-Content-Type-Options: nosniff`).
"""

import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone

from commun.noms_fichiers import nom_de_fichier


@dataclass(frozen=True)
class FormatAccepte:
    type_mime: str
    libelle: str
    extensions: tuple[str, ...]  # the first one is used when storing
    signature: bytes


FORMATS_ACCEPTES = (
    FormatAccepte("application/pdf", "PDF", (".pdf",), b"%PDF-"),
    FormatAccepte("image/png", "image PNG", (".png",), b"\x89PNG\r\n\x1a\n"),
    FormatAccepte("image/jpeg", "image JPEG", (".jpg", ".jpeg"), b"\xff\xd8\xff"),
)
LONGUEUR_ENTETE = max(len(f.signature) for f in FORMATS_ACCEPTES)
TYPES_MIME = {f.type_mime: f for f in FORMATS_ACCEPTES}


def detecter_format(entete: bytes) -> FormatAccepte | None:
    """The accepted format whose signature starts `entete`, or None (pure function)."""
    for format_ in FORMATS_ACCEPTES:
        if entete.startswith(format_.signature):
            return format_
    return None


def taille_lisible(octets: int) -> str:
    """`10485760` → `10 Mo`, `1536` → `1,5 Ko` (French units and decimal comma)."""
    for unite, facteur in (("Go", 1024**3), ("Mo", 1024**2), ("Ko", 1024)):
        if octets >= facteur:
            valeur = round(octets / facteur, 1)
            texte = f"{valeur:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{texte}\u00a0{unite}"
    return f"{octets}\u00a0octet{'s' if octets > 1 else ''}"


def erreur_fichier(nom: str, taille: int, entete: bytes, taille_max: int) -> tuple[str | None, FormatAccepte | None]:
    """What is wrong with an upload, in French (or None), and its detected format (pure function)."""
    nom_affiche = nom or "sans nom"
    if taille == 0:
        return f"Le fichier « {nom_affiche} » est vide.", None
    if taille > taille_max:
        return (
            f"Le fichier « {nom_affiche} » pèse {taille_lisible(taille)} : la taille maximale est de "
            f"{taille_lisible(taille_max)}.",
            None,
        )
    format_ = detecter_format(entete)
    if format_ is None:
        return (
            f"Le fichier « {nom_affiche} » n’est ni un PDF ni une image PNG ou JPEG (son contenu a été vérifié, "
            "pas seulement son nom) : joignez un document PDF ou une image.",
            None,
        )
    extension = os.path.splitext(nom)[1].lower()
    if extension not in format_.extensions:
        return (
            f"Le nom du fichier « {nom_affiche} » ne correspond pas à son contenu ({format_.libelle}) : "
            f"renommez-le avec l’extension {format_.extensions[0]}.",
            format_,
        )
    return None, format_


def valider_fichier(fichier, taille_max: int | None = None) -> FormatAccepte:
    """Check an uploaded file (Django UploadedFile) by its content; raise a French ValidationError."""
    taille_max = taille_max or settings.PIECES_JOINTES_TAILLE_MAX
    position = fichier.tell() if hasattr(fichier, "tell") else 0
    fichier.seek(0)
    entete = fichier.read(LONGUEUR_ENTETE)
    fichier.seek(position)
    message, format_ = erreur_fichier(os.path.basename(fichier.name or ""), fichier.size, entete, taille_max)
    if message:
        raise ValidationError(message, code="fichier_refuse")
    return format_


def chemin_aleatoire(dossier: str, type_mime: str) -> str:
    """A storage path that reveals nothing of the user's file name: `dossier/2026/3f2a…c9.pdf`."""
    extension = TYPES_MIME[type_mime].extensions[0]
    return f"{dossier}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


def nom_sur(nom: str, type_mime: str) -> str:
    """A download name safe for any browser and file system: ASCII letters, digits, `-`, `_` and `.`,
    the extension of the detected format, at most 100 characters."""
    base = os.path.splitext(os.path.basename(nom.replace("\\", "/")))[0]
    return nom_de_fichier(base, TYPES_MIME[type_mime].extensions[0])


def reponse_piece(fichier, nom: str, type_mime: str) -> FileResponse:
    """Stream a stored file (read through its storage, in blocks) as an attachment under its sanitised
    name, never sniffed by the browser. A file missing from the storage answers 404."""
    try:
        fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Fichier introuvable.") from None
    reponse = FileResponse(fichier, as_attachment=True, filename=nom_sur(nom, type_mime), content_type=type_mime)
    reponse["X-Content-Type-Options"] = "nosniff"
    reponse["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return reponse
