from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commun.admin import LectureSeuleAdmin
from titulaires.models import Affectation, DiagnosticEligibilite, RegleAgeMinimum, Titulaire


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


@admin.register(RegleAgeMinimum)
class RegleAgeMinimumAdmin(admin.ModelAdmin):
    list_display = ["date_effet", "age_minimum", "reference"]


@admin.register(DiagnosticEligibilite)
class DiagnosticEligibiliteAdmin(LectureSeuleAdmin):
    """Read only: a diagnosis is never edited (a new check makes a new diagnosis)."""

    list_display = ["cree_le", "affectation", "eligible", "version_regles", "auteur"]
    list_filter = ["eligible", "affectation__poste__departement"]
    search_fields = ["affectation__titulaire__nom", "affectation__poste__identifiant"]
    list_select_related = ["affectation__titulaire", "affectation__poste", "auteur"]
