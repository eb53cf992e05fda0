from django.contrib import admin

from employeurs.models import Employeur


@admin.register(Employeur)
class EmployeurAdmin(admin.ModelAdmin):
    list_display = ["raison_sociale", "siret", "forme_juridique", "departement"]
    list_filter = ["forme_juridique", "departement"]
    search_fields = ["raison_sociale", "siret", "commune"]
    list_select_related = ["departement"]
