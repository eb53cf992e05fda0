"""`{% historique_modifications objet %}`: who changed what and when on an object tracked by
django-simple-history, for agents and national administrators only (employers see nothing).

The object comes from a page that already scoped it with `for_user()`; this tag adds no access."""

from decimal import Decimal

from django import template
from django.db import models
from django.utils import formats, timezone
from simple_history.models import DeletedObject

register = template.Library()

LIMITE = 50
CHAMPS_IGNORES = {"modifie_le", "cree_le"}
TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}


def valeur_lisible(champ, valeur) -> str:
    if valeur is None or valeur == "":
        return "—"
    if isinstance(valeur, DeletedObject):  # a foreign key: empty, or pointing to a deleted row
        return "—" if valeur.pk is None else f"(supprimé, n° {valeur.pk})"
    if getattr(champ, "choices", None):
        return str(dict(champ.flatchoices).get(valeur, valeur))
    if isinstance(champ, models.BooleanField):
        return "oui" if valeur else "non"
    if isinstance(champ, models.DateTimeField):
        return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M")
    if isinstance(champ, models.DateField):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, Decimal):
        return formats.number_format(
            valeur.normalize() if valeur == valeur.to_integral() else valeur, use_l10n=True, force_grouping=True
        )
    return str(valeur)


def lignes_historique(objet, limite: int = LIMITE) -> list[dict]:
    """The latest `limite` versions of `objet`, newest first, each with its changed fields."""
    versions = list(objet.history.select_related("history_user").order_by("-history_date", "-history_id")[: limite + 1])
    modele = type(objet)
    lignes = []
    for i, version in enumerate(versions[:limite]):
        precedente = versions[i + 1] if i + 1 < len(versions) else None
        changements = []
        if precedente is not None:
            delta = version.diff_against(precedente, excluded_fields=CHAMPS_IGNORES, foreign_keys_are_objs=True)
            for c in delta.changes:
                champ = modele._meta.get_field(c.field)
                changements.append(
                    {"champ": champ.verbose_name, "avant": valeur_lisible(champ, c.old), "apres": valeur_lisible(champ, c.new)}
                )
        lignes.append(
            {
                "date": version.history_date,
                "auteur": version.history_user,
                "type": TYPES.get(version.history_type, version.history_type),
                "changements": changements,
            }
        )
    return lignes


@register.inclusion_tag("commun/historique.html", takes_context=True)
def historique_modifications(context, objet):
    user = context["request"].user
    if not (user.is_authenticated and (user.est_agent or user.est_admin_national)):
        return {"visible": False}
    return {"visible": True, "lignes": lignes_historique(objet)}
