"""A département's budget for a year: its envelope (posts and euros) against what its conventions
commit and are expected to cost. Definitions (also in README.md, « Budget ») :

- **postes engagés**: posts having, in the year, at least one day covered by a convention that is
  not lapsed (draft, signed, running, expired or terminated);
- **aide engagée**: for signed, running, expired and terminated conventions, the aid of the days of
  the year they cover while the post is occupied (affectations; one without end date runs on) —
  `conventions.echeancier`, occupation « réelle »;
- **aide prévue**: the committed aid of the days before today, plus, from today to the end of the
  year, every day covered by those conventions as if the post were occupied (a vacant post is
  assumed filled again), plus draft conventions (accepted requests, renewals awaiting signature)
  at full occupancy — occupation « prévision » and « pleine »;
- a new commitment (acceptance, renewal, more hours) is refused when the aide prévue plus its own
  aid for the year would exceed the envelope's amount (`verifier_budget`);
- a new or renewed convention is refused when, for one of the years it covers, its post would be
  one post too many for that year's envelope (`verifier_budget_convention`): posts and euros are
  checked the same way, every year whose envelope exists (the first one must exist), and the
  message names the year.

**Envelope of posts**: **A post is engaged for year N** in a département when
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

Every convention's yearly amount is rounded to the cent once (financements/regles.py); monthly
series add the conventions' monthly amounts, so they add up to the yearly totals.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from conventions.echeancier import PLEINE, PREVISION, REELLE, bornes_annee, echeancier_convention
from conventions.models import Avenant, Convention, TypeAvenant
from conventions.regles import CADUQUE, PROJET, RESILIEE, STATUTS_EN_VIGUEUR, STATUTS_ENGAGES
from financements.enveloppes import EnveloppeInsuffisante, SituationEnveloppe, erreur_reservation
from financements.models import Enveloppe, lignes_bareme
from financements.regles import euros
from postes.models import Poste
from titulaires.models import Affectation

ZERO = Decimal("0.00")


class BudgetInsuffisant(ValidationError):
    """A commitment that the département's envelope cannot absorb (French message)."""


@dataclass
class SituationBudget:
    departement: object
    annee: int
    enveloppe: Enveloppe | None = None
    postes_engages: int = 0
    aide_engagee: Decimal = ZERO
    aide_prevue: Decimal = ZERO
    mois_engages: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)
    mois_prevus: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)
    # Filled by the dashboard (pilotage/cache_budget.py): posts in exercise and vacant on its day.
    postes_en_exercice: int | None = None
    postes_vacants: int | None = None

    @property
    def montant_enveloppe(self) -> Decimal | None:
        return None if self.enveloppe is None else self.enveloppe.montant

    @property
    def postes_enveloppe(self) -> int | None:
        return None if self.enveloppe is None else self.enveloppe.nombre_postes

    @property
    def reste_disponible(self) -> Decimal | None:
        return None if self.enveloppe is None else self.enveloppe.montant - self.aide_prevue

    @property
    def taux_consommation(self) -> Decimal | None:
        """Forecast aid as a percentage of the envelope (two decimals)."""
        if self.enveloppe is None or not self.enveloppe.montant:
            return None
        return (self.aide_prevue * 100 / self.enveloppe.montant).quantize(Decimal("0.01"))

    @property
    def depassement(self) -> bool:
        return self.enveloppe is not None and self.aide_prevue > self.enveloppe.montant


def conventions_de_l_annee(annee: int, departements=None, exclure: int | None = None):
    """Conventions that may cover a day of `annee`, ready for the aid computation (2 queries)."""
    debut, fin = bornes_annee(annee)
    conventions = (
        Convention.objects.exclude(statut=CADUQUE)
        .filter(date_debut__lte=fin, date_fin__gte=debut)
        .exclude(statut=RESILIEE, date_resiliation__lte=debut)
        .select_related("poste")
        .prefetch_related(
            Prefetch("avenants", queryset=Avenant.objects.filter(type=TypeAvenant.HEURES)),
            Prefetch("poste__affectations", queryset=Affectation.objects.only("poste_id", "date_debut", "date_fin")),
        )
    )
    if departements is not None:
        conventions = conventions.filter(poste__departement__in=departements)
    if exclure is not None:
        conventions = conventions.exclude(pk=exclure)
    return conventions


