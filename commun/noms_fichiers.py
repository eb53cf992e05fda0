"""Download file names: every name sent in a `Content-Disposition` header or written inside a ZIP is
built here, from whatever text names the thing (a convention number, a list title, an uploaded
file's name), so that no line break, quote, `/`, `\\` or `..` can reach a header or an archive."""

import re
import unicodedata

LONGUEUR_MAX = 90
FORMAT_EXTENSION = re.compile(r"^(\.[a-z0-9]{1,5})?$")


def nom_de_fichier(base, extension: str = "", defaut: str = "document") -> str:
    """`convention-09324R000101-1` + `.pdf`; accents dropped, anything but ASCII letters, digits, `-`,
    `_` and single inner dots replaced by `_`, at most LONGUEUR_MAX characters before the extension.
    `ëxé/../"x"` → `exe_x`."""
    if not FORMAT_EXTENSION.match(extension):
        raise ValueError(f"Extension de fichier invalide : {extension!r}")
    texte = unicodedata.normalize("NFKD", str(base or "")).encode("ascii", "ignore").decode("ascii")
    texte = re.sub(r"[^A-Za-z0-9._-]", "_", texte)
    texte = re.sub(r"\.{2,}", "_", texte)
    texte = re.sub(r"_{2,}", "_", texte)
    texte = re.sub(r"[._-]*_[._-]*", "_", texte).strip("._-")
    texte = texte[:LONGUEUR_MAX].rstrip("._-") or defaut
    return texte + extension


def en_piece_jointe(reponse, base, extension: str = "", defaut: str = "document"):
    """Mark `reponse` as a download named from `base` (see nom_de_fichier)."""
    reponse["Content-Disposition"] = f'attachment; filename="{nom_de_fichier(base, extension, defaut)}"'
    return reponse
