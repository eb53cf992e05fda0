"""Envelope of posts of a département for a year: how many are engaged, and the guard that reserves one.

**A post is engaged for year N** in a département when
- it has a convention whose period meets year N (1 January to 31 December), in any status but
  *caduque* (a lapsed convention never had anybody hired: its post goes back to the envelope); a
  *projet* convention counts, since accepting a request reserves its post; or
- it was created by accepting a request on the envelope of year N (`Demande.annee_enveloppe`), even
  if its draft convention has since been changed or removed.
A post is counted once, whatever the number of its conventions. A convention running over three
years engages its post in each of those years.

`reserver_poste()` is the guard: called inside the acceptance transaction, it locks the envelope row
(`SELECT … FOR UPDATE`), so that two acceptances in the same département and year run one after the
other and the second one sees the post created by the first.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from financements.models import Enveloppe


class EnveloppeInsuffisante(Exception):
    """The envelope forbids one more post. The message is French, for the agent."""


@dataclass(frozen=True)
class SituationEnveloppe:
    annee: int
    departement: str
    nombre_postes: int | None  # None: no envelope for that year
    engages: int

    @property
    def ouverte(self) -> bool:
        return self.nombre_postes is not None

    @property
    def restants(self) -> int:
        return max((self.nombre_postes or 0) - self.engages, 0)

    @property
    def libelle(self) -> str:
        if not self.ouverte:
            return f"Enveloppe {self.annee} : aucune enveloppe ouverte pour le département {self.departement}"
        pluriel = "s" if self.engages > 1 else ""
        return f"Enveloppe {self.annee} : {self.engages} poste{pluriel} engagé{pluriel} sur {self.nombre_postes}"


SUITE_DEMANDE = "La demande ne peut pas être acceptée sans une enveloppe complémentaire."


def erreur_reservation(
    nombre_postes: int | None, engages: int, annee: int, departement: str, suite: str = SUITE_DEMANDE
) -> str | None:
    """Why one more post cannot be engaged in `annee` (pure function), or None when it can. `engages`:
    the posts already engaged that year, the one to engage not included."""
    if nombre_postes is None:
        return (
            f"Aucune enveloppe n’est ouverte pour le département {departement} en {annee} : "
            "l’acceptation est impossible tant que l’enveloppe de l’année n’a pas été saisie."
        )
    if engages >= nombre_postes:
        return (
            f"L’enveloppe {annee} du département {departement} est épuisée : {engages} poste"
            f"{'s' if engages > 1 else ''} engagé{'s' if engages > 1 else ''} sur {nombre_postes}. {suite}"
        )
    return None


def postes_engages(departement, annee: int, sauf_poste: int | None = None) -> int:
    """Number of posts engaged for `annee` in `departement` (see the module docstring), the post
    `sauf_poste` (a pk) not counted."""
    from postes.models import Convention, Demande, Poste, StatutConvention

    conventions = Convention.objects.filter(
        poste=OuterRef("pk"), date_debut__lte=date(annee, 12, 31), date_fin__gte=date(annee, 1, 1)
    ).exclude(statut=StatutConvention.CADUQUE)
    acceptees = Demande.objects.filter(poste=OuterRef("pk"), annee_enveloppe=annee)
    # Per post of the département, an index lookup in its conventions and its request: the cost
    # follows the département's posts. (An IN or EXISTS here lets PostgreSQL hash the conventions
    # of the whole country, which grows with the national volume.)
    postes = Poste.objects.filter(departement=departement)
    if sauf_poste is not None:
        postes = postes.exclude(pk=sauf_poste)
    return (
        postes.alias(nb_conventions=_nombre(conventions), nb_demandes=_nombre(acceptees))
        .filter(Q(nb_conventions__gt=0) | Q(nb_demandes__gt=0))
        .count()
    )


def poste_deja_engage(poste, annee: int, sauf_convention: int | None = None) -> bool:
    """Is `poste` engaged for `annee` by something else than the convention `sauf_convention` (same
    definition as `postes_engages`)?"""
    from postes.models import Convention, Demande, StatutConvention

    conventions = (
        Convention.objects.filter(poste=poste, date_debut__lte=date(annee, 12, 31), date_fin__gte=date(annee, 1, 1))
        .exclude(statut=StatutConvention.CADUQUE)
        .exclude(pk=sauf_convention)
    )
    return conventions.exists() or Demande.objects.filter(poste=poste, annee_enveloppe=annee).exists()


def _nombre(lignes):
    """Correlated COUNT of `lignes` (filtered on OuterRef("pk")) as a scalar subquery, 0 when none."""
    return Coalesce(Subquery(lignes.order_by().values("poste").annotate(n=Count("pk")).values("n")[:1]), 0)


def situation_enveloppe(departement, annee: int) -> SituationEnveloppe:
    enveloppe = Enveloppe.objects.filter(departement=departement, annee=annee).first()
    return SituationEnveloppe(
        annee=annee,
        departement=departement.code,
        nombre_postes=enveloppe.nombre_postes if enveloppe else None,
        engages=postes_engages(departement, annee),
    )


def reserver_poste(departement, annee: int) -> Enveloppe:
    """Lock the envelope of (`departement`, `annee`) and check one more post fits; return the locked
    envelope, or raise EnveloppeInsuffisante. Must run inside the transaction that creates the post."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserver_poste() doit être appelée dans une transaction (transaction.atomic).")
    enveloppe = Enveloppe.objects.select_for_update().filter(departement=departement, annee=annee).first()
    engages = postes_engages(departement, annee)
    message = erreur_reservation(enveloppe.nombre_postes if enveloppe else None, engages, annee, departement.code)
    if message:
        raise EnveloppeInsuffisante(message)
    return enveloppe
