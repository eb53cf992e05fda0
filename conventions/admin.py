from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from conventions.models import Avenant, Convention


@admin.register(Convention)
class ConventionAdmin(SimpleHistoryAdmin):
    list_display = ["numero", "poste", "rang", "date_debut", "date_fin", "statut"]
    list_filter = ["statut", "rang", "poste__departement"]
    search_fields = ["numero", "poste__identifiant", "poste__employeur__raison_sociale"]
    list_select_related = ["poste"]
    raw_id_fields = ["poste", "precedente"]
    # The signed archive is never edited by hand, and is reached only through the scoped view that checks
    # its SHA-256 (never the storage's own address: a signed URL of the S3 bucket would bypass both).
    exclude = ["pdf"]
    readonly_fields = ["pdf_archive", "pdf_sha256", "pdf_genere_le"]

    @admin.display(description="convention signée (PDF)")
    def pdf_archive(self, convention):
        if not convention.pdf:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("conventions:pdf", args=[convention.pk]), convention.pdf.name)


@admin.register(Avenant)
class AvenantAdmin(admin.ModelAdmin):
    list_display = ["convention", "numero", "type", "date_effet", "date_signature"]
    list_filter = ["type", "convention__poste__departement"]
    search_fields = ["convention__numero", "convention__poste__identifiant"]
    raw_id_fields = ["convention", "affectation", "cree_par"]
    list_select_related = ["convention"]
