"""Accent- and case-insensitive search that runs in PostgreSQL without the unaccent extension
(absent from the embedded server): both sides go through translate(lower(…))."""

import unicodedata
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

ACCENTUES = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ"
SANS_ACCENT = "aaaaaaceeeeiiiinooooouuuuyyoa"


def sans_accents(texte: str) -> str:
    """Python side of the comparison: lower case, accents removed (œ → o, æ → a as in SQL)."""
    texte = texte.lower().replace("œ", "o").replace("æ", "a")
    return "".join(c for c in unicodedata.normalize("NFD", texte) if unicodedata.category(c) != "Mn")


class SansAccents(models.Func):
    function = "translate"
    output_field = models.TextField()

    def __init__(self, expression, **extra):
        super().__init__(
            models.functions.Lower(expression), models.Value(ACCENTUES), models.Value(SANS_ACCENT), **extra
        )


def rechercher(queryset, texte: str, champs: list[str]):
    """Rows where every word of `texte` appears in one of `champs`, ignoring case and accents."""
    mots = [m for m in sans_accents(texte or "").split() if m]
    if not mots:
        return queryset
    annotations = {f"_recherche_{i}": SansAccents(champ) for i, champ in enumerate(champs)}
    queryset = queryset.annotate(**annotations)
    for mot in mots:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{nom}__contains": mot}) for nom in annotations)))
    return queryset
