"""French display of amounts, hours and percentages: {% load montants %} {{ x|euros }}."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from financements.regles import NOMS_MOIS, heures_fr
from financements.regles import euros as _euros

register = template.Library()


@register.filter
def euros(valeur):
    if valeur is None or valeur == "":
        return "—"
    return _euros(Decimal(valeur))


@register.filter
def heures(valeur):
    return "—" if valeur is None else heures_fr(valeur)


@register.filter
def pourcent(valeur):
    if valeur is None:
        return "—"
    return f"{Decimal(valeur).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}".replace(".", ",") + "\u00a0%"


@register.filter
def nom_du_mois(mois):
    """A MoisAide (or a 1–12 number) → « juillet 2024 » (or « juillet »)."""
    if isinstance(mois, int):
        return NOMS_MOIS[mois - 1]
    return f"{NOMS_MOIS[mois.mois - 1]} {mois.annee}"
