"""Reading the cells of an imported table (pure functions, no database).

Every reader takes the raw cell (text from a CSV, or the int / float / datetime openpyxl or JSON
gives) and returns a Python value, or raises `ValeurInvalide` with a French message meant for the
agent who typed the file.
"""

import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from commun.exports import DEBUTS_DANGEREUX
from commun.nombres import nombre
from conventions.models import FORMAT_NUMERO_CONVENTION, MESSAGE_NUMERO_CONVENTION
from financements.regles import HEURES_MINIMUM as HEURES_MIN
from financements.regles import HEURES_TEMPS_PLEIN as HEURES_MAX
from postes.models import FORMAT_IDENTIFIANT_POSTE, FinancementAnnuel


class ValeurInvalide(ValueError):
    """A cell that cannot be read; the message is shown to the user as is."""


# Spaces people (and Excel) put inside numbers: ordinary, non-breaking, narrow non-breaking, thin.
ESPACES = (" ", "\u00a0", "\u202f", "\u2009", "\u2007")

# Years and dates an import accepts: the programme was created in 1999 (circulaire du 26 avril 1999);
# beyond 2100 a date is a typing error (and 9999-12-31 plus three years does not exist).
ANNEE_MIN, ANNEE_MAX = 1999, 2100
# The longest cell an import reads (characters); longer ones are rejected on their line.
CELLULE_MAX = 5000
# The largest amount the database keeps (`FinancementAnnuel.montant`: 12 digits, 2 of them decimals).
_MONTANT = FinancementAnnuel._meta.get_field("montant")
CHIFFRES_MONTANT = _MONTANT.max_digits
MONTANT_PLAFOND = Decimal(10) ** (_MONTANT.max_digits - _MONTANT.decimal_places)
# How much of a bad value a message quotes.
EXTRAIT_MAX = 60


class NonScalaire(str):
    """A cell holding a JSON object or array where a text or a number is expected: the reader keeps
    only this marker (never the structure, which may be deeply nested), the engine rejects the line."""


def extrait(brut: str) -> str:
    """A bad value as a message quotes it: at most EXTRAIT_MAX characters, then « … »."""
    brut = str(brut)
    return brut if len(brut) <= EXTRAIT_MAX else brut[:EXTRAIT_MAX] + "…"


def probleme_cellule(valeur) -> str | None:
    """What makes a cell unreadable whatever its column (an object, an overlong text), or None."""
    if isinstance(valeur, NonScalaire):
        return f"Valeur inattendue ({valeur}) : attendu un texte ou un nombre."
    if isinstance(valeur, str) and "\x00" in valeur:  # PostgreSQL keeps no NUL character in a text
        return "Valeur illisible : elle contient un caractère nul."
    if isinstance(valeur, str) and "\ufffd" in valeur:  # a lone surrogate of a JSON file, or a bad byte
        return "Valeur illisible : elle contient un caractère invalide (« \ufffd »)."
    if isinstance(valeur, str) and len(valeur) > CELLULE_MAX:
        return f"Valeur trop longue ({nombre(len(valeur))} caractères ; au plus {nombre(CELLULE_MAX)})."
    return None


def limiter_longueur(valeur: str, maximum: int, trop_long: str) -> str:
    """A text kept in a column of `maximum` characters; `trop_long` starts the message."""
    if len(valeur) > maximum:
        raise ValeurInvalide(f"{trop_long} : {len(valeur)} caractères, au plus {maximum} (« {extrait(valeur)} »).")
    return valeur


def lire_numero_convention(valeur: str) -> str:
    """A convention number as the database accepts it (`conventions.models.FORMAT_NUMERO_CONVENTION`)."""
    if not re.fullmatch(FORMAT_NUMERO_CONVENTION, valeur):
        raise ValeurInvalide(f"Numéro de convention « {extrait(valeur)} » : {MESSAGE_NUMERO_CONVENTION}")
    return valeur


def texte(valeur) -> str:
    """The cell as stripped text ('' when empty). Integral floats lose their '.0' (Excel numbers)."""
    if valeur is None:
        return ""
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    if isinstance(valeur, datetime):
        return valeur.date().isoformat() if valeur.time() == datetime.min.time() else valeur.isoformat()
    valeur = str(valeur)
    if valeur.startswith("'") and valeur[1:2] in DEBUTS_DANGEREUX:
        valeur = valeur[1:]  # undo commun.exports.neutraliser, so that an export re-imports unchanged
    return valeur.strip()


