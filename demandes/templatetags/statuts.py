"""The colour of a status badge (DSFR badge), for every status of the application, from the
statuses' one vocabulary (conventions.regles, demandes.regles)."""

from django import template

from conventions.regles import STATUTS_EN_VIGUEUR, StatutConvention
from demandes.regles import StatutDemande
from postes.regles import StatutPoste

register = template.Library()

TONS = {
    "success": (StatutPoste.ACTIF, *STATUTS_EN_VIGUEUR, StatutDemande.ACCEPTEE),
    "error": (
        StatutPoste.FERME,
        StatutConvention.ECHUE,
        StatutConvention.RESILIEE,
        StatutConvention.CADUQUE,
        StatutDemande.REFUSEE,
        StatutDemande.CLASSEE_SANS_SUITE,
    ),
    "warning": (StatutDemande.A_COMPLETER, StatutPoste.EN_ATTENTE),
}
TON_PAR_STATUT = {str(statut): ton for ton, statuts in TONS.items() for statut in statuts}


@register.filter
def ton_statut(statut) -> str:
    """« success », « error », « warning » or « info » (drafts, submitted, under instruction)."""
    return TON_PAR_STATUT.get(str(statut), "info")
