"""Accent- and case-insensitive search that runs in PostgreSQL without the unaccent extension
(absent from the embedded server): both sides go through translate(lower(…)).

Its cost is bounded: each word adds one `LIKE` per searched column, so a search holds at most
`RECHERCHE_MOTS_MAX` words and `RECHERCHE_LONGUEUR_MAX` characters. Search fields (`FiltreRecherche`,
`ChampRecherche`) say it and refuse beyond with a French form error; `rechercher()` itself never
reads more (measure: bench/recherche.py)."""

import unicodedata
from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

RECHERCHE_LONGUEUR_MAX = 100
RECHERCHE_MOTS_MAX = 6
AIDE_RECHERCHE = f"{RECHERCHE_MOTS_MAX} mots et {RECHERCHE_LONGUEUR_MAX} caractères au plus."


def valider_recherche(texte: str) -> None:
    """Form validator of every search field: the bounds above, said in French."""
    texte = texte or ""
    if len(texte) > RECHERCHE_LONGUEUR_MAX:
        raise ValidationError(
            f"Recherche trop longue : {len(texte)} caractères, {RECHERCHE_LONGUEUR_MAX} au plus.", code="longueur"
        )
    mots = len(texte.split())
    if mots > RECHERCHE_MOTS_MAX:
        raise ValidationError(f"Recherche trop longue : {mots} mots, {RECHERCHE_MOTS_MAX} au plus.", code="mots")


def _options_recherche(kwargs: dict) -> dict:
    kwargs.setdefault("help_text", AIDE_RECHERCHE)
    kwargs["validators"] = [*kwargs.get("validators", []), valider_recherche]
    kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": RECHERCHE_LONGUEUR_MAX}))
    return kwargs


class FiltreRecherche(django_filters.CharFilter):
    """The text filter of a list, bounded (see above)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_options_recherche(kwargs))


class ChampRecherche(forms.CharField):
    """The same bound for a plain form's search field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_options_recherche(kwargs))


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
        super().__init__(models.functions.Lower(expression), models.Value(ACCENTUES), models.Value(SANS_ACCENT), **extra)


def rechercher(queryset, texte: str, champs: list[str]):
    """Rows where every word of `texte` appears in one of `champs`, ignoring case and accents. Forms
    refuse a longer search; called otherwise, only the first words within the bounds are read."""
    mots = [m for m in sans_accents((texte or "")[:RECHERCHE_LONGUEUR_MAX]).split() if m][:RECHERCHE_MOTS_MAX]
    if not mots:
        return queryset
    annotations = {f"_recherche_{i}": SansAccents(champ) for i, champ in enumerate(champs)}
    queryset = queryset.annotate(**annotations)
    for mot in mots:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{nom}__contains": mot}) for nom in annotations)))
    return queryset
