"""Rules of a convention's life, as pure functions over plain values (no database).

Sources: code du travail, art. D5134-147 to D5134-154 (convention of at most three years, signed by
the préfet, renewable by express agreement; termination; lapse when nobody is hired) and the
instruction of 8 September 2025 (one renewal at most, kept as the setting
CONVENTION_RENOUVELLEMENTS_MAX). The statuses of conventions and posts are defined here, once, with
their French labels (`StatutConvention`; a post's `StatutPoste` is in postes/regles.py, decided here by `statut_poste`), and so are the
status sets the rules use and the allowed actions (`actions_permises`, asked by the page and the
services).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import models

from financements.regles import ajouter_mois
from postes.regles import StatutPoste

DELAI_CADUCITE_MOIS = 5  # nobody hired within five months of the start: the convention lapses
PREAVIS_EMPLOYEUR_MOIS = 2  # termination at the employer's initiative: two months' notice


class StatutConvention(models.TextChoices):
    """The one vocabulary of a convention's statuses (labels shown on every page, export and chart)."""

    PROJET = "projet", "Projet"
    SIGNEE = "signee", "Signée"
    EN_COURS = "en_cours", "En cours"
    ECHUE = "echue", "Échue"
    RESILIEE = "resiliee", "Résiliée"
    CADUQUE = "caduque", "Caduque"


class MotifResiliation(models.TextChoices):
    """Why a convention is terminated (art. D5134-152): the préfet's three grounds, or the employer's notice."""

    MANQUEMENT = "manquement", "Manquement de l’employeur à ses obligations"
    FAUSSE_DECLARATION = "fausse_declaration", "Fausse déclaration"
    ABSENCE_JUSTIFICATIFS = "absence_justificatifs", "Absence de justificatifs pendant deux trimestres"
    INITIATIVE_EMPLOYEUR = "initiative_employeur", "À l’initiative de l’employeur (préavis de deux mois)"


PROJET, SIGNEE, EN_COURS = StatutConvention.PROJET, StatutConvention.SIGNEE, StatutConvention.EN_COURS
ECHUE, RESILIEE, CADUQUE = StatutConvention.ECHUE, StatutConvention.RESILIEE, StatutConvention.CADUQUE
INITIATIVE_EMPLOYEUR = MotifResiliation.INITIATIVE_EMPLOYEUR
STATUTS_EN_VIGUEUR = (SIGNEE, EN_COURS)
# Signed at some point (a signed PDF may be stored, art. D5134-147: signed by the préfet).
STATUTS_SIGNES = (SIGNEE, EN_COURS, ECHUE, RESILIEE, CADUQUE)
# Statuses that require a signature date (a terminated convention keeps the one it had).
STATUTS_DATES_DE_SIGNATURE = (SIGNEE, EN_COURS, ECHUE, CADUQUE)
# Conventions whose aid is committed (conventions/budget.py): signed, whatever happened next, but not lapsed.
STATUTS_ENGAGES = (SIGNEE, EN_COURS, ECHUE, RESILIEE)
STATUTS_RENOUVELABLES = (SIGNEE, EN_COURS, ECHUE)  # renewal starts the day after the end (D5134-147)
STATUTS_FINIS_SANS_SUITE = (RESILIEE, CADUQUE)  # their renewal can no longer be signed

SIGNER, RESILIER, RENOUVELER, AVENANT, CADUCITE = "signer", "resilier", "renouveler", "avenant", "caducite"
ACTIONS = (SIGNER, RESILIER, RENOUVELER, AVENANT, CADUCITE)


def date_limite_embauche(debut: date) -> date:
    """First day on which a signed convention with nobody hired has lapsed: start + 5 months
    (art. D5134-147 à D5134-154, caducité)."""
    return ajouter_mois(debut, DELAI_CADUCITE_MOIS)


def statut_du_jour(statut: str, debut: date, fin: date, jour: date, embauche_dans_le_delai: bool) -> str:
    """The status a convention should have on `jour`. Only signed conventions move on their own:

    - nobody hired before `date_limite_embauche(debut)` and that day reached → caduque;
    - the last day (`fin`) passed → échue;
    - signed and started → en cours.
    Other statuses (projet, échue, résiliée, caduque) never change by the passing of time."""
    if statut not in STATUTS_EN_VIGUEUR:
        return statut
    if not embauche_dans_le_delai and jour >= date_limite_embauche(debut):
        return CADUQUE
    if jour > fin:
        return ECHUE
    if jour >= debut:
        return EN_COURS
    return statut


def date_effet_minimale_resiliation(motif: str, date_notification: date) -> date:
    """Earliest effective date of a termination: two months after the notice when the employer asks
    for it (art. D5134-152: résiliation à l’initiative de l’employeur avec un préavis de deux mois),
    the notice date itself when the préfet terminates (breach, false statements, no supporting
    documents for two quarters)."""
    if motif == INITIATIVE_EMPLOYEUR:
        return ajouter_mois(date_notification, PREAVIS_EMPLOYEUR_MOIS)
    return date_notification


