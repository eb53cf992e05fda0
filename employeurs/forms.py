from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from employeurs.models import Employeur
from employeurs.regles import FormeJuridique, erreur_siret, normaliser_siret


def choix_formes_connues(choices):
    """The legal forms an agent may choose: « À préciser » is only what an import leaves behind."""
    return [(code, libelle) for code, libelle in choices if code != FormeJuridique.A_PRECISER]


class FormeJuridiqueForm(DsfrBaseForm, forms.ModelForm):
    """An agent states (or corrects) the legal form of a structure, e.g. one created by an import."""

    class Meta:
        model = Employeur
        fields = ["forme_juridique"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forme_juridique"].choices = choix_formes_connues(self.fields["forme_juridique"].choices)


class EmployeurCreationForm(DsfrBaseForm, forms.ModelForm):
    """An agent records a structure of one of their départements."""

    siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres ; les espaces sont acceptés.")

    class Meta:
        model = Employeur
        fields = [
            "siret",
            "raison_sociale",
            "forme_juridique",
            "adresse",
            "code_postal",
            "commune",
            "departement",
            "courriel",
            "telephone",
        ]

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forme_juridique"].choices = choix_formes_connues(self.fields["forme_juridique"].choices)
        self.fields["departement"].queryset = departements
        self.fields["departement"].empty_label = "Choisir un département"
        if departements.count() == 1:
            self.fields["departement"].initial = departements.first()

    def clean_siret(self):
        siret = normaliser_siret(self.cleaned_data["siret"])
        message = erreur_siret(siret)
        if message:
            raise ValidationError(message)
        if Employeur.objects.filter(siret=siret).exists():
            raise ValidationError(f"Une structure est déjà enregistrée avec le SIRET {siret}.")
        return siret

    def clean_code_postal(self):
        code = self.cleaned_data["code_postal"].strip()
        if code and not (len(code) == 5 and code.isdigit()):
            raise ValidationError("Le code postal comporte 5 chiffres.")
        return code


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse électronique du contact")
    prenom = forms.CharField(label="Prénom", max_length=150, required=False)
    nom = forms.CharField(label="Nom", max_length=150, required=False)


class StructureActiveForm(DsfrBaseForm):
    structure = forms.ModelChoiceField(label="Structure", queryset=None, empty_label=None)

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures

    def get_context(self):
        context = super().get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = False
        return context
