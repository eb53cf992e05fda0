from django.contrib import admin

from commun.admin import LectureSeuleAdmin
from importation.models import ImportPostes


@admin.register(ImportPostes)
class ImportPostesAdmin(LectureSeuleAdmin):
    """The imports of the page, for the national administrator (a failed one says why); read-only:
    the rows follow the worker's steps (importation/suivi.py), and the hourly job removes them."""

    list_display = ["nom", "demandeur", "statut", "depose_le", "termine_le"]
    list_filter = ["statut"]
    search_fields = ["nom", "demandeur__email"]
    list_select_related = ["demandeur"]
    exclude = ["apercu", "resultat"]
