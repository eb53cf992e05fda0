"""The structure an employer user works for, when they belong to several: kept in the session."""

from employeurs.models import Employeur

CLE_SESSION = "structure_active"


def structures_de(user):
    """The structures of an employer user (their memberships), by name."""
    return Employeur.objects.for_user(user).select_related("departement").order_by("raison_sociale")


def structure_active(request) -> Employeur | None:
    """The structure chosen in this session, or the first of the user's structures."""
    if not request.user.is_authenticated or not request.user.est_employeur:
        return None
    structures = structures_de(request.user)
    choisie = request.session.get(CLE_SESSION)
    return (structures.filter(pk=choisie).first() if choisie else None) or structures.first()


def choisir_structure(request, employeur: Employeur) -> None:
    request.session[CLE_SESSION] = employeur.pk
