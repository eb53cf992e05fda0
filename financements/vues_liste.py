"""The list of yearly funding (« Financements »), with its CSV and XLSX exports."""

from django.db.models import Count, Sum

from commun.vues import ExportListeMixin, ListeFiltreeView, RoleRequisMixin
from comptes.models import Role
from financements.exports import COLONNES_FINANCEMENTS
from financements.filtres import FinancementFiltre
from financements.models import FinancementAnnuel


class FinancementListe(RoleRequisMixin, ExportListeMixin, ListeFiltreeView):
    """Yearly aid paid per post (imported from ANCT's register), filtered by year, département, employer."""

    roles = (Role.AGENT,)
    model = FinancementAnnuel
    filterset_class = FinancementFiltre
    template_name = "financements/financement_liste.html"
    nom_export = "financements"
    colonnes_export = COLONNES_FINANCEMENTS

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("poste__employeur", "poste__departement")
            .order_by("-annee", "poste__identifiant")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totaux"] = self.object_list.order_by().aggregate(nombre=Count("pk"), montant=Sum("montant"))
        return context
