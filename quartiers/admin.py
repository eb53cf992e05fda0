from django.contrib import admin

from quartiers.models import Departement, QuartierPrioritaire, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "nom"]
    search_fields = ["code", "nom"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "region"]
    list_filter = ["region"]
    search_fields = ["code", "nom"]


@admin.register(QuartierPrioritaire)
class QuartierPrioritaireAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "geographie", "departement", "geometrie_demo"]
    list_filter = ["geographie", "geometrie_demo", "departement__region"]
    search_fields = ["code", "nom"]
    list_select_related = ["departement"]
