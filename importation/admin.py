from django.contrib import admin

from importation.models import ImportPostes


@admin.register(ImportPostes)
class ImportPostesAdmin(admin.ModelAdmin):
    """The imports of the page, for the national administrator (a failed one says why); read-only:
    the rows follow the worker's steps (importation/suivi.py)."""

    list_display = ["nom", "demandeur", "statut", "depose_le", "termine_le"]
    list_filter = ["statut"]
    search_fields = ["nom", "demandeur__email"]
    list_select_related = ["demandeur"]
    exclude = ["apercu", "resultat"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
