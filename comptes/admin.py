from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

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


class AppareilTOTPAdmin(TOTPDeviceAdmin):
    """Second-factor devices, without their secret: a confirmed secret is never shown again, to
    anyone. No key, no QR code, no configuration page; an administrator can neither create a device
    (its secret would be known to them) nor turn a confirmed one back to unconfirmed (its owner's
    enrolment page would show the secret again). A lost device is deleted; its owner's next
    sign-in enrols a new device with a new secret."""

    list_display = ["user", "name", "created_at", "last_used_at", "confirmed"]
    readonly_fields = [
        "user",
        "confirmed",
        "created_at",
        "last_used_at",
        "throttling_failure_timestamp",
        "throttling_failure_count",
    ]
    fieldsets = [
        ("Appareil", {"fields": ["user", "name", "confirmed"]}),
        ("Utilisation", {"fields": ["created_at", "last_used_at"]}),
        ("Codes erronés", {"fields": ["throttling_failure_timestamp", "throttling_failure_count"]}),
    ]

    def get_list_display(self, request):
        return self.list_display

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets

    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)  # without django-otp's QR code and configuration pages

    def has_add_permission(self, request):
        return False


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AppareilTOTPAdmin)
