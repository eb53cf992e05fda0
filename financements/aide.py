"""The State's aid to an adulte-relais post, computed month by month (art. D5134-158 to D5134-160
of the code du travail). Pure functions over plain values: no database, no settings.

The rule (also shown word for word in the interface, see `REGLE_AIDE`):

1. The annual amount A of a full-time post is the barème in force on the FIRST DAY of each
   calendar month (the barème is revalued every 1 July: July uses the new amount, June the old).
2. The share of a month = A / 12 × weekly hours / 35 × days occupied in the month / days in the
   month. Only days covered by an affectation (somebody holds the post) count: a vacant post costs
   nothing. When the weekly hours change within a month (avenant), each day counts with its hours.
3. Every share is kept as an exact fraction (`fractions.Fraction`, built from the `Decimal`
   inputs): no float, no intermediate rounding.
4. The total of a period is rounded to the cent ONCE, half up (0.005 → 0.01).
5. Monthly amounts are shown with cumulative rounding: the amount of month k is
   round(sum of the exact shares of months 1..k) − round(sum of months 1..k−1), so the months add
   up exactly to the rounded total.

Consequence: a full year (1 July → 30 June) at 35 hours pays exactly A.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

HEURES_TEMPS_PLEIN = Decimal("35")
HEURES_MINIMUM = Decimal("17.5")  # at least half time (D5134-151, 2°: weekly working time)
HEURES_MENSUELLES_SMIC = Decimal("151.67")  # 35 h × 52 / 12, the legal monthly hours

REGLE_AIDE = (
    "Le montant annuel A d’un poste à temps plein est celui du barème en vigueur le premier jour de "
    "chaque mois civil (le barème est revalorisé chaque 1er juillet).",
    "La part d’un mois = A / 12 × heures hebdomadaires / 35 × jours occupés dans le mois / jours du mois. "
    "Seuls les jours où le poste est occupé (une affectation en cours) comptent : un poste vacant ne "
    "coûte rien.",
    "Les calculs sont exacts (fractions, sans arrondi intermédiaire).",
    "Le total d’une période est arrondi une seule fois au centime le plus proche (0,005 € → 0,01 €).",
    "Les montants mensuels sont arrondis en cumulé : leur somme est exactement égale au total. "
    "Une année complète (1er juillet – 30 juin) à temps plein donne exactement A.",
)


class AideImpossible(ValueError):
    """A computation that cannot be done (impossible period, hours out of range, no barème). The
    message is French and meant for the user."""


@dataclass(frozen=True)
class MoisAide:
    annee: int
    mois: int
    jours_du_mois: int
    jours_occupes: int
    taux_annuel: Decimal | None  # A (or the yearly equivalent of the rate) in force on the 1st
    montant_exact: Fraction
    montant: Decimal  # cumulative rounding: the months add up to the total

    @property
    def cle(self) -> str:
        return f"{self.annee:04d}-{self.mois:02d}"

    @property
    def premier_jour(self) -> date:
        return date(self.annee, self.mois, 1)


@dataclass(frozen=True)
class Echeancier:
    debut: date
    fin: date
    total_exact: Fraction
    total: Decimal
    mois: tuple[MoisAide, ...]

    @property
    def jours_occupes(self) -> int:
        return sum(m.jours_occupes for m in self.mois)

    def en_json(self) -> dict:
        """The shape printed by `simuler_aide --json`: amounts as strings with two decimals."""
        return {"total": f"{self.total:.2f}", "mois": [{"mois": m.cle, "montant": f"{m.montant:.2f}"} for m in self.mois]}


def arrondir_au_centime(montant: Fraction) -> Decimal:
    """Round an exact amount to the cent, half up (away from zero), with integer arithmetic only."""
    centimes = montant * 100
    signe = -1 if centimes < 0 else 1
    entier = (abs(centimes.numerator) * 2 + centimes.denominator) // (2 * centimes.denominator)
    return (Decimal(signe * entier) / 100).quantize(Decimal("0.01"))


def repartir_au_centime(montants: Iterable[Fraction]) -> list[Decimal]:
    """Cumulative rounding: each result is round(running total) − round(previous running total), so
    the results add up exactly to round(sum of `montants`)."""
    resultats, cumul, deja_arrondi = [], Fraction(0), Decimal("0.00")
    for montant in montants:
        cumul += montant
        arrondi = arrondir_au_centime(cumul)
        resultats.append(arrondi - deja_arrondi)
        deja_arrondi = arrondi
    return resultats


def _fraction(valeur) -> Fraction:
    if isinstance(valeur, float):
        raise TypeError("Les montants et les heures doivent être des Decimal, jamais des float.")
    return Fraction(valeur)


def _mois_suivant(jour: date) -> date:
    return date(jour.year + jour.month // 12, jour.month % 12 + 1, 1)


def fin_de_mois(jour: date) -> date:
    return _mois_suivant(jour) - timedelta(days=1)


def ajouter_mois(jour: date, mois: int) -> date:
    """Same day `mois` months later, clamped to the end of a shorter month (31/01 + 1 → 28/02)."""
    index = jour.year * 12 + jour.month - 1 + mois
    annee, numero = divmod(index, 12)
    return date(annee, numero + 1, min(jour.day, calendar.monthrange(annee, numero + 1)[1]))


def taux_en_vigueur(bareme: Sequence[tuple[date, Decimal]], jour: date) -> Decimal | None:
    """The amount of the latest row whose date is on or before `jour` (None before the first row)."""
    en_vigueur = None
    for date_effet, montant in sorted(bareme, key=lambda ligne: ligne[0]):
        if date_effet <= jour:
            en_vigueur = montant
        else:
            break
    return en_vigueur


def _fusionner(periodes: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    fusion: list[list[date]] = []
    for debut, fin in sorted(periodes):
        if fusion and debut <= fusion[-1][1] + timedelta(days=1):
            fusion[-1][1] = max(fusion[-1][1], fin)
        else:
            fusion.append([debut, fin])
    return [(d, f) for d, f in fusion]


def heures_fr(heures: Decimal) -> str:
    """Decimal("24.50") → « 24,5 »."""
    texte = format(Decimal(heures).normalize(), "f")
    return texte.replace(".", ",")


def verifier_periode(debut: date, fin: date) -> None:
    if fin < debut:
        raise AideImpossible(
            f"Période impossible : la fin ({fin:%d/%m/%Y}) précède le début ({debut:%d/%m/%Y})."
        )


def verifier_heures(heures: Decimal) -> None:
    if not HEURES_MINIMUM <= heures <= HEURES_TEMPS_PLEIN:
        raise AideImpossible(
            f"Durée hebdomadaire impossible : {heures_fr(heures)} heures. Elle doit être comprise entre 17,5 heures "
            "(mi-temps) et 35 heures (temps plein)."
        )


def _segments(
    debut: date,
    fin: date,
    heures: Decimal | Sequence[tuple[date, date | None, Decimal]],
    occupation: Sequence[tuple[date, date | None]] | None,
) -> list[tuple[date, date, Fraction]]:
    """Days that count, as (first day, last day, weekly hours) pieces inside [debut, fin]."""
    verifier_periode(debut, fin)
    if isinstance(heures, (Decimal, int)):
        periodes_heures = [(debut, fin, Decimal(heures))]
    else:
        periodes_heures = [(d, f or fin, h) for d, f, h in heures]
    periodes_heures.sort(key=lambda p: p[0])
    for (d1, f1, _), (d2, _, _) in zip(periodes_heures, periodes_heures[1:]):
        if d2 <= f1:
            raise AideImpossible(f"Deux durées hebdomadaires différentes s’appliquent le {d2:%d/%m/%Y}.")
    for d, f, h in periodes_heures:
        verifier_heures(h)
        if f < d:
            raise AideImpossible(f"Période d’heures impossible : du {d:%d/%m/%Y} au {f:%d/%m/%Y}.")

    if occupation is None:
        occupe = [(debut, fin)]
    else:
        for d, f in occupation:
            if f is not None and f < d:
                raise AideImpossible(f"Période d’occupation impossible : du {d:%d/%m/%Y} au {f:%d/%m/%Y}.")
        occupe = _fusionner((max(d, debut), min(f or fin, fin)) for d, f in occupation if d <= fin and (f or fin) >= debut)

    morceaux = []
    for od, of in occupe:
        for hd, hf, h in periodes_heures:
            d, f = max(od, hd, debut), min(of, hf, fin)
            if d <= f:
                morceaux.append((d, f, _fraction(h)))
    return morceaux


def ventiler(
    debut: date,
    fin: date,
    taux_mensuel_plein: Callable[[date], Fraction | None],
    heures,
    occupation=None,
    nom_du_taux: str = "barème de l’aide",
) -> Echeancier:
    """Spread `taux_mensuel_plein(first day of the month)` (the full-time monthly amount) over the
    days that count, month by month, with the hours of each day. Shared by the aid and the SMIC cost."""
    cumul_heures_jours: dict[date, Fraction] = {}
    jours_occupes: dict[date, int] = {}
    for d, f, h in _segments(debut, fin, heures, occupation):
        jour = d
        while jour <= f:
            mois = jour.replace(day=1)
            dernier = min(f, fin_de_mois(jour))
            nombre = (dernier - jour).days + 1
            cumul_heures_jours[mois] = cumul_heures_jours.get(mois, Fraction(0)) + h * nombre
            jours_occupes[mois] = jours_occupes.get(mois, 0) + nombre
            jour = dernier + timedelta(days=1)

    lignes = []
    mois = debut.replace(day=1)
    while mois <= fin:
        jours_du_mois = calendar.monthrange(mois.year, mois.month)[1]
        heures_jours = cumul_heures_jours.get(mois, Fraction(0))
        taux = taux_mensuel_plein(mois)
        if heures_jours and taux is None:
            raise AideImpossible(
                f"Aucun {nom_du_taux} ne couvre le mois de {NOMS_MOIS[mois.month - 1]} {mois.year} : "
                "la période commence avant le premier montant connu."
            )
        exact = Fraction(0) if not heures_jours else taux * heures_jours / _fraction(HEURES_TEMPS_PLEIN) / jours_du_mois
        lignes.append((mois, jours_du_mois, jours_occupes.get(mois, 0), taux, exact))
        mois = _mois_suivant(mois)

    arrondis = repartir_au_centime(exact for *_, exact in lignes)
    total_exact = sum((exact for *_, exact in lignes), Fraction(0))
    return Echeancier(
        debut=debut,
        fin=fin,
        total_exact=total_exact,
        total=arrondir_au_centime(total_exact),
        mois=tuple(
            MoisAide(
                annee=m.year,
                mois=m.month,
                jours_du_mois=jdm,
                jours_occupes=jo,
                taux_annuel=None if taux is None else Decimal(taux.numerator * 12) / Decimal(taux.denominator),
                montant_exact=exact,
                montant=arrondi,
            )
            for (m, jdm, jo, taux, exact), arrondi in zip(lignes, arrondis)
        ),
    )


NOMS_MOIS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def calculer_aide(
    debut: date,
    fin: date,
    bareme: Sequence[tuple[date, Decimal]],
    heures: Decimal | Sequence[tuple[date, date | None, Decimal]],
    occupation: Sequence[tuple[date, date | None]] | None = None,
) -> Echeancier:
    """The aid of a post from `debut` to `fin` (both included), following the rule of this module
    (art. D5134-158 to D5134-160: flat annual amount per full-time post, revalued every 1 July, paid
    only while the post is occupied, prorated to the weekly hours).

    - `bareme`: (date of effect, annual full-time amount) rows;
    - `heures`: one weekly duration, or (first day, last day or None, hours) periods when an avenant
      changed the hours; days outside every hours period do not count;
    - `occupation`: (first day, last day or None) periods when somebody holds the post; None means
      occupied throughout. Days outside every occupation period do not count.

    Raises `AideImpossible` (French message) for an impossible period, hours outside 17.5–35, or a
    month with counted days that no barème covers."""

    def taux(premier_du_mois: date) -> Fraction | None:
        annuel = taux_en_vigueur(bareme, premier_du_mois)
        return None if annuel is None else _fraction(annuel) / 12

    return ventiler(debut, fin, taux, heures, occupation)


def calculer_cout_smic(
    debut: date,
    fin: date,
    smic: Sequence[tuple[date, Decimal]],
    heures,
    occupation=None,
) -> Echeancier:
    """Gross cost of the same hours paid at the SMIC, with the same days and the same rounding:
    monthly full-time wage = hourly SMIC in force on the 1st of the month × 151.67, × hours / 35 ×
    days occupied / days in the month."""

    def taux(premier_du_mois: date) -> Fraction | None:
        horaire = taux_en_vigueur(smic, premier_du_mois)
        return None if horaire is None else _fraction(horaire) * _fraction(HEURES_MENSUELLES_SMIC)

    return ventiler(debut, fin, taux, heures, occupation, nom_du_taux="montant du SMIC")


def part_du_cout(aide: Decimal, cout: Decimal) -> Decimal | None:
    """Aid as a percentage of a cost, to two decimals, half up (None when the cost is zero)."""
    if not cout:
        return None
    return arrondir_au_centime(Fraction(aide) * 100 / Fraction(cout))
