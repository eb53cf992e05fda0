from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from commun.formulaires import ResumeErreursMixin
from financements.regles import AideImpossible, verifier_heures, verifier_periode
from financements.simulation import lire_vacance, occupation_hors_vacances, verifier_date_simulable


def valider_date_simulable(jour):
    try:
        verifier_date_simulable(jour)
    except AideImpossible as erreur:
        raise forms.ValidationError(str(erreur)) from None


class ChampDate(forms.DateField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault("error_messages", {"invalid": "Date impossible : utilisez le format JJ/MM/AAAA."})
        super().__init__(*args, **kwargs)


class SimulateurForm(ResumeErreursMixin, DsfrBaseForm):
    """Every error of the form at once, each beside its field (and listed in the summary above the
    form): dates, hours, vacancies, then the period made of them."""

    debut = ChampDate(label="Premier jour", validators=[valider_date_simulable])
    fin = ChampDate(label="Dernier jour", validators=[valider_date_simulable])
    heures = forms.DecimalField(
        label="Heures hebdomadaires",
        help_text="De 17,5 (mi-temps) à 35 (temps plein).",
        max_digits=4,
        decimal_places=2,
        initial=Decimal("35"),
        localize=True,
    )
    vacances = forms.CharField(
        label="Périodes de vacance du poste",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une période par ligne, par exemple « 01/09/2024 au 15/10/2024 ». Le poste n’est occupé par personne ces jours-là.",
    )

    def clean_vacances(self):
        periodes = []
        for numero, ligne in enumerate(self.cleaned_data["vacances"].splitlines(), start=1):
            if not ligne.strip():
                continue
            try:
                periodes.append(lire_vacance(ligne))
            except AideImpossible as erreur:
                raise forms.ValidationError(f"Ligne {numero} : {erreur}") from None
        return periodes

    def clean_heures(self):
        heures = self.cleaned_data["heures"]
        try:
            verifier_heures(heures)
        except AideImpossible as erreur:
            raise forms.ValidationError(str(erreur)) from None
        return heures

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("debut"), donnees.get("fin")
        if debut is None or fin is None:
            return donnees
        try:
            verifier_periode(debut, fin)
        except AideImpossible as erreur:
            self.add_error("fin", str(erreur))
            return donnees
        if donnees.get("vacances"):
            try:
                occupation_hors_vacances(debut, fin, donnees["vacances"])
            except AideImpossible as erreur:
                self.add_error("vacances", str(erreur))
        return donnees