def dernier_jour_couvert(statut: str, fin: date, date_resiliation: date | None) -> date:
    """Last day the convention produces effect: the day before the termination's effective date,
    otherwise its end date."""
    if statut == RESILIEE and date_resiliation is not None:
        return min(fin, date_resiliation - timedelta(days=1))
    return fin


def renouvellement_possible(renouvellements_deja_faits: int, maximum: int) -> bool:
    """At most `maximum` renewals by express agreement in a chain of conventions (instruction of
    8 September 2025: one)."""
    return renouvellements_deja_faits < maximum


@dataclass(frozen=True)
class EtatConvention:
    """What decides the actions allowed on a convention: its status, the renewals that lead to it,
    the number of the renewal already prepared from it (if any), the renewal limit."""

    statut: str
    libelle_statut: str
    renouvellements_deja_faits: int = 0
    renouvelee_par: str | None = None
    renouvellements_max: int = 1
    caduque_ce_jour: bool = False  # the rule of the day (`statut_du_jour`) says « caduque »


def motif_refus(action: str, etat: EtatConvention) -> str | None:
    """Why `action` is not allowed on a convention in `etat` (a French sentence), or None if it is.

    - signer: a draft only (art. D5134-147: the préfet signs the convention);
    - résilier: a convention signed or running (art. D5134-152);
    - renouveler: signed, running or expired, not yet renewed, and within the limit of renewals by
      express agreement (art. D5134-147, L5134-103; instruction of 8 September 2025: one,
      setting CONVENTION_RENOUVELLEMENTS_MAX);
    - avenant: a convention signed or running (art. D5134-151: working time changed by avenant);
    - caducite: a convention signed or running on which nobody was hired within five months of its
      start, that day reached (art. D5134-147 to D5134-154; instruction of 8 September 2025)."""
    statut = f"« {etat.libelle_statut} »"
    if action == SIGNER:
        return None if etat.statut == PROJET else f"Seule une convention en projet peut être signée : celle-ci est {statut}."
    if action == RESILIER:
        if etat.statut in STATUTS_EN_VIGUEUR:
            return None
        return f"Seule une convention signée ou en cours peut être résiliée : celle-ci est {statut}."
    if action == AVENANT:
        if etat.statut in STATUTS_EN_VIGUEUR:
            return None
        return f"Un avenant ne peut modifier qu’une convention signée ou en cours : celle-ci est {statut}."
    if action == RENOUVELER:
        if etat.statut not in STATUTS_RENOUVELABLES:
            return f"Seule une convention signée, en cours ou échue peut être renouvelée : celle-ci est {statut}."
        if etat.renouvelee_par:
            return f"Cette convention a déjà été renouvelée (convention {etat.renouvelee_par})."
        if not renouvellement_possible(etat.renouvellements_deja_faits, etat.renouvellements_max):
            deja, maximum = etat.renouvellements_deja_faits, etat.renouvellements_max
            return (
                f"Renouvellement refusé : cette convention est déjà issue de {deja} "
                f"renouvellement{'s' if deja > 1 else ''} et le nombre de renouvellements par accord exprès est "
                f"limité à {maximum} (art. L5134-103 du code du travail, instruction du 8 septembre 2025)."
            )
        return None
    if action == CADUCITE:
        if etat.caduque_ce_jour:
            return None
        return (
            "Cette convention ne peut pas être déclarée caduque aujourd’hui : elle doit être signée ou en cours, "
            f"et personne ne doit avoir été embauché dans les cinq mois qui suivent son début (elle est {statut})."
        )
    raise ValueError(f"Action inconnue : {action}")


def actions_permises(etat: EtatConvention) -> frozenset[str]:
    """The actions allowed on a convention in `etat` (the page offers these, the services refuse the
    others with `motif_refus`)."""
    return frozenset(action for action in ACTIONS if motif_refus(action, etat) is None)


def periodes_heures(
    debut: date, fin: date, heures_initiales: Decimal, avenants: list[tuple[date, Decimal]]
) -> list[tuple[date, date, Decimal]]:
    """Weekly hours period by period: `heures_initiales` from the start, then the hours of each
    hours avenant (date of effect, new hours) from its date of effect. Used by the aid computation."""
    periodes, depuis, heures = [], debut, heures_initiales
    for date_effet, nouvelles in sorted(avenants):
        if date_effet > depuis:
            periodes.append((depuis, min(fin, date_effet - timedelta(days=1)), heures))
        depuis, heures = max(depuis, date_effet), nouvelles
    if depuis <= fin:
        periodes.append((depuis, fin, heures))
    return periodes


def statut_poste(conventions: list[tuple[str, date | None]], jour: date) -> str:
    """Status of a post from its conventions' (status, termination date): actif while a convention
    is signed or running (a termination with a future effective date still counts), en attente
    while only a draft exists (or nothing yet), fermé otherwise."""
    if any(s in STATUTS_EN_VIGUEUR or (s == RESILIEE and r is not None and r > jour) for s, r in conventions):
        return StatutPoste.ACTIF
    if not conventions or any(s == PROJET for s, _ in conventions):
        return StatutPoste.EN_ATTENTE
    return StatutPoste.FERME
