"""The aid simulator (page « Simulateur d’aide » and command `simuler_aide`): reading the user's
input with French messages, then the aid (financements/regles.py) and its comparison with the cost of
the same hours paid at the SMIC, gross and with employer contributions."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from financements.regles import AideImpossible, Echeancier, calculer_aide, calculer_cout_smic, part_du_cout, verifier_periode

PART_ANNONCEE = Decimal("95")  # the programme describes the aid as about 95 % of the cost of a SMIC wage

# Days the simulator accepts: the programme exists since 1999 and no convention runs a century ahead.
# Beyond, a date is refused with a French message (no barème, and past 9999 no calendar, covers it).
PREMIER_JOUR_SIMULABLE = date(2000, 1, 1)
DERNIER_JOUR_SIMULABLE = date(2100, 12, 31)


def _jjmmaaaa(jour: date) -> str:
    return f"{jour.day:02d}/{jour.month:02d}/{jour.year:04d}"  # strftime drops the zeros of year 1


def verifier_date_simulable(jour: date) -> None:
    if not PREMIER_JOUR_SIMULABLE <= jour <= DERNIER_JOUR_SIMULABLE:
        raise AideImpossible(
            f"La date doit être comprise entre le {_jjmmaaaa(PREMIER_JOUR_SIMULABLE)} et le "
            f"{_jjmmaaaa(DERNIER_JOUR_SIMULABLE)} ({_jjmmaaaa(jour)} saisi)."
        )


def lire_date(texte: str, champ: str) -> date:
    """AAAA-MM-JJ or JJ/MM/AAAA; an impossible date (2024-02-30) gets a French message naming the field."""
    texte = (texte or "").strip()
    for format_ in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            jour = datetime.strptime(texte, format_).date()
        except ValueError:
            continue
        try:
            verifier_date_simulable(jour)
        except AideImpossible as erreur:
            raise AideImpossible(f"{champ} : {str(erreur)[0].lower()}{str(erreur)[1:]}") from None
        return jour
    raise AideImpossible(f"{champ} : date impossible « {texte} » (format attendu AAAA-MM-JJ ou JJ/MM/AAAA).")


def lire_heures(texte, champ: str = "Heures hebdomadaires") -> Decimal:
    try:
        heures = Decimal(str(texte).strip().replace(",", "."))
    except InvalidOperation:
        raise AideImpossible(f"{champ} : nombre d’heures illisible « {texte} ».") from None
    if not heures.is_finite():
        raise AideImpossible(f"{champ} : nombre d’heures illisible « {texte} ».")
    return heures


def lire_vacance(texte: str) -> tuple[date, date]:
    """« 2024-09-01:2024-10-15 » or « 01/09/2024 au 15/10/2024 »: days the post is vacant."""
    correspondance = re.fullmatch(r"\s*([0-9/-]+)\s*(?::|au|à|–|—)\s*([0-9/-]+)\s*", texte or "")
    if not correspondance:
        raise AideImpossible(
            f"Période de vacance illisible « {texte.strip()} » : écrivez AAAA-MM-JJ:AAAA-MM-JJ ou JJ/MM/AAAA au JJ/MM/AAAA."
        )
    debut = lire_date(correspondance.group(1), "Vacance")
    fin = lire_date(correspondance.group(2), "Vacance")
    if fin < debut:
        raise AideImpossible(f"Vacance impossible : du {debut:%d/%m/%Y} au {fin:%d/%m/%Y} (la fin précède le début).")
    return debut, fin


def occupation_hors_vacances(debut: date, fin: date, vacances: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """The days of [debut, fin] outside every vacancy, as periods."""
    periodes, depuis = [], debut
    for v_debut, v_fin in sorted(vacances):
        if v_fin < debut or v_debut > fin:
            raise AideImpossible(f"La vacance du {v_debut:%d/%m/%Y} au {v_fin:%d/%m/%Y} est en dehors de la période simulée.")
        if v_debut > depuis:
            periodes.append((depuis, v_debut - timedelta(days=1)))
        depuis = max(depuis, v_fin + timedelta(days=1))
    if depuis <= fin:
        periodes.append((depuis, fin))
    return periodes


@dataclass
class Simulation:
    debut: date
    fin: date
    heures: Decimal
    vacances: list[tuple[date, date]]
    aide: Echeancier
    cout_brut: Echeancier | None
    taux_charges: Decimal

    @property
    def cout_charge(self) -> Decimal | None:
        if self.cout_brut is None:
            return None
        return (self.cout_brut.total * (1 + self.taux_charges)).quantize(Decimal("0.01"))

    @property
    def part_cout_brut(self) -> Decimal | None:
        return None if self.cout_brut is None else part_du_cout(self.aide.total, self.cout_brut.total)

    @property
    def part_cout_charge(self) -> Decimal | None:
        return None if self.cout_charge is None else part_du_cout(self.aide.total, self.cout_charge)

    def lignes(self):
        """(aid month, SMIC cost month or None) pairs, for the table of the page."""
        couts = {m.cle: m for m in self.cout_brut.mois} if self.cout_brut else {}
        return [(m, couts.get(m.cle)) for m in self.aide.mois]


def simuler(
    debut: date,
    fin: date,
    heures: Decimal,
    vacances: list[tuple[date, date]],
    bareme: list[tuple[date, Decimal]],
    smic: list[tuple[date, Decimal]] | None = None,
    taux_charges: Decimal = Decimal("0"),
) -> Simulation:
    """Aid of a post from `debut` to `fin` at `heures` a week, vacant during `vacances`. The SMIC cost
    is None when no SMIC amount covers the period (the aid alone is then shown)."""
    verifier_date_simulable(debut)
    verifier_date_simulable(fin)
    verifier_periode(debut, fin)
    occupation = occupation_hors_vacances(debut, fin, vacances)
    aide = calculer_aide(debut, fin, bareme, heures, occupation)
    cout = None
    if smic:
        try:
            cout = calculer_cout_smic(debut, fin, smic, heures, occupation)
        except AideImpossible:
            cout = None
    return Simulation(debut, fin, heures, vacances, aide, cout, taux_charges)
