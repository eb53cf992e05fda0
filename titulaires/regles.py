"""Eligibility of the person hired as adulte-relais and of the employer, as pure functions over plain
values (no database): the callers pass the dated age rules and the QPV found.

- Person (art. L5134-102 of the code du travail): age at least the minimum in force, sans emploi or in
  a CUI-CAE, living in a quartier prioritaire — or a residence derogation granted by the préfet;
- all of it assessed on the date the employment contract is signed (art. D5134-155);
- employer (art. L5134-101): see `employeurs.regles.eligibilite_employeur`, wrapped here as a criterion.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from django.db import models

from employeurs.regles import eligibilite_employeur

ARTICLE_AGE = "art. L5134-102 et D5134-155 du code du travail"
ARTICLE_SITUATION = "art. L5134-102 du code du travail"
ARTICLE_RESIDENCE = "art. L5134-102 du code du travail"
ARTICLE_DEROGATION = "art. L5134-102 et D5134-151 du code du travail (dérogation du préfet)"

LIBELLES = {"age": "Âge", "situation": "Situation avant l’embauche", "residence": "Résidence", "employeur": "Employeur"}

# A hire's dates: the work starts under a signed employment contract, never before it.
PRISE_DE_POSTE_AVANT_CONTRAT = "La prise de poste ne peut pas précéder la signature du contrat de travail."


@dataclass(frozen=True)
class RegleAge:
    """`age_minimum` years for contracts signed from `date_effet` (a row of RegleAgeMinimum)."""

    date_effet: date
    age_minimum: int


@dataclass(frozen=True)
class QuartierResidence:
    """The QPV where the person lives, as found by address, point or chosen by the agent."""

    code: str
    nom: str
    geographie: str


@dataclass(frozen=True)
class Critere:
    critere: str  # "age" | "situation" | "residence" | "employeur"
    ok: bool
    motif: str
    article: str

    @property
    def libelle(self) -> str:
        return LIBELLES[self.critere]

    def en_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Diagnostic:
    criteres: tuple[Critere, ...]
    regle_age: RegleAge | None
    geographie: str

    @property
    def eligible(self) -> bool:
        return all(c.ok for c in self.criteres)

    @property
    def version_regles(self) -> str:
        """The rules applied, in words: kept with each stored diagnosis."""
        if self.regle_age is None:
            age = "aucune règle d’âge en vigueur"
        else:
            age = f"âge minimum {self.regle_age.age_minimum} ans (règle du {self.regle_age.date_effet:%d/%m/%Y})"
        return f"L5134-102 : {age} ; quartiers prioritaires, géographie {self.geographie}"


def jj_mm_aaaa(jour: date) -> str:
    return jour.strftime("%d/%m/%Y")


def anniversaire(naissance: date, annee: int) -> date:
    """The birthday of `naissance` in `annee`. Born on 29 February: 1 March in a common year — the
    person has not completed a further year of age until the whole of 28 February has gone by."""
    try:
        return naissance.replace(year=annee)
    except ValueError:  # 29 February in a common year
        return date(annee, 3, 1)


def age_le(naissance: date, jour: date) -> int:
    """Age in completed years on `jour` (the birthday itself counts: one is N years old on it)."""
    age = jour.year - naissance.year
    return age if jour >= anniversaire(naissance, jour.year) else age - 1


def date_des_ans(naissance: date, ans: int) -> date:
    """The day the person born on `naissance` turns `ans` years old."""
    return anniversaire(naissance, naissance.year + ans)


def regle_age_en_vigueur(regles: Sequence[RegleAge], jour: date) -> RegleAge | None:
    """The age rule for a contract signed on `jour`: the one with the latest `date_effet` ≤ `jour`."""
    applicables = [r for r in regles if r.date_effet <= jour]
    return max(applicables, key=lambda r: r.date_effet) if applicables else None


def critere_age(naissance: date, date_contrat: date, regles: Sequence[RegleAge]) -> tuple[Critere, RegleAge | None]:
    """Art. L5134-102: the person is at least the minimum age in force on the day the contract is
    signed (art. D5134-155) — 30 years up to 15/09/2021, 26 years from 16/09/2021 with the seeded rules."""
    if naissance > date_contrat:
        raise ValueError("La date de naissance suit la date de signature du contrat.")
    regle = regle_age_en_vigueur(regles, date_contrat)
    age = age_le(naissance, date_contrat)
    if regle is None:
        motif = f"Aucune règle d’âge minimum n’est en vigueur le {jj_mm_aaaa(date_contrat)} (avant le programme)."
        return Critere("age", False, motif, ARTICLE_AGE), None
    seuil = f"au moins {regle.age_minimum} ans pour un contrat signé à partir du {jj_mm_aaaa(regle.date_effet)}"
    if age >= regle.age_minimum:
        motif = f"{age} ans le {jj_mm_aaaa(date_contrat)} : {seuil}."
        return Critere("age", True, motif, ARTICLE_AGE), regle
    try:
        atteint = f" ; {regle.age_minimum} ans atteints le {jj_mm_aaaa(date_des_ans(naissance, regle.age_minimum))}"
    except (ValueError, OverflowError):  # beyond the year 9999: no such date to give
        atteint = ""
    motif = f"{age} ans le {jj_mm_aaaa(date_contrat)} : il faut {seuil}{atteint}."
    return Critere("age", False, motif, ARTICLE_AGE), regle


class SituationAvantEmbauche(models.TextChoices):
    SANS_EMPLOI = "sans_emploi", "Sans emploi"
    CUI_CAE = "cui", "En CUI-CAE se terminant avant l’embauche"
    EN_EMPLOI = "en_emploi", "En emploi"


SITUATIONS = {
    SituationAvantEmbauche.SANS_EMPLOI: (True, "Sans emploi avant l’embauche."),
    SituationAvantEmbauche.CUI_CAE: (True, "En contrat unique d’insertion (CUI-CAE) prenant fin avant l’embauche."),
    SituationAvantEmbauche.EN_EMPLOI: (False, "En emploi : le poste est réservé aux personnes sans emploi ou en CUI-CAE."),
}


def critere_situation(situation: str) -> Critere:
    """Art. L5134-102: sans emploi, or in a CUI-CAE ending before the hiring; a person in another
    job is not eligible. `situation` is a value of SituationAvantEmbauche."""
    if situation not in SITUATIONS:
        raise ValueError(f"Situation inconnue : « {situation} » (sans_emploi, cui ou en_emploi).")
    ok, motif = SITUATIONS[situation]
    return Critere("situation", ok, motif, ARTICLE_SITUATION)


def critere_residence(qpv: QuartierResidence | None, derogation: str, geographie_en_vigueur: str) -> Critere:
    """Art. L5134-102: the person lives in a quartier prioritaire of the geography in force, or the
    préfet grants a residence derogation, whose motif is then written in the convention (D5134-151)."""
    motif_derogation = (derogation or "").strip()
    if qpv is not None and qpv.geographie == geographie_en_vigueur:
        motif = f"Réside dans le quartier prioritaire {qpv.nom} ({qpv.code}), géographie {qpv.geographie}."
        return Critere("residence", True, motif, ARTICLE_RESIDENCE)
    if qpv is not None:
        hors = (
            f"Le quartier {qpv.nom} ({qpv.code}) relève de la géographie {qpv.geographie}, "
            f"qui n’est plus en vigueur (géographie {geographie_en_vigueur})"
        )
    else:
        hors = "Aucun quartier prioritaire de résidence"
    if motif_derogation:
        return Critere("residence", True, f"{hors} ; dérogation du préfet : {motif_derogation}", ARTICLE_DEROGATION)
    return Critere("residence", False, f"{hors}, et aucune dérogation du préfet n’est indiquée.", ARTICLE_RESIDENCE)


def critere_employeur(forme_juridique: str) -> Critere:
    """Art. L5134-101: the employer's legal form allows it to employ an adulte-relais (the State and
    commercial companies may not). For the request workflow, at filing."""
    resultat = eligibilite_employeur(forme_juridique)
    return Critere("employeur", resultat.ok, resultat.motif, resultat.article)


def diagnostiquer(
    *,
    naissance: date,
    date_contrat: date,
    situation: str,
    qpv: QuartierResidence | None,
    derogation: str,
    regles_age: Sequence[RegleAge],
    geographie_en_vigueur: str,
) -> Diagnostic:
    """The three conditions of art. L5134-102 for one person, on the contract date (D5134-155)."""
    age, regle = critere_age(naissance, date_contrat, regles_age)
    criteres = (
        age,
        critere_situation(situation),
        critere_residence(qpv, derogation, geographie_en_vigueur),
    )
    return Diagnostic(criteres=criteres, regle_age=regle, geographie=geographie_en_vigueur)