def cle(texte_brut: str) -> str:
    """Comparison key for headers and labels: no case, no accents, no spaces or punctuation.
    « Quartiers (codes QPV) » → `quartierscodesqpv`, `insee_dep` → `inseedep`."""
    sans_accents = unicodedata.normalize("NFKD", str(texte_brut or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", sans_accents.lower())


def lire_montant(valeur) -> Decimal:
    """An amount in euros, to the cent: `22555.73`, `22 555,73`, `22 555,73 €` (ordinary, non-breaking
    or narrow spaces), `22.555,73`; numbers from a spreadsheet as they are. Never negative."""
    if isinstance(valeur, bool):
        raise ValeurInvalide("Montant illisible.")
    if isinstance(valeur, float) and not math.isfinite(valeur):
        raise ValeurInvalide(f"Montant illisible : « {valeur} » (exemple attendu : 22 555,73).")
    if isinstance(valeur, (int, float, Decimal)):
        montant = Decimal(repr(valeur)) if isinstance(valeur, float) else Decimal(valeur)
        if not montant.is_finite():
            raise ValeurInvalide(f"Montant illisible : « {valeur} » (exemple attendu : 22 555,73).")
    else:
        brut = texte(valeur)
        s = brut.replace("€", "").replace("EUR", "").replace("eur", "")
        for espace in ESPACES:
            s = s.replace(espace, "")
        s = s.replace("'", "")  # Swiss-style thousands
        if "," in s and "." in s:
            # The last separator is the decimal one: 22.555,73 or 22,555.73.
            if s.rfind(",") > s.rfind("."):
                s = s.replace(".", "").replace(",", ".")
            else:
                s = s.replace(",", "")
        elif "," in s:
            if s.count(",") > 1:
                raise ValeurInvalide(f"Montant illisible : « {extrait(brut)} ».")
            s = s.replace(",", ".")
        elif s.count(".") > 1:
            s = s.replace(".", "")  # 1.234.567
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", s):
            raise ValeurInvalide(f"Montant illisible : « {extrait(brut)} » (exemple attendu : 22 555,73).")
        try:
            montant = Decimal(s)
        except InvalidOperation as exc:  # pragma: no cover - the regex above guards it
            raise ValeurInvalide(f"Montant illisible : « {extrait(brut)} ».") from exc
    if montant < 0:
        raise ValeurInvalide(f"Le montant ne peut pas être négatif ({extrait(montant)} €).")
    if montant >= MONTANT_PLAFOND:
        raise ValeurInvalide(
            f"Montant hors limites ({extrait(montant)} €) : au plus {_MONTANT.max_digits - _MONTANT.decimal_places} "
            "chiffres avant la virgule."
        )
    arrondi = montant.quantize(Decimal("0.01"))
    if abs(arrondi - montant) >= Decimal("0.000001"):
        raise ValeurInvalide(f"Le montant a plus de deux décimales ({extrait(montant)} €) : arrondissez au centime.")
    return arrondi


def lire_date(valeur) -> date:
    """`15/03/2023`, `15-03-2023`, `15.03.2023`, `2023-03-15` (optionally followed by a time), or a
    spreadsheet date. A date that does not exist (31/02/2023) is refused as such, and so is a date
    outside the programme's years (ANNEE_MIN to ANNEE_MAX)."""
    jour = _lire_date(valeur)
    if not ANNEE_MIN <= jour.year <= ANNEE_MAX:
        raise ValeurInvalide(
            f"Date hors du programme adultes-relais : le {jour.day:02d}/{jour.month:02d}/{jour.year} "
            f"(attendu entre {ANNEE_MIN} et {ANNEE_MAX})."
        )
    return jour


def _lire_date(valeur) -> date:
    if isinstance(valeur, datetime):
        return valeur.date()
    if isinstance(valeur, date):
        return valeur
    brut = texte(valeur)
    if m := re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", brut):
        jour, mois, annee = (int(x) for x in m.groups())
    elif m := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})([T ][0-9:.]+)?", brut):
        annee, mois, jour = (int(x) for x in m.groups()[:3])
    else:
        raise ValeurInvalide(f"Date illisible : « {extrait(brut)} » (attendu : JJ/MM/AAAA ou AAAA-MM-JJ).")
    try:
        return date(annee, mois, jour)
    except ValueError as exc:
        raise ValeurInvalide(f"Date impossible : le {jour:02d}/{mois:02d}/{annee} n’existe pas.") from exc


