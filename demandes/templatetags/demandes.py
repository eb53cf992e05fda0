from django import template

register = template.Library()


@register.filter
def nom_affiche(utilisateur, defaut="—"):
    """A user's full name, or their e-mail address, or `defaut` when there is nobody."""
    if utilisateur is None:
        return defaut
    return utilisateur.nom_complet or utilisateur.email
