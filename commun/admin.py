from django.contrib import admin

from commun.models import Courriel


@admin.register(Courriel)
class CourrielAdmin(admin.ModelAdmin):
    """The outbox, for the national administrator: the filter « Échec » lists the messages given up
    after a day of attempts, with the last error (the admin is reserved to national administrators)."""

    list_display = ["sujet", "statut", "tentatives", "cree_le", "envoye_le"]
    list_filter = ["statut"]
    search_fields = ["sujet"]
    readonly_fields = ["destinataires", "sujet", "corps", "statut", "tentatives", "derniere_erreur", "cree_le", "envoye_le"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
