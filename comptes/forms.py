from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.validators import RegexValidator
from django.template import loader
from dsfr.forms import DsfrBaseForm

from commun.courriels import mettre_en_file, mettre_en_file_a_blanc
from comptes.models import Utilisateur


class ConnexionForm(DsfrBaseForm, AuthenticationForm):
    username = forms.EmailField(label="Adresse électronique", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    # One message for an unknown address, a wrong password and a disabled account: the sign-in page
    # must not tell which addresses have an account.
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Adresse électronique ou mot de passe incorrect.",
    }


class ReinitialisationForm(DsfrBaseForm, PasswordResetForm):
    """Password reset without account enumeration: the same page answers for every address, and the
    request does the same work whether the address is known or not (the message is prepared for a
    stand-in account when nobody matches, and written to the outbox in a savepoint rolled back);
    a real message is written to the outbox and sent by the worker, so the SMTP exchange does not
    lengthen the answer either."""

    email = forms.EmailField(label="Adresse électronique", widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email):
        utilisateurs = list(super().get_users(email))
        return utilisateurs or [Utilisateur(email=email, is_active=False)]

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        sujet, corps = self.preparer_message(subject_template_name, email_template_name, context, from_email, to_email)
        if context["user"].pk is not None:
            mettre_en_file([to_email], sujet, corps)
        else:
            mettre_en_file_a_blanc([to_email], sujet, corps)

    @staticmethod
    def preparer_message(subject_template_name, email_template_name, context, from_email, to_email):
        sujet = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        corps = loader.render_to_string(email_template_name, context)
        return sujet, corps


class NouveauMotDePasseForm(DsfrBaseForm, SetPasswordForm):
    pass


class CodeDoubleFacteurForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code à 6 chiffres",
        help_text="Le code affiché par votre application d’authentification (il change toutes les 30 secondes).",
        max_length=6,
        min_length=6,
        validators=[RegexValidator(r"^\d{6}$", "Saisissez les 6 chiffres du code, sans espace.")],
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"min_length": "Saisissez les 6 chiffres du code, sans espace."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data.get("code"):
            self.data = self.data.copy()
            self.data["code"] = self.data["code"].replace(" ", "")
