"""Forms of the request workflow: the employer's steps and the instructor's actions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from commun.recherche import AIDE_RECHERCHE, ChampRecherche
from commun.televersement import FORMATS_ACCEPTES, taille_lisible, valider_fichier
from demandes.models import Demande
from demandes.regles import TypePiece
from financements.regles import HEURES_MINIMUM as HEURES_MIN
from financements.regles import HEURES_TEMPS_PLEIN as HEURES_MAX
from postes.models import DomaineMediation


class EtapeStructureForm(DsfrBaseForm):
    employeur = forms.ModelChoiceField(
        label="Structure qui demande le poste",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="Les structures dont vous êtes membre. L’éligibilité est vérifiée au dépôt (art. L5134-101).",
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employeur"].queryset = structures
        self.fields["employeur"].label_from_instance = lambda e: f"{e.raison_sociale} – SIRET {e.siret_affiche}"


class EtapeProjetForm(DsfrBaseForm, forms.ModelForm):
    domaines = forms.ModelMultipleChoiceField(
        label="Domaines de médiation",
        queryset=DomaineMediation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Au moins un domaine au moment du dépôt.",
    )

    class Meta:
        model = Demande
        fields = ["intitule", "projet", "missions", "domaines"]
        widgets = {"projet": forms.Textarea(attrs={"rows": 5}), "missions": forms.Textarea(attrs={"rows": 5})}
        labels = {"projet": "Nature du projet", "missions": "Missions confiées à l’adulte-relais"}
        help_texts = {
            "intitule": "Par exemple : « Médiateur social et culturel – école et familles ».",
            "projet": "Le besoin du quartier, les publics, les partenaires (art. D5134-151).",
        }


class RechercheQuartierForm(DsfrBaseForm):
    q = ChampRecherche(
        label="Rechercher un quartier prioritaire",
        help_text=f"Nom du quartier, commune ou code (QN09339M) ; les accents sont facultatifs ; {AIDE_RECHERCHE}",
        required=False,
    )


class EtapeOrganisationForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Demande
        fields = ["heures_hebdomadaires", "date_debut_souhaitee"]
        labels = {"heures_hebdomadaires": "Durée hebdomadaire de travail (heures)"}
        help_texts = {
            "heures_hebdomadaires": "De 17,5 heures (mi-temps) à 35 heures (temps plein).",
            "date_debut_souhaitee": "Le poste commence au plus tôt à la signature de la convention.",
        }
        widgets = {
            "heures_hebdomadaires": forms.NumberInput(attrs={"min": HEURES_MIN, "max": HEURES_MAX, "step": "0.5"}),
            "date_debut_souhaitee": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }

    def clean_date_debut_souhaitee(self):
        jour = self.cleaned_data.get("date_debut_souhaitee")
        if jour and jour < timezone.localdate():
            raise ValidationError("La date de début souhaitée ne peut pas être passée.")
        return jour


class EtapeFinancementForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Demande
        fields = ["budget_previsionnel", "cofinancements"]
        labels = {"budget_previsionnel": "Budget prévisionnel annuel du poste (€)"}
        help_texts = {
            "budget_previsionnel": "Salaire chargé et frais du poste sur un an, en euros.",
            "cofinancements": "Autres financeurs du poste et montants (ville, bailleur, CAF…).",
        }
        widgets = {
            "budget_previsionnel": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
            "cofinancements": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_budget_previsionnel(self):
        budget = self.cleaned_data.get("budget_previsionnel")
        if budget is not None and budget < 0:
            raise ValidationError("Le budget prévisionnel ne peut pas être négatif.")
        return budget


class PieceJointeForm(DsfrBaseForm):
    type_piece = forms.ChoiceField(label="Type de pièce", choices=TypePiece.choices)
    fichier = forms.FileField(
        label="Fichier",
        widget=forms.ClearableFileInput(
            # fr-upload: the DSFR's file input (django-dsfr leaves it bare).
            attrs={"class": "fr-upload", "accept": ",".join(e for f in FORMATS_ACCEPTES for e in f.extensions)}
        ),
    )

    def __init__(self, *args, taille_max, **kwargs):
        super().__init__(*args, **kwargs)
        self.taille_max = taille_max
        self.fields[
            "fichier"
        ].help_text = (
            f"PDF, PNG ou JPEG, {taille_lisible(taille_max)} au plus. Le format est vérifié d’après le contenu du fichier."
        )
        self.format_detecte = None

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        self.format_detecte = valider_fichier(fichier, self.taille_max)
        return fichier


# --- Instruction ----------------------------------------------------------------------------------


class AffectationForm(DsfrBaseForm):
    instructeur = forms.ModelChoiceField(label="Instructeur", queryset=None, empty_label="Choisir un agent")

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructeur"].queryset = agents
        self.fields["instructeur"].label_from_instance = lambda u: u.nom_complet or u.email


class NoteForm(DsfrBaseForm):
    texte = forms.CharField(
        label="Note privée",
        help_text="Visible des seuls agents de la préfecture, jamais de l’employeur.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ComplementsForm(DsfrBaseForm):
    message = forms.CharField(
        label="Message à l’employeur",
        help_text="Ce qu’il doit ajouter ou corriger ; il le reçoit par courriel et peut de nouveau modifier sa demande.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(DsfrBaseForm):
    ACCEPTER, REFUSER, CLASSER = "accepter", "refuser", "classer"
    decision = forms.ChoiceField(
        label="Décision",
        choices=[
            (ACCEPTER, "Accepter : créer le poste et son projet de convention"),
            (REFUSER, "Refuser"),
            (CLASSER, "Classer sans suite"),
        ],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(
        label="Motif de la décision",
        required=False,
        help_text="Obligatoire pour un refus ; il est communiqué à l’employeur.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("decision") == self.REFUSER and not (donnees.get("motif") or "").strip():
            self.add_error("motif", "Un refus doit être motivé : indiquez le motif de la décision.")
        return donnees
