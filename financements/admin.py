from django.contrib import admin

from financements.models import Bareme, Enveloppe, Smic


@admin.register(Smic)
class SmicAdmin(admin.ModelAdmin):
    list_display = ["date_effet", "horaire_brut"]


@admin.register(Bareme)
class BaremeAdmin(admin.ModelAdmin):
    list_display = ["date_effet", "montant_annuel", "reference"]


@admin.register(Enveloppe)
class EnveloppeAdmin(admin.ModelAdmin):
    list_display = ["annee", "departement", "nombre_postes", "montant"]
    list_filter = ["annee", "departement__region"]
    search_fields = ["departement__nom", "departement__code"]
    list_select_related = ["departement"]
