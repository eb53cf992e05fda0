"""The aid of a convention or a post, read from the database and computed by the pure function
`financements.regles.calculer_aide` (same rule, same rounding).

What is counted for a convention:
- the days it covers: from its start to its end, or to the day before the termination's effective
  date when it was terminated (`conventions.regles.dernier_jour_couvert`);
- the weekly hours of each day: the hours signed, then those of each hours avenant from its date of
  effect;
- the days the post is occupied, according to the occupation mode:
  - « réelle »: the affectations of the post (an affectation without end date runs on);
  - « pleine »: every covered day, as if the post were always occupied (draft or renewal estimate);
  - « prévision »: the affectations before `aujourd_hui`, then every covered day from `aujourd_hui`
    on (a vacant post is assumed filled again from today).
"""

from datetime import date, timedelta
from decimal import Decimal

from conventions.models import TypeAvenant
from conventions.regles import dernier_jour_couvert, periodes_heures
from financements.models import lignes_bareme
from financements.regles import Echeancier, calculer_aide

REELLE, PLEINE, PREVISION = "reelle", "pleine", "prevision"


def couverture(convention) -> tuple[date, date] | None:
    """(first day, last day) the convention produces effect, None when it produces none."""
    fin = dernier_jour_couvert(convention.statut, convention.date_fin, convention.date_resiliation)
    return (convention.date_debut, fin) if fin >= convention.date_debut else None


def heures_de_la_convention(convention) -> list[tuple[date, date, Decimal]]:
    """Hours period by period (the signed hours, then each hours avenant). Works on an unsaved
    convention too (no avenant then)."""
    avenants = []
    if convention.pk:
        avenants = sorted((a for a in convention.avenants.all() if a.type == TypeAvenant.HEURES), key=lambda a: a.date_effet)
    initiales = avenants[0].heures_avant if avenants else convention.heures_hebdomadaires
    return periodes_heures(
        convention.date_debut, convention.date_fin, initiales, [(a.date_effet, a.heures_apres) for a in avenants]
    )


def occupation_du_poste(poste) -> list[tuple[date, date | None]]:
    if not poste.pk:
        return []
    return [(a.date_debut, a.date_fin) for a in poste.affectations.all()]


def echeancier_convention(
    convention,
    debut: date | None = None,
    fin: date | None = None,
    *,
    occupation: str = REELLE,
    aujourd_hui: date | None = None,
    bareme: list[tuple[date, Decimal]] | None = None,
) -> Echeancier | None:
    """The aid of `convention` between `debut` and `fin` (its whole period by default), or None
    when the convention covers none of these days."""
    periode = couverture(convention)
    if periode is None:
        return None
    debut = max(periode[0], debut or periode[0])
    fin = min(periode[1], fin or periode[1])
    if fin < debut:
        return None
    if occupation == PLEINE:
        jours_occupes = None
    elif occupation == PREVISION:
        if aujourd_hui is None:
            raise ValueError("La prévision a besoin de la date du jour.")
        veille = aujourd_hui - timedelta(days=1)
        jours_occupes = [
            (d, veille if f is None else min(f, veille)) for d, f in occupation_du_poste(convention.poste) if d <= veille
        ] + [(aujourd_hui, None)]
    else:
        jours_occupes = occupation_du_poste(convention.poste)
    return calculer_aide(
        debut,
        fin,
        lignes_bareme() if bareme is None else bareme,
        heures_de_la_convention(convention),
        jours_occupes,
    )


def bornes_annee(annee: int) -> tuple[date, date]:
    return date(annee, 1, 1), date(annee, 12, 31)
