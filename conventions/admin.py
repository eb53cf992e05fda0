from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conventions.models import Avenant, Convention


@admin.register(Convention)
class ConventionAdmin(SimpleHistoryAdmin):
    list_display = ["numero", "poste", "rang", "date_debut", "date_fin", "statut"]
    list_filter = ["statut", "rang", "poste__departement"]
    search_fields = ["numero", "poste__identifiant", "poste__employeur__raison_sociale"]
    list_select_related = ["poste"]
    raw_id_fields = ["poste", "precedente"]
    readonly_fields = ["pdf", "pdf_sha256", "pdf_genere_le"]  # the signed archive is never edited by hand


@admin.register(Avenant)
class AvenantAdmin(admin.ModelAdmin):
    list_display = ["convention", "numero", "type", "date_effet", "date_signature"]
    list_filter = ["type", "convention__poste__departement"]
    search_fields = ["convention__numero", "convention__poste__identifiant"]
    raw_id_fields = ["convention", "affectation", "cree_par"]
    list_select_related = ["convention"]
