"""The State's aid to an adulte-relais post, computed month by month (art. D5134-158 to D5134-160
of the code du travail). Pure functions over plain values: no database, no settings.

The rule (also shown word for word in the interface, see `REGLE_AIDE`):

1. The annual amount A of a full-time post is the barème in force on the FIRST DAY of each
   calendar month (the barème is revalued every 1 July: July uses the new amount, June the old).
2. The share of a month = A / 12 × weekly hours / 35 × days occupied in the month / days in the
   month. Only days covered by an affectation (somebody holds the post) count: a vacant post costs
   nothing. When the weekly hours change within a month (avenant), each day counts with its hours.
3. Every share is kept exact (integers over a common denominator, built from the `Decimal`
   inputs, see `ventiler`): no float, no intermediate rounding.
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


def motif_date_effet_bareme(jour: date) -> str | None:
    """The aid's barème is revalued every 1 July, in proportion to the SMIC (art. D5134-158 to
    D5134-160 du code du travail): a date of effect is a 1 July. French reason, or None."""
    if (jour.month, jour.day) == (7, 1):
        return None
    return (
        "Le barème de l’aide est revalorisé chaque 1er juillet (art. D5134-158 à D5134-160 du code du travail) : "
        f"la date d’effet doit être un 1er juillet, et non le {jour:%d/%m/%Y}."
    )


def motif_date_effet_smic(jour: date) -> str | None:
    """The SMIC is revalued from the first day of a month: every 1 January, and during the year when
    prices rise enough (1 May 2023, 1 November 2024; art. L3231-5 du code du travail). French
    reason, or None."""
    if jour.day == 1:
        return None
    return (
        "Le SMIC est revalorisé à compter du premier jour d’un mois (chaque 1er janvier, ou en cours d’année "
        f"après une hausse des prix) : la date d’effet doit être le 1er d’un mois, et non le {jour:%d/%m/%Y}."
    )


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


@dataclass(slots=True)
class MoisAide:
    annee: int
    mois: int
    jours_du_mois: int
    jours_occupes: int
    taux_annuel: Decimal | None  # A (or the yearly equivalent of the rate) in force on the 1st
    numerateur: int  # exact amount of the month = numerateur / denominateur euros
    denominateur: int
    montant: Decimal  # cumulative rounding: the months add up to the total

    @property
    def montant_exact(self) -> Fraction:
        return Fraction(self.numerateur, self.denominateur)

    @property
    def cle(self) -> str:
        return f"{self.annee:04d}-{self.mois:02d}"

    @property
    def premier_jour(self) -> date:
        return date(self.annee, self.mois, 1)


@dataclass(slots=True)
class Echeancier:
    debut: date
    fin: date
    total: Decimal
    mois: tuple[MoisAide, ...]

    @property
    def total_exact(self) -> Fraction:
        return sum((m.montant_exact for m in self.mois), Fraction(0))

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


def _entier(valeur, echelle: int, quoi: str) -> int:
    """`valeur × echelle` as an exact integer (hours in hundredths, amounts in ten-thousandths of a
    euro); floats are refused, so that nothing inexact ever enters the computation."""
    if isinstance(valeur, float):
        raise TypeError("Les montants et les heures doivent être des Decimal, jamais des float.")
    produit = Decimal(valeur) * echelle
    if produit != produit.to_integral_value():
        raise AideImpossible(f"{quoi} : trop de décimales ({valeur}).")
    return int(produit)


ECHELLE_HEURES = 100  # hours are counted in hundredths of an hour
ECHELLE_TAUX = 10_000  # annual amounts in ten-thousandths of a euro (SMIC × 151.67 has four decimals)
PPCM_JOURS = 377_580  # least common multiple of 28, 29, 30 and 31: one denominator for every month


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
    for date_effet, montant in bareme:
        if date_effet <= jour and (en_vigueur is None or date_effet >= en_vigueur[0]):
            en_vigueur = (date_effet, montant)
    return None if en_vigueur is None else en_vigueur[1]


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
        raise AideImpossible(f"Période impossible : la fin ({fin:%d/%m/%Y}) précède le début ({debut:%d/%m/%Y}).")


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
) -> list[tuple[date, date, int]]:
    """Days that count, as (first day, last day, weekly hours in hundredths) pieces inside [debut, fin]."""
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
                morceaux.append((d, f, _entier(h, ECHELLE_HEURES, "Heures hebdomadaires")))
    return morceaux


def ventiler(
    debut: date,
    fin: date,
    taux_annuel_plein: Callable[[date], Decimal | None],
    heures,
    occupation=None,
    nom_du_taux: str = "barème de l’aide",
) -> Echeancier:
    """Spread the annual full-time amount in force on the first day of each month
    (`taux_annuel_plein`) over the days that count, with the hours of each day. Shared by the aid and
    the SMIC cost.

    Exact integer arithmetic: with T the annual amount in ten-thousandths of a euro and S the sum over
    the month's counted days of the weekly hours in hundredths, the month is worth
    T × S / (10 000 × 12 × 35 × D) euros = T × S / (4 200 000 × D) cents (D: days in the month). Every
    month is written over the common denominator L = 4 200 000 × 377 580 (377 580 = lcm of 28…31),
    so running totals are integers and each rounding to the cent is exact, half up."""
    heures_jours: dict[date, int] = {}
    jours_occupes: dict[date, int] = {}
    for d, f, h in _segments(debut, fin, heures, occupation):
        jour = d
        while jour <= f:
            mois = jour.replace(day=1)
            dernier = min(f, fin_de_mois(jour))
            nombre = (dernier - jour).days + 1
            heures_jours[mois] = heures_jours.get(mois, 0) + h * nombre
            jours_occupes[mois] = jours_occupes.get(mois, 0) + nombre
            jour = dernier + timedelta(days=1)

    denominateur = ECHELLE_TAUX * 12 * 35 * PPCM_JOURS  # in cents: the month is numerateur / L cents
    mois_calcules, cumul, centimes_deja = [], 0, 0
    taux_entiers: dict[Decimal, int] = {}
    mois = debut.replace(day=1)
    while mois <= fin:
        suivant = _mois_suivant(mois)
        jours_du_mois = (suivant - mois).days
        somme = heures_jours.get(mois, 0)
        taux = taux_annuel_plein(mois)
        if somme and taux is None:
            raise AideImpossible(
                f"Aucun {nom_du_taux} ne couvre le mois de {NOMS_MOIS[mois.month - 1]} {mois.year} : "
                "la période commence avant le premier montant connu."
            )
        numerateur = 0
        if somme:
            if taux not in taux_entiers:
                taux_entiers[taux] = _entier(taux, ECHELLE_TAUX, nom_du_taux)
            numerateur = taux_entiers[taux] * somme * (PPCM_JOURS // jours_du_mois)
        cumul += numerateur
        centimes = (2 * cumul + denominateur) // (2 * denominateur)  # round half up (amounts are ≥ 0)
        mois_calcules.append(
            MoisAide(
                annee=mois.year,
                mois=mois.month,
                jours_du_mois=jours_du_mois,
                jours_occupes=jours_occupes.get(mois, 0),
                taux_annuel=taux,
                numerateur=numerateur,
                denominateur=denominateur * 100,
                montant=Decimal(centimes - centimes_deja).scaleb(-2),
            )
        )
        centimes_deja = centimes
        mois = suivant
    return Echeancier(debut=debut, fin=fin, total=Decimal(centimes_deja).scaleb(-2), mois=tuple(mois_calcules))


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

    lignes = sorted(bareme, key=lambda ligne: ligne[0])
    return ventiler(debut, fin, lambda premier_du_mois: taux_en_vigueur(lignes, premier_du_mois), heures, occupation)


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

    lignes = sorted(smic, key=lambda ligne: ligne[0])

    def taux(premier_du_mois: date) -> Decimal | None:
        horaire = taux_en_vigueur(lignes, premier_du_mois)
        return None if horaire is None else horaire * HEURES_MENSUELLES_SMIC * 12

    return ventiler(debut, fin, taux, heures, occupation, nom_du_taux="montant du SMIC")


def part_du_cout(aide: Decimal, cout: Decimal) -> Decimal | None:
    """Aid as a percentage of a cost, to two decimals, half up (None when the cost is zero)."""
    if not cout:
        return None
    return arrondir_au_centime(Fraction(aide) * 100 / Fraction(cout))


def euros(montant: Decimal) -> str:
    """22810.61 → « 22 810,61 € » (narrow no-break spaces, decimal comma)."""
    signe = "−" if montant < 0 else ""
    entier, _, decimales = f"{abs(montant):.2f}".partition(".")
    groupes = []
    while entier:
        groupes.insert(0, entier[-3:])
        entier = entier[:-3]
    return f"{signe}{'\u202f'.join(groupes)},{decimales}\u00a0€"
