"""Forms of the convention actions (signature, termination, renewal, avenants)."""

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from conventions.regles import MotifResiliation
from financements.forms import ChampDate
from financements.regles import HEURES_MINIMUM, HEURES_TEMPS_PLEIN
from titulaires.forms import VerificationForm, champ_date, verifier_prise_de_poste
from titulaires.models import Titulaire, TypeContrat


def champ_heures(label="Heures hebdomadaires", **kwargs):
    return forms.DecimalField(
        label=label,
        help_text="De 17,5 (mi-temps) à 35 (temps plein).",
        max_digits=4,
        decimal_places=2,
        min_value=HEURES_MINIMUM,
        max_value=HEURES_TEMPS_PLEIN,
        localize=True,
        error_messages={
            "min_value": "La durée hebdomadaire doit être d’au moins 17,5 heures (mi-temps).",
            "max_value": "La durée hebdomadaire ne peut pas dépasser 35 heures.",
        },
        **kwargs,
    )


class SignatureForm(DsfrBaseForm):
    date_signature = ChampDate(label="Date de signature par le préfet", initial=timezone.localdate)
    signataire = forms.CharField(
        label="Signataire pour l’État", max_length=255, help_text="Nom et qualité, par exemple « Le préfet, Jeanne Martin »."
    )


class ResiliationForm(DsfrBaseForm):
    motif = forms.ChoiceField(label="Motif", choices=[("", "Choisir un motif")] + MotifResiliation.choices)
    date_notification = ChampDate(label="Date de notification", initial=timezone.localdate)
    date_effet = ChampDate(
        label="Date d’effet",
        help_text="Premier jour sans convention (l’aide court jusqu’à la veille). À l’initiative de l’employeur : "
        "au moins deux mois après la notification.",
    )


class CaduciteForm(DsfrBaseForm):
    """No input: the lapse follows from the dates and the hires (art. D5134-147 to D5134-154)."""


class RenouvellementForm(DsfrBaseForm):
    date_fin = ChampDate(label="Date de fin du renouvellement", help_text="Trois ans au plus après son début.")
    heures = champ_heures()


class AvenantHeuresForm(DsfrBaseForm):
    heures = champ_heures(label="Nouvelle durée hebdomadaire (heures)")
    date_effet = ChampDate(label="Date d’effet")
    date_signature = ChampDate(label="Date de signature de l’avenant", initial=timezone.localdate)
    description = forms.CharField(label="Objet de l’avenant", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AvenantTitulaireForm(VerificationForm):
    """A new titulaire by avenant: who, the employment contract and the eligibility inputs of the hire
    form (art. L5134-102, assessed on the day the contract is signed)."""

    date_effet = ChampDate(
        label="Date d’effet", help_text="Premier jour du nouveau titulaire ; l’affectation en cours se termine la veille."
    )
    date_signature = ChampDate(label="Date de signature de l’avenant", initial=timezone.localdate)
    titulaire = forms.ModelChoiceField(
        label="Titulaire déjà connu",
        queryset=Titulaire.objects.none(),
        required=False,
        empty_label="Nouvelle personne",
    )
    nom = forms.CharField(label="Nom", required=False, max_length=150)
    prenom = forms.CharField(label="Prénom", required=False, max_length=150)
    type_contrat = forms.ChoiceField(label="Type de contrat de travail", choices=TypeContrat.choices)
    description = forms.CharField(label="Objet de l’avenant", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = [
        "date_effet",
        "date_signature",
        "titulaire",
        "nom",
        "prenom",
        "date_naissance",
        "date_contrat",
        "type_contrat",
        "situation",
        "adresse",
        "code_qpv",
        "justification",
        "point",
        "derogation",
        "description",
    ]

    def __init__(self, *args, titulaires=None, **kwargs):
        super().__init__(*args, **kwargs)
        if titulaires is not None:
            self.fields["titulaire"].queryset = titulaires
        self.fields["date_naissance"].required = False
        self.fields[
            "date_naissance"
        ].help_text = "Pour un titulaire déjà connu, laissez vide : sa date de naissance enregistrée est reprise."

    def clean(self):
        donnees = self.cleaned_data
        connu = donnees.get("titulaire")
        if connu:
            naissance = donnees.get("date_naissance")
            if naissance is None and "date_naissance" not in self.errors:
                donnees["date_naissance"] = connu.date_naissance
            elif naissance and naissance != connu.date_naissance:
                self.add_error(
                    "date_naissance",
                    f"La date de naissance enregistrée pour {connu} est le {connu.date_naissance:%d/%m/%Y} : "
                    "laissez ce champ vide pour la reprendre.",
                )
        else:
            for champ in ("nom", "prenom", "date_naissance"):
                if not donnees.get(champ) and champ not in self.errors:
                    self.add_error(
                        champ, "Renseignez ce champ pour une nouvelle personne, ou choisissez un titulaire déjà connu."
                    )
        donnees = super().clean()
        verifier_prise_de_poste(self, "date_effet")
        return donnees


class EmbaucheForm(VerificationForm):
    """A hire on a post: who, the employment contract, and the eligibility inputs."""

    nom = forms.CharField(label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    prenom = forms.CharField(label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    date_debut = champ_date("Date de prise de poste")
    type_contrat = forms.ChoiceField(label="Type de contrat de travail", choices=TypeContrat.choices)

    field_order = [
        "nom",
        "prenom",
        "date_naissance",
        "date_contrat",
        "date_debut",
        "type_contrat",
        "situation",
        "adresse",
        "code_qpv",
        "justification",
        "point",
        "derogation",
    ]

    def clean(self):
        donnees = super().clean()
        verifier_prise_de_poste(self, "date_debut")
        return donnees
