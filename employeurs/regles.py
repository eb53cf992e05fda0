"""Employer rules, as pure functions: eligibility (Code du travail, art. L5134-101) and the SIRET.

SIRET checks (pure functions).

A SIRET is 14 digits: the SIREN (9) and the establishment number (5). Its last digit is a Luhn key.
Exception: La Poste (SIREN 356 000 000) has more establishments than the Luhn key allows, so its
SIRETs are valid when the sum of their digits is a multiple of 5 (INSEE rule); the head office
(356 000 000 00048) keeps an ordinary Luhn key.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
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


# --- SIRET ---------------------------------------------------------------------------------------

SIREN_LA_POSTE = "356000000"


def luhn_valide(chiffres: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(chiffres)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def normaliser_siret(valeur: str) -> str:
    """Remove the spaces and dots people type in a SIRET (`775 544 026 01284`)."""
    return "".join(c for c in str(valeur or "") if not c.isspace() and c not in ".-")


def erreur_siret(valeur: str) -> str | None:
    """The French message saying what is wrong with a SIRET, or None when it is valid."""
    siret = normaliser_siret(valeur)
    if not siret:
        return "Le SIRET est obligatoire."
    if not (siret.isascii() and siret.isdigit()):  # "٧٧٥…" or "７７５…" are digits for isdigit()
        return "Le SIRET ne doit contenir que des chiffres."
    if len(siret) != 14:
        return f"Le SIRET doit comporter 14 chiffres ({len(siret)} saisis)."
    if siret.startswith(SIREN_LA_POSTE):
        if sum(int(c) for c in siret) % 5 != 0 and not luhn_valide(siret):
            return "Le SIRET est invalide : la clé de contrôle (règle La Poste) ne correspond pas."
        return None
    if not luhn_valide(siret):
        return "Le SIRET est invalide : la clé de contrôle ne correspond pas (vérifiez chaque chiffre)."
    return None


def siret_valide(valeur: str) -> bool:
    return erreur_siret(valeur) is None


def valider_siret(valeur: str) -> None:
    """Django validator."""
    message = erreur_siret(valeur)
    if message:
        raise ValidationError(message, code="siret_invalide")
