"""The one place that says which rows a user may reach. Every model's `for_user()` calls in here.

- administrateur national: everything;
- agent de préfecture: rows of the départements they follow;
- employeur: rows of the structures they belong to;
- anyone else (anonymous, inactive): nothing.
"""

from django.db import models

from comptes.models import Role


def scope(queryset, user, *, departement: str | None, employeur: str | None):
    """Filter `queryset` for `user`. `departement` and `employeur` are the lookups leading to the
    row's département and employer (None when the model has no such link: nothing for that role)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.est_admin_national:
        return queryset
    if user.role == Role.AGENT and departement is not None:
        return queryset.filter(**{f"{departement}__in": user.departements.all()})
    if user.role == Role.EMPLOYEUR and employeur is not None:
        return queryset.filter(**{f"{employeur}__in": user.employeurs.all()})
    return queryset.none()


class ScopedQuerySet(models.QuerySet):
    """A queryset with `for_user()`. Subclasses name the paths to the département and employer."""

    scope_departement: str | None = "departement"
    scope_employeur: str | None = "employeur"

    def for_user(self, user):
        return scope(self, user, departement=self.scope_departement, employeur=self.scope_employeur)
