from django.views.generic import DetailView

from commun.vues import ExportListeMixin, ListeFiltreeView, RoleRequisMixin
from comptes.models import Role
from employeurs.exports import COLONNES_EMPLOYEURS
from employeurs.filtres import EmployeurFiltre
from employeurs.models import Employeur
from postes.models import Poste


class EmployeurListe(RoleRequisMixin, ExportListeMixin, ListeFiltreeView):
    roles = (Role.AGENT,)
    model = Employeur
    filterset_class = EmployeurFiltre
    template_name = "employeurs/employeur_liste.html"
    nom_export = "employeurs"
    colonnes_export = COLONNES_EMPLOYEURS

    def get_queryset(self):
        return super().get_queryset().select_related("departement").order_by("raison_sociale")


class EmployeurDetail(RoleRequisMixin, DetailView):
    roles = (Role.AGENT, Role.EMPLOYEUR)
    template_name = "employeurs/employeur_detail.html"
    slug_field = "siret"
    slug_url_kwarg = "siret"
    context_object_name = "employeur"

    def get_queryset(self):
        return Employeur.objects.for_user(self.request.user).select_related("departement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["postes"] = (
            Poste.objects.for_user(self.request.user)
            .filter(employeur=self.object)
            .select_related("departement")
            .order_by("identifiant")
        )
        if not self.request.user.est_employeur:
            from employeurs.formulaires import FormeJuridiqueForm, InvitationForm

            context["membres"] = self.object.membres.order_by("email")
            context["form_invitation"] = InvitationForm()
            context["form_forme_juridique"] = FormeJuridiqueForm(instance=self.object)
        return context
