"""Rules of a request for a post, as pure functions over plain values.

Workflow (the shape of the State's form platforms):
    brouillon → déposée → en instruction → (à compléter ↔ en instruction) → acceptée | refusée | classée sans suite
A decision is final. Completeness follows what a convention must contain (art. D5134-151 du code du
travail: nature of the project, weekly hours, post characteristics, QPV of intervention); the employer
must be eligible (art. L5134-101).
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models

from commun.nombres import nombre
from employeurs.regles import FormeJuridique, eligibilite_employeur
from financements.regles import HEURES_MINIMUM as HEURES_MIN  # D5134-151: at least half time
from financements.regles import HEURES_TEMPS_PLEIN as HEURES_MAX


class StatutDemande(models.TextChoices):
    """The one vocabulary of a request's statuses (labels shown on every page, export and chart)."""

    BROUILLON = "brouillon", "Brouillon"
    DEPOSEE = "deposee", "Déposée"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    A_COMPLETER = "a_completer", "À compléter"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"
    CLASSEE_SANS_SUITE = "classee_sans_suite", "Classée sans suite"


BROUILLON = StatutDemande.BROUILLON
DEPOSEE = StatutDemande.DEPOSEE
EN_INSTRUCTION = StatutDemande.EN_INSTRUCTION
A_COMPLETER = StatutDemande.A_COMPLETER
ACCEPTEE = StatutDemande.ACCEPTEE
REFUSEE = StatutDemande.REFUSEE
CLASSEE_SANS_SUITE = StatutDemande.CLASSEE_SANS_SUITE

TRANSITIONS = {
    BROUILLON: {DEPOSEE},
    DEPOSEE: {EN_INSTRUCTION},
    EN_INSTRUCTION: {A_COMPLETER, ACCEPTEE, REFUSEE, CLASSEE_SANS_SUITE},
    A_COMPLETER: {EN_INSTRUCTION},
    ACCEPTEE: set(),
    REFUSEE: set(),
    CLASSEE_SANS_SUITE: set(),
}
DECISIONS = (ACCEPTEE, REFUSEE, CLASSEE_SANS_SUITE)  # final (the order is that of the database constraint)
MODIFIABLES_PAR_L_EMPLOYEUR = (BROUILLON, A_COMPLETER)
# The labels of StatutDemande, inside a sentence (« Cette demande a déjà été refusée »).
LIBELLES = {statut.value: statut.label.lower() for statut in StatutDemande}


def transition_autorisee(avant: str, apres: str) -> bool:
    return apres in TRANSITIONS.get(avant, set())


# What an agent may do on a request, as the transition each action makes (services/demandes.py).
ACTIONS_AGENT = {
    "instruire": (DEPOSEE, EN_INSTRUCTION),
    "reprendre": (A_COMPLETER, EN_INSTRUCTION),
    "demander_complements": (EN_INSTRUCTION, A_COMPLETER),
    "decider": (EN_INSTRUCTION, ACCEPTEE),
}


def actions_agent(statut: str) -> frozenset[str]:
    """The instruction actions the page offers on a request in `statut`: those whose transition is
    allowed from it, and confiding the instruction until the decision (which is final)."""
    actions = {nom for nom, (avant, apres) in ACTIONS_AGENT.items() if statut == avant and transition_autorisee(avant, apres)}
    if statut not in DECISIONS:
        actions.add("affecter")
    return frozenset(actions)


def erreur_transition(avant: str, apres: str) -> str | None:
    """Why a request cannot go from `avant` to `apres`, in French, or None when it can."""
    if transition_autorisee(avant, apres):
        return None
    if avant in DECISIONS:
        return f"Cette demande a déjà été {LIBELLES[avant]} : la décision est définitive."
    if apres in DECISIONS and avant == BROUILLON:
        return "Une demande encore au brouillon ne peut pas être décidée : l’employeur doit d’abord la déposer."
    if apres in DECISIONS:
        return f"Une demande {LIBELLES[avant]} ne peut pas être décidée : elle doit d’abord être en instruction."
    return f"Une demande {LIBELLES.get(avant, avant)} ne peut pas passer à l’état « {LIBELLES.get(apres, apres)} »."


# --- Completeness at filing ----------------------------------------------------------------------


class TypePiece(models.TextChoices):
    STATUTS = "statuts", "Statuts de l’association"
    BUDGET = "budget_previsionnel", "Budget prévisionnel"
    COMPTES = "derniers_comptes", "Derniers comptes approuvés"
    AUTRE = "autre", "Autre document"


PIECES_EXIGEES_DE_TOUS = (TypePiece.BUDGET,)
PIECES_EXIGEES_DES_ASSOCIATIONS = (TypePiece.STATUTS, TypePiece.COMPTES)
LIBELLES_PIECES = {
    TypePiece.STATUTS: "les statuts à jour de l’association",
    TypePiece.BUDGET: "le budget prévisionnel du poste",
    TypePiece.COMPTES: "les derniers comptes approuvés",
}


def pieces_exigees(forme_juridique: str) -> tuple[str, ...]:
    """Documents required at filing: the provisional budget from everyone; the statutes and the last
    approved accounts from associations too."""
    if forme_juridique == FormeJuridique.ASSOCIATION:
        return PIECES_EXIGEES_DE_TOUS + PIECES_EXIGEES_DES_ASSOCIATIONS
    return PIECES_EXIGEES_DE_TOUS


