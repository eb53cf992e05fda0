from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from commun.admin import LectureSeuleAdmin
from conventions.models import ArchiveConventions, Avenant, Convention


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


@admin.register(ArchiveConventions)
class ArchiveConventionsAdmin(LectureSeuleAdmin):
    """The ZIPs asked for (README « Archive ZIP des conventions »), read only: the worker writes them,
    the daily cleanup removes them after a day. The file itself is not offered here: its download
    checks the requester and their scope."""

    list_display = ["__str__", "demandeur", "demandee_le", "statut", "faites", "total", "terminee_le"]
    list_filter = ["statut"]
    search_fields = ["demandeur__email"]
    list_select_related = ["demandeur"]
    date_hierarchy = "demandee_le"
    fields = [
        "demandeur",
        "demandee_le",
        "filtres",
        "statut",
        "faites",
        "total",
        "conventions",
        "fichier",
        "sha256",
        "message_echec",
        "terminee_le",
    ]
    readonly_fields = fields
