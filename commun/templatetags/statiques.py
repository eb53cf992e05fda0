"""Subresource integrity computed from the bytes that will actually be served.

django-dsfr ships fixed checksums of its CSS, but the manifest storage rewrites the `url()` inside
CSS files at `collectstatic`: the served file no longer matches them and the browser blocks it. The
hash is therefore taken from the file the static storage serves (the collected, rewritten one with
the manifest; the source file otherwise), once per file version.
"""

import base64
import functools
import hashlib
import os

from django import template
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

register = template.Library()


def chemin_servi(chemin: str) -> str:
    """Path on disk of the file that `{% static chemin %}` serves."""
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        return staticfiles_storage.path(staticfiles_storage.stored_name(chemin))
    trouve = finders.find(chemin)
    if not trouve:
        raise FileNotFoundError(chemin)
    return trouve


@functools.lru_cache(maxsize=64)
def _empreinte(fichier: str, mtime_ns: int, taille: int) -> str:
    with open(fichier, "rb") as f:
        return "sha384-" + base64.b64encode(hashlib.sha384(f.read()).digest()).decode()


@register.simple_tag
def integrite(chemin: str) -> str:
    fichier = chemin_servi(chemin)
    etat = os.stat(fichier)
    return _empreinte(fichier, etat.st_mtime_ns, etat.st_size)