def lire_annee(valeur) -> int:
    brut = texte(valeur)
    if not re.fullmatch(r"[0-9]{4}", brut):
        raise ValeurInvalide(f"Année illisible : « {extrait(brut)} » (attendu : 2023).")
    annee = int(brut)
    if not ANNEE_MIN <= annee <= ANNEE_MAX:
        raise ValeurInvalide(f"Année hors du programme adultes-relais (créé en 1999) : {annee}.")
    return annee


def lire_heures(valeur) -> Decimal:
    """Weekly hours, between half time (17.5) and full time (35) (art. D5134-151)."""
    brut = texte(valeur)
    try:
        heures = Decimal(repr(valeur)) if isinstance(valeur, float) else Decimal(brut.replace(",", ".").replace("h", "").strip())
    except InvalidOperation as exc:
        raise ValeurInvalide(f"Nombre d’heures illisible : « {extrait(brut)} ».") from exc
    if not heures.is_finite():
        raise ValeurInvalide(f"Nombre d’heures illisible : « {extrait(brut)} ».")
    if not Decimal(str(HEURES_MIN)) <= heures <= Decimal(HEURES_MAX):
        raise ValeurInvalide(
            f"La durée hebdomadaire doit être comprise entre 17,5 et 35 heures ({extrait(brut)} h) (art. D5134-151)."
        )
    if heures != heures.quantize(Decimal("0.01")):
        raise ValeurInvalide(f"Nombre d’heures avec trop de décimales : « {extrait(brut)} ».")
    return heures.quantize(Decimal("0.01"))


def lire_identifiant(valeur) -> str:
    brut = texte(valeur).upper().replace(" ", "")
    if not brut:
        raise ValeurInvalide("L’identifiant du poste est obligatoire.")
    if not re.fullmatch(FORMAT_IDENTIFIANT_POSTE, brut):
        raise ValeurInvalide(
            f"Identifiant de poste mal formé : « {extrait(brut)} » (attendu : 12 caractères comme 09324R000101)."
        )
    return brut


def normaliser_departement(valeur) -> str:
    """`93`, `093`, `2A`, `02A`, `971`, a spreadsheet's `1` → `01`; a label such as `93 – Seine-Saint-Denis`
    keeps its code."""
    brut = texte(valeur).upper()
    brut = re.split(r"[\s–-]", brut, maxsplit=1)[0] if brut else brut
    if brut.isdigit() and len(brut) == 1:
        return brut.zfill(2)
    if len(brut) == 3 and brut.startswith("0"):
        return brut[1:]
    return brut


def departement_de_l_identifiant(identifiant: str) -> str:
    """The département written in a post identifier, used when a row has none (see README):
    `00112R000103` → 01, `02A23R000100` → 2A, `97118R001001` → 971, `59L13R001803` → 59 (the letter
    after two digits names a sub-office of the Nord in ANCT's register)."""
    prefixe = identifiant[:3].upper()
    if prefixe.startswith("97") or prefixe.startswith("98"):
        return prefixe
    if prefixe.startswith("0"):
        return prefixe[1:]
    if prefixe[2].isalpha():
        return prefixe[:2]
    return prefixe  # pragma: no cover - no such identifier in the register


def separer_liste(valeur) -> list[str]:
    """A list written in one cell: items separated by `,`, `;` or `|` (the export writes `, `)."""
    return [morceau.strip() for morceau in re.split(r"[,;|\n]", texte(valeur)) if morceau.strip()]


def separer_codes(valeur) -> list[str]:
    """QPV codes in one cell, separated by `,`, `;`, `|` or spaces: `QN09339M, QN09340M`."""
    return [c.upper() for c in re.split(r"[,;|\s]+", texte(valeur)) if c]


def choix(valeur, choices, inconnu: str) -> str:
    """A value of a TextChoices, written as its code or its label (no case, no accents).
    `inconnu` starts the error message: « Statut inconnu »."""
    brut = texte(valeur)
    recherche = cle(brut)
    for code, libelle in choices:
        if recherche in (cle(code), cle(libelle)):
            return code
    possibles = " ; ".join(str(libelle) for _, libelle in choices)
    raise ValeurInvalide(f"{inconnu} : « {extrait(brut)} » (valeurs possibles : {possibles}).")
