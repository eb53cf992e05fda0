from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from postes.models import DomaineMediation, FinancementAnnuel, Poste


@admin.register(DomaineMediation)
class DomaineMediationAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "ordre"]
    search_fields = ["libelle", "code"]


@admin.register(Poste)
class PosteAdmin(SimpleHistoryAdmin):
    list_display = ["identifiant", "employeur", "departement", "heures_hebdomadaires", "statut"]
    list_filter = ["statut", "departement", "domaines"]
    search_fields = ["identifiant", "employeur__raison_sociale", "employeur__siret"]
    list_select_related = ["employeur", "departement"]
    autocomplete_fields = ["employeur", "quartiers"]
    filter_horizontal = ["domaines"]


@admin.register(FinancementAnnuel)
class FinancementAnnuelAdmin(admin.ModelAdmin):
    list_display = ["annee", "poste", "montant", "code_contrat_ville"]
    list_filter = ["annee"]
    search_fields = ["poste__identifiant", "poste__employeur__raison_sociale", "code_contrat_ville"]
    list_select_related = ["poste"]
    raw_id_fields = ["poste"]
