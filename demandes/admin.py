from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from demandes.models import Demande


@admin.register(Demande)
class DemandeAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "employeur", "departement", "statut", "date_depot", "instructeur"]
    list_filter = ["statut", "departement"]
    search_fields = ["employeur__raison_sociale", "employeur__siret", "projet"]
    list_select_related = ["employeur", "departement", "instructeur"]
    raw_id_fields = ["employeur", "poste", "instructeur", "cree_par"]
    filter_horizontal = ["domaines", "quartiers"]

    def get_queryset(self, request):
        # A draft is its employer's until it is filed: the administration follows `for_user` too.
        return super().get_queryset(request).for_user(request.user)
