from commun.vues import ExportListeMixin, ListeFiltreeView, RoleRequisMixin
from comptes.models import Role
from postes.exports import COLONNES_POSTES
from postes.filtres import PosteFiltre
from postes.models import Poste


class PosteListe(RoleRequisMixin, ExportListeMixin, ListeFiltreeView):
    roles = (Role.AGENT,)
    model = Poste
    filterset_class = PosteFiltre
    template_name = "postes/poste_liste.html"
    nom_export = "postes"
    colonnes_export = COLONNES_POSTES

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("employeur", "departement")
            .prefetch_related("quartiers", "domaines", "conventions")
            .order_by("identifiant")
        )
