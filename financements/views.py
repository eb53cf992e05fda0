from decimal import Decimal

from django.conf import settings
from django.shortcuts import render
from django.views import View

from commun.vues import RoleRequisMixin
from comptes.models import Role
from financements.forms import SimulateurForm
from financements.models import lignes_bareme, lignes_smic
from financements.regles import REGLE_AIDE, AideImpossible
from financements.simulation import PART_ANNONCEE, simuler

ROLES_AGENTS = (Role.AGENT,)


def taux_charges_patronales() -> Decimal:
    return Decimal(str(settings.TAUX_CHARGES_PATRONALES_SMIC))


class SimulateurView(RoleRequisMixin, View):
    """« Simulateur d’aide »: agents and national administrators (others: 404)."""

    roles = ROLES_AGENTS

    def get(self, request):
        form = SimulateurForm(request.GET or None)
        simulation = None
        if form.is_bound and form.is_valid():
            donnees = form.cleaned_data
            try:
                simulation = simuler(
                    donnees["debut"],
                    donnees["fin"],
                    donnees["heures"],
                    donnees["vacances"],
                    lignes_bareme(),
                    lignes_smic(),
                    taux_charges_patronales(),
                )
            except AideImpossible as erreur:  # what the form cannot know: no barème covers the period
                form.add_error("debut", str(erreur))
        return render(
            request,
            "financements/simulateur.html",
            {
                "form": form,
                "simulation": simulation,
                "regle": REGLE_AIDE,
                "part_annoncee": PART_ANNONCEE,
                "taux_charges": taux_charges_patronales() * 100,
            },
        )