def aide_de_l_annee(convention, annee: int, aujourd_hui: date, bareme) -> tuple:
    """(engaged, forecast) schedules of one convention for the year (None when nothing)."""
    debut, fin = bornes_annee(annee)
    if convention.statut == PROJET:
        return None, echeancier_convention(convention, debut, fin, occupation=PLEINE, bareme=bareme)
    if convention.statut not in STATUTS_ENGAGES:
        return None, None
    engagee = echeancier_convention(convention, debut, fin, occupation=REELLE, bareme=bareme)
    prevue = echeancier_convention(convention, debut, fin, occupation=PREVISION, aujourd_hui=aujourd_hui, bareme=bareme)
    return engagee, prevue


def situations_budgetaires(departements, annee: int, aujourd_hui: date | None = None, exclure=None) -> dict:
    """{département id: SituationBudget} for every département of `departements` (a queryset or list)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    departements = list(departements)
    situations = {d.pk: SituationBudget(departement=d, annee=annee) for d in departements}
    for enveloppe in Enveloppe.objects.filter(annee=annee, departement__in=departements):
        situations[enveloppe.departement_id].enveloppe = enveloppe
    bareme = lignes_bareme()
    postes = defaultdict(set)
    for convention in conventions_de_l_annee(annee, departements, exclure=exclure):
        engagee, prevue = aide_de_l_annee(convention, annee, aujourd_hui, bareme)
        if prevue is None:
            continue
        situation = situations[convention.poste.departement_id]
        postes[convention.poste.departement_id].add(convention.poste_id)
        for echeancier, total, mois in ((engagee, "aide_engagee", "mois_engages"), (prevue, "aide_prevue", "mois_prevus")):
            if echeancier is None:
                continue
            setattr(situation, total, getattr(situation, total) + echeancier.total)
            serie = getattr(situation, mois)
            for m in echeancier.mois:
                serie[m.mois - 1] += m.montant
    for dep_id, ensemble in postes.items():
        situations[dep_id].postes_engages = len(ensemble)
    return situations


def situation_budgetaire(departement, annee: int, aujourd_hui: date | None = None, exclure=None) -> SituationBudget:
    return situations_budgetaires([departement], annee, aujourd_hui, exclure=exclure)[departement.pk]


def verifier_budget(
    departement,
    annee: int,
    montant_supplementaire: Decimal,
    *,
    aujourd_hui: date | None = None,
    exiger_enveloppe: bool = True,
    exclure: int | None = None,
) -> SituationBudget | None:
    """Refuse (BudgetInsuffisant, French message) a new commitment of `montant_supplementaire` euros
    in `annee` that would make the forecast aid exceed the département's envelope. Call it inside
    the transaction that writes the commitment: it locks the envelope row, so two acceptances cannot
    both pass on the last euros. `exclure`: a convention id already saved but not to be counted
    (its amount is `montant_supplementaire`). Without an envelope for that year: refused, unless
    `exiger_enveloppe` is false (then nothing is checked and None is returned)."""
    enveloppe = Enveloppe.objects.select_for_update().filter(departement=departement, annee=annee).first()
    if enveloppe is None:
        if not exiger_enveloppe:
            return None
        raise BudgetInsuffisant(
            f"Aucune enveloppe n’est ouverte pour le département {departement} en {annee} : "
            "l’administration nationale doit d’abord la saisir."
        )
    situation = situation_budgetaire(departement, annee, aujourd_hui, exclure=exclure)
    apres = situation.aide_prevue + montant_supplementaire
    if montant_supplementaire > 0 and apres > enveloppe.montant:
        raise BudgetInsuffisant(
            f"L’enveloppe {annee} du département {departement} serait dépassée : elle est de "
            f"{euros(enveloppe.montant)}, l’aide déjà prévue est de {euros(situation.aide_prevue)} et cet "
            f"engagement ajoute {euros(montant_supplementaire)} (dépassement de {euros(apres - enveloppe.montant)})."
        )
    return situation


def verifier_postes(convention, annee: int, *, exiger_enveloppe: bool = True) -> None:
    """Refuse (BudgetInsuffisant, French message naming the year) a convention (saved or not) that
    would engage its post in `annee` when the envelope of that year has no post left for it. A post
    already engaged that year by something else (another of its conventions, its accepted request)
    takes no new place: it is counted once (financements/enveloppes.py). Locks the envelope row, like
    `verifier_budget`."""
    poste = convention.poste
    enveloppe = Enveloppe.objects.select_for_update().filter(departement=poste.departement, annee=annee).first()
    if enveloppe is None and not exiger_enveloppe:
        return
    if enveloppe is not None and poste_deja_engage(poste, annee, sauf_convention=convention.pk):
        return
    autres = postes_engages(poste.departement, annee, sauf_poste=poste.pk)
    message = erreur_reservation(
        enveloppe.nombre_postes if enveloppe else None,
        autres,
        annee,
        poste.departement.code,
        suite=f"La convention ne peut pas couvrir l’année {annee} sans une enveloppe complémentaire.",
    )
    if message:
        raise BudgetInsuffisant(message)


def verifier_budget_convention(convention, aujourd_hui: date | None = None) -> None:
    """Check a draft or renewal convention (saved or not) against the envelopes of every year it
    covers, in posts and in euros (aid at full occupancy), the same way: the envelope of its first
    year must exist; later years are checked when their envelope is already known."""
    for annee in range(convention.date_debut.year, convention.date_fin.year + 1):
        premiere = annee == convention.date_debut.year
        debut, fin = bornes_annee(annee)
        echeancier = echeancier_convention(convention, debut, fin, occupation=PLEINE)
        montant = ZERO if echeancier is None else echeancier.total
        verifier_budget(
            convention.poste.departement,
            annee,
            montant,
            aujourd_hui=aujourd_hui,
            exiger_enveloppe=premiere,
            exclure=convention.pk,
        )
        verifier_postes(convention, annee, exiger_enveloppe=premiere)


def postes_en_exercice(postes, jour: date):
    """Posts under a convention in force on `jour` (signed or running and covering it, or terminated
    with a later effective date)."""
    en_vigueur = Q(
        conventions__statut__in=STATUTS_EN_VIGUEUR,
        conventions__date_debut__lte=jour,
        conventions__date_fin__gte=jour,
    ) | Q(
        conventions__statut=RESILIEE,
        conventions__date_debut__lte=jour,
        conventions__date_resiliation__gt=jour,
    )
    return postes.filter(en_vigueur).distinct()


def postes_vacants(postes, jour: date):
    """Posts in exercise with nobody on them on `jour`."""
    occupes = Affectation.objects.en_cours(jour).values("poste")
    return postes_en_exercice(postes, jour).exclude(pk__in=occupes)


def postes_engages(departement, annee: int, sauf_poste: int | None = None) -> int:
    """Number of posts engaged for `annee` in `departement` (see the module docstring), the post
    `sauf_poste` (a pk) not counted."""
    conventions = Convention.objects.filter(
        poste=OuterRef("pk"), date_debut__lte=date(annee, 12, 31), date_fin__gte=date(annee, 1, 1)
    ).exclude(statut=CADUQUE)
    # Per post of the département, an index lookup in its conventions and a join on its request
    # (one at most: `Demande.poste` is one-to-one, reached by its reverse name « demande »): the cost
    # follows the département's posts. (An IN or EXISTS here lets PostgreSQL hash the conventions
    # of the whole country, which grows with the national volume.)
    postes = Poste.objects.filter(departement=departement)
    if sauf_poste is not None:
        postes = postes.exclude(pk=sauf_poste)
    return (
        postes.alias(nb_conventions=_nombre(conventions))
        .filter(Q(nb_conventions__gt=0) | Q(demande__annee_enveloppe=annee))
        .count()
    )


def poste_deja_engage(poste, annee: int, sauf_convention: int | None = None) -> bool:
    """Is `poste` engaged for `annee` by something else than the convention `sauf_convention` (same
    definition as `postes_engages`)?"""
    conventions = (
        Convention.objects.filter(poste=poste, date_debut__lte=date(annee, 12, 31), date_fin__gte=date(annee, 1, 1))
        .exclude(statut=CADUQUE)
        .exclude(pk=sauf_convention)
    )
    return conventions.exists() or Poste.objects.filter(pk=poste.pk, demande__annee_enveloppe=annee).exists()


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
