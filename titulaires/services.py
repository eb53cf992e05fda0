"""Eligibility diagnoses: the pure rules of titulaires/regles.py fed with the database's dated rules
and the residence found, and the immutable record of each check."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from quartiers.models import GEOGRAPHIE_EN_VIGUEUR
from quartiers.residence import Residence
from titulaires.models import Affectation, DiagnosticEligibilite, RegleAgeMinimum
from titulaires.regles import Diagnostic, QuartierResidence, RegleAge, diagnostiquer


@dataclass(frozen=True)
class Question:
    """What an eligibility check looks at: the person on the day the contract is signed."""

    naissance: date
    date_contrat: date
    situation: str
    residence: Residence
    derogation: str = ""

    def en_json(self) -> dict:
        return {
            "date_naissance": self.naissance.isoformat(),
            "date_contrat": self.date_contrat.isoformat(),
            "situation": self.situation,
            "residence": self.residence.en_json(),
            "derogation": self.derogation.strip(),
        }


def regles_age() -> list[RegleAge]:
    return [RegleAge(r.date_effet, r.age_minimum) for r in RegleAgeMinimum.objects.all()]


def evaluer(question: Question) -> Diagnostic:
    qpv = question.residence.qpv
    return diagnostiquer(
        naissance=question.naissance,
        date_contrat=question.date_contrat,
        situation=question.situation,
        qpv=QuartierResidence(qpv.code, qpv.nom, qpv.geographie) if qpv else None,
        derogation=question.derogation,
        regles_age=regles_age(),
        geographie_en_vigueur=GEOGRAPHIE_EN_VIGUEUR,
    )


def enregistrer_diagnostic(affectation: Affectation, question: Question, diagnostic: Diagnostic, auteur) -> DiagnosticEligibilite:
    return DiagnosticEligibilite.objects.create(
        affectation=affectation,
        date_contrat=question.date_contrat,
        eligible=diagnostic.eligible,
        entrees=question.en_json(),
        criteres=[c.en_json() for c in diagnostic.criteres],
        version_regles=diagnostic.version_regles,
        qpv=question.residence.qpv,
        auteur=auteur,
    )


@transaction.atomic
def nouvelle_verification(affectation: Affectation, question: Question, auteur) -> DiagnosticEligibilite:
    """Check again the person of an affectation (corrected inputs, new rules): a new diagnosis, the
    earlier ones stay as they were."""
    return enregistrer_diagnostic(affectation, question, evaluer(question), auteur)
