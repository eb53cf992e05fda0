"""The caps of commun/quotas.py, said on the pages that create what they limit."""

from django import template
from django.conf import settings

from commun.televersement import taille_lisible

register = template.Library()


@register.simple_tag
def quota_brouillons() -> str:
    maximum = settings.DEMANDES_BROUILLONS_MAX
    return f"Au plus {maximum} brouillon{'s' if maximum > 1 else ''} ouvert{'s' if maximum > 1 else ''} à la fois par structure."


@register.simple_tag
def quota_invitations() -> str:
    maximum = settings.INVITATIONS_PAR_JOUR
    return f"Au plus {maximum} invitation{'s' if maximum > 1 else ''} par jour et par compte."


@register.simple_tag
def quota_pieces(pieces) -> str:
    """`pieces`: the request's attachments already there."""
    deja = sum(p.taille for p in pieces)
    return (
        f"Au plus {taille_lisible(settings.PIECES_JOINTES_TAILLE_PAR_DEMANDE)} de pièces par demande "
        f"({taille_lisible(deja)} déjà déposés) et {taille_lisible(settings.PIECES_JOINTES_TAILLE_PAR_STRUCTURE)} "
        "pour l’ensemble des demandes de la structure."
    )