@dataclass(frozen=True)
class Manque:
    etape: str  # step of the form where the employer fixes it
    message: str


def elements_manquants(
    *,
    forme_juridique: str,
    projet: str,
    missions: str,
    nombre_domaines: int,
    departements_quartiers: list[str],
    heures_hebdomadaires: Decimal | None,
    date_debut_souhaitee: date | None,
    budget_previsionnel: Decimal | None,
    pieces: set[str],
    aujourd_hui: date,
) -> list[Manque]:
    """Everything that prevents filing, item by item, in French (empty list: the request may be filed).

    Content required by art. D5134-151 (nature of the project, weekly hours, post characteristics and
    QPV of intervention), the employer's eligibility (art. L5134-101), the budget and its documents."""
    manques = []
    eligibilite = eligibilite_employeur(forme_juridique)
    if not eligibilite.ok:
        manques.append(Manque("structure", f"Structure non éligible : {eligibilite.motif} ({eligibilite.article})."))
    if not projet.strip():
        manques.append(Manque("projet", "Décrivez la nature du projet (art. D5134-151)."))
    if not missions.strip():
        manques.append(Manque("projet", "Décrivez les missions confiées à l’adulte-relais."))
    if nombre_domaines == 0:
        manques.append(Manque("projet", "Choisissez au moins un domaine de médiation."))
    if not departements_quartiers:
        manques.append(Manque("quartiers", "Choisissez au moins un quartier prioritaire d’intervention."))
    elif len(set(departements_quartiers)) > 1:
        manques.append(
            Manque(
                "quartiers",
                "Les quartiers choisis relèvent de plusieurs départements "
                f"({', '.join(sorted(set(departements_quartiers)))}) : déposez une demande par département.",
            )
        )
    if heures_hebdomadaires is None:
        manques.append(Manque("organisation", "Indiquez la durée hebdomadaire de travail."))
    elif not HEURES_MIN <= Decimal(heures_hebdomadaires) <= HEURES_MAX:
        manques.append(
            Manque("organisation", "La durée hebdomadaire doit être comprise entre 17,5 heures (mi-temps) et 35 heures.")
        )
    if date_debut_souhaitee is None:
        manques.append(Manque("organisation", "Indiquez la date de début souhaitée."))
    elif date_debut_souhaitee < aujourd_hui:
        manques.append(
            Manque(
                "organisation",
                f"La date de début souhaitée ({date_debut_souhaitee:%d/%m/%Y}) est passée : choisissez une date à venir.",
            )
        )
    if budget_previsionnel is None:
        manques.append(Manque("financement", "Indiquez le budget prévisionnel annuel du poste."))
    for piece in pieces_exigees(forme_juridique):
        if piece not in pieces:
            manques.append(Manque("pieces", f"Joignez {LIBELLES_PIECES[piece]}."))
    return manques


def departement_de_la_demande(departement_structure: str, departements_quartiers: list[str]) -> str:
    """The prefecture that instructs a request is that of the QPV of intervention (where the post
    works and whose envelope funds it); until a QPV is chosen, that of the structure."""
    if departements_quartiers:
        return min(departements_quartiers)
    return departement_structure


# --- Post identifier ---------------------------------------------------------------------------

SEQUENCE_MAX = 9999


def prefixe_identifiant(code_departement: str, annee: int) -> str:
    """`93`, 2026 → `09326R`; `2A` → `02A26R`; `974` → `97426R`."""
    return f"{code_departement.zfill(3)}{annee % 100:02d}R"


def identifiant_poste(code_departement: str, annee: int, sequence: int, version: int = 1) -> str:
    """ANCT shape: département (3), year (2), `R`, sequence (4), version (2): `09326R000101`."""
    if not 1 <= sequence <= SEQUENCE_MAX:
        raise ValueError(f"Numéro d’ordre hors limites : {sequence} (de 1 à {SEQUENCE_MAX}).")
    return f"{prefixe_identifiant(code_departement, annee)}{sequence:04d}{version:02d}"


class SequenceEpuisee(ValueError):
    """Every sequence number of a département and a year is taken; the message is French."""


def sequence_suivante(identifiants: list[str], prefixe: str) -> int:
    """Next sequence number after the highest one used with this prefix (whatever the version).

    The ANCT identifier keeps the sequence on 4 digits, so it is not widened: once the highest
    number (9999) is taken — typically by an imported identifier — the smallest free number is
    used; when all 9,999 are taken, `SequenceEpuisee` says so (no post can be created for that
    département and year until an identifier is freed)."""
    motif = re.compile(re.escape(prefixe) + r"([0-9]{4})[0-9]{2}$")
    utilisees = {int(m.group(1)) for i in identifiants if (m := motif.match(i))}
    suivante = max(utilisees, default=0) + 1
    if suivante <= SEQUENCE_MAX:
        return suivante
    libre = next((n for n in range(1, SEQUENCE_MAX + 1) if n not in utilisees), None)
    if libre is None:
        raise SequenceEpuisee(
            f"Plus aucun identifiant de poste libre pour {prefixe}… : les {nombre(SEQUENCE_MAX)} numéros d’ordre de ce "
            "département et de cette année sont pris (4 chiffres dans l’identifiant du registre national)."
        )
    return libre
