import django_otp.plugins.otp_totp.admin  # noqa: F401 (registers TOTPDevice first, so that it is unregistered below)
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from commun.admin import colonne, filtre
from comptes.models import AppareilDoubleFacteur, Invitation, Utilisateur

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


class FormulaireAppareil(forms.ModelForm):
    class Meta:
        model = AppareilDoubleFacteur
        fields = ["name"]
        labels = {"name": "Nom de l’appareil"}
        help_texts = {"name": "Le nom que son titulaire lui a donné, pour le reconnaître."}


@admin.register(AppareilDoubleFacteur)
class AppareilDoubleFacteurAdmin(admin.ModelAdmin):
    """Second-factor devices (django-otp's, under French names), without their secret: a confirmed
    secret is never shown again, to anyone. No key, no QR code, no configuration page; an
    administrator can neither create a device (its secret would be known to them) nor turn a
    confirmed one back to unconfirmed (its owner's enrolment page would show the secret again). A
    lost device is deleted; its owner's next sign-in enrols a new device with a new secret."""

    form = FormulaireAppareil
    utilisateur = colonne("user", "utilisateur")
    nom = colonne("name", "nom de l’appareil")
    cree_le = colonne("created_at", "créé le")
    utilise_le = colonne("last_used_at", "dernière utilisation")
    echecs_depuis = colonne("throttling_failure_timestamp", "dernier code erroné")
    echecs = colonne("throttling_failure_count", "codes erronés à la suite")

    @admin.display(description="confirmé", boolean=True, ordering="confirmed")
    def confirme(self, appareil):
        return appareil.confirmed

    list_display = ["utilisateur", "nom", "cree_le", "utilise_le", "confirme"]
    list_filter = [
        filtre("created_at", "date de création"),
        filtre("last_used_at", "dernière utilisation"),
        filtre("confirmed", "confirmé", admin.BooleanFieldListFilter),
    ]
    search_fields = ["user__email", "user__nom", "user__prenom", "name"]
    search_help_text = "Adresse électronique, nom ou prénom du titulaire, ou nom de l’appareil."
    readonly_fields = ["utilisateur", "confirme", "cree_le", "utilise_le", "echecs_depuis", "echecs"]
    fieldsets = [
        ("Appareil", {"fields": ["utilisateur", "name", "confirme"]}),
        ("Utilisation", {"fields": ["cree_le", "utilise_le"]}),
        ("Codes erronés", {"fields": ["echecs_depuis", "echecs"]}),
    ]

    def has_add_permission(self, request):
        return False


# Its own admin pages (with the QR code and configuration pages) are replaced by the one above.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
