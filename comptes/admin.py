from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from comptes.models import Invitation, Utilisateur

admin.site.site_header = "Adultes-relais – administration nationale"
admin.site.site_title = "Adultes-relais"
admin.site.index_title = "Données de référence et comptes"


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "prenom", "nom", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "departements"]
    search_fields = ["email", "nom", "prenom"]
    filter_horizontal = ["departements", "employeurs", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["prenom", "nom"]}),
        ("Rôle et périmètre", {"fields": ["role", "departements", "employeurs"]}),
        ("Droits", {"fields": ["is_active", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "employeur", "invite_par", "cree_le"]
    search_fields = ["email", "employeur__raison_sociale", "invite_par__email"]
    readonly_fields = ["email", "employeur", "invite_par", "cree_le"]
    date_hierarchy = "cree_le"

    def has_add_permission(self, request):
        return False
