"""Employer eligibility (Code du travail, art. L5134-101), as pure functions."""

from dataclasses import dataclass

from django.db import models

ARTICLE_EMPLOYEUR = "art. L5134-101 du code du travail"


class FormeJuridique(models.TextChoices):
    COLLECTIVITE_TERRITORIALE = "collectivite", "Collectivité territoriale (commune, département, région)"
    EPCI = "epci", "Établissement public de coopération intercommunale (EPCI)"
    ETABLISSEMENT_PUBLIC_LOCAL = "ep_local", "Établissement public d’une collectivité (CCAS, régie…)"
    EPLE = "eple", "Établissement public local d’enseignement (collège, lycée)"
    ETABLISSEMENT_SANTE = "ep_sante", "Établissement public de santé"
    ORGANISME_HLM = "hlm", "Organisme d’habitations à loyer modéré (OPH, ESH, coopérative HLM)"
    ASSOCIATION = "association", "Association loi de 1901 ou de droit local"
    FONDATION = "fondation", "Fondation ou autre organisme de droit privé à but non lucratif"
    DELEGATAIRE_SERVICE_PUBLIC = "service_public", "Personne morale de droit privé chargée d’un service public"
    SOCIETE_COMMERCIALE = "societe", "Société commerciale"
    ETAT = "etat", "Service ou établissement public de l’État"
    A_PRECISER = "a_preciser", "À préciser"  # employer created by an import: the agent must say which


# L5134-101: who may sign a convention adulte-relais. The State and commercial companies may not.
FORMES_ELIGIBLES = frozenset(
    {
        FormeJuridique.COLLECTIVITE_TERRITORIALE,
        FormeJuridique.EPCI,
        FormeJuridique.ETABLISSEMENT_PUBLIC_LOCAL,
        FormeJuridique.EPLE,
        FormeJuridique.ETABLISSEMENT_SANTE,
        FormeJuridique.ORGANISME_HLM,
        FormeJuridique.ASSOCIATION,
        FormeJuridique.FONDATION,
        FormeJuridique.DELEGATAIRE_SERVICE_PUBLIC,
    }
)


@dataclass(frozen=True)
class ResultatEmployeur:
    ok: bool
    motif: str
    article: str = ARTICLE_EMPLOYEUR


def eligibilite_employeur(forme_juridique: str) -> ResultatEmployeur:
    """Is a structure of this legal form allowed to employ an adulte-relais? (L5134-101)"""
    try:
        forme = FormeJuridique(forme_juridique)
    except ValueError:
        return ResultatEmployeur(False, "Forme juridique inconnue : précisez-la pour vérifier l’éligibilité.")
    if forme == FormeJuridique.A_PRECISER:
        return ResultatEmployeur(False, "Forme juridique à préciser : l’éligibilité ne peut pas encore être vérifiée.")
    if forme in FORMES_ELIGIBLES:
        return ResultatEmployeur(True, f"{forme.label} : employeur éligible.")
    if forme == FormeJuridique.ETAT:
        return ResultatEmployeur(False, "L’État ne peut pas être employeur d’un adulte-relais.")
    return ResultatEmployeur(False, f"{forme.label} : forme juridique non éligible (but lucratif).")
