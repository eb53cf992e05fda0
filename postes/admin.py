from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from postes.models import (
    Affectation,
    Avenant,
    Convention,
    Demande,
    DiagnosticEligibilite,
    DomaineMediation,
    Poste,
    RegleAgeMinimum,
    Titulaire,
)


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


@admin.register(Convention)
class ConventionAdmin(SimpleHistoryAdmin):
    list_display = ["numero", "poste", "rang", "date_debut", "date_fin", "statut"]
    list_filter = ["statut", "rang", "poste__departement"]
    search_fields = ["numero", "poste__identifiant", "poste__employeur__raison_sociale"]
    list_select_related = ["poste"]
    raw_id_fields = ["poste", "precedente"]
    readonly_fields = ["pdf", "pdf_sha256", "pdf_genere_le"]  # the signed archive is never edited by hand


@admin.register(Titulaire)
class TitulaireAdmin(admin.ModelAdmin):
    list_display = ["nom", "prenom", "situation_avant_embauche", "qpv_residence"]
    list_filter = ["situation_avant_embauche"]
    search_fields = ["nom", "prenom"]
    raw_id_fields = ["qpv_residence"]


@admin.register(Affectation)
class AffectationAdmin(SimpleHistoryAdmin):
    list_display = ["poste", "titulaire", "date_debut", "date_fin", "type_contrat"]
    list_filter = ["type_contrat", "poste__departement"]
    search_fields = ["poste__identifiant", "titulaire__nom"]
    raw_id_fields = ["poste", "titulaire"]


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


@admin.register(RegleAgeMinimum)
class RegleAgeMinimumAdmin(admin.ModelAdmin):
    list_display = ["date_effet", "age_minimum", "reference"]


@admin.register(DiagnosticEligibilite)
class DiagnosticEligibiliteAdmin(admin.ModelAdmin):
    """Read only: a diagnosis is never edited (a new check makes a new diagnosis)."""

    list_display = ["cree_le", "affectation", "eligible", "version_regles", "auteur"]
    list_filter = ["eligible", "affectation__poste__departement"]
    search_fields = ["affectation__titulaire__nom", "affectation__poste__identifiant"]
    list_select_related = ["affectation__titulaire", "affectation__poste", "auteur"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Avenant)
class AvenantAdmin(admin.ModelAdmin):
    list_display = ["convention", "numero", "type", "date_effet", "date_signature"]
    list_filter = ["type", "convention__poste__departement"]
    search_fields = ["convention__numero", "convention__poste__identifiant"]
    raw_id_fields = ["convention", "affectation", "cree_par"]
    list_select_related = ["convention"]
