"""Forms of the eligibility check (the hire's form, built on `VerificationForm`, is in conventions/forms.py)."""

from datetime import date

from django import forms
from dsfr.forms import DsfrBaseForm

from quartiers.residence import (
    Mode,
    QuartierInconnu,
    Residence,
    lire_point,
    quartier_par_code,
    residence_par_adresse,
    residence_par_code,
    residence_par_point,
)
from titulaires.regles import PRISE_DE_POSTE_AVANT_CONTRAT, SituationAvantEmbauche
from titulaires.services import Question


def verifier_prise_de_poste(form: forms.Form, champ: str) -> None:
    """The job cannot start before the employment contract is signed."""
    debut, contrat = form.cleaned_data.get(champ), form.cleaned_data.get("date_contrat")
    if debut and contrat and debut < contrat:
        form.add_error(champ, PRISE_DE_POSTE_AVANT_CONTRAT)


def champ_date(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


class VerificationForm(DsfrBaseForm):
    """The inputs of art. L5134-102: birth date, contract date, situation, residence (address, QPV code
    chosen by hand with a justification, or coordinates) and an optional residence derogation."""

    date_naissance = champ_date("Date de naissance")
    date_contrat = champ_date(
        "Date de signature du contrat de travail",
        help_text="Les conditions s’apprécient à cette date (art. D5134-155 du code du travail).",
    )
    situation = forms.ChoiceField(
        label="Situation avant l’embauche", choices=SituationAvantEmbauche.choices, widget=forms.RadioSelect
    )
    adresse = forms.CharField(
        label="Adresse du logement",
        required=False,
        max_length=255,
        help_text="Numéro, voie, code postal et commune : elle est localisée par la Base adresse nationale.",
        # The hired person's address, not the one filling the form: no autofill of one's own address
        # (and `street-address` is for a multi-line field only, Nu HTML Checker).
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    code_qpv = forms.CharField(
        label="Ou bien : code du quartier prioritaire, choisi à la main",
        required=False,
        max_length=10,
        help_text=(
            "Par exemple QN09339M, si le service d’adresses ne répond pas ou ne trouve pas l’adresse : l’adresse "
            "saisie ci-dessus est alors conservée telle quelle, sans être localisée."
        ),
        widget=forms.TextInput(attrs={"list": "quartiers-prioritaires", "autocomplete": "off"}),
    )
    justification = forms.CharField(
        label="Justification du choix manuel du quartier",
        required=False,
        max_length=1000,
        help_text="Obligatoire avec un code choisi à la main : pièce consultée, plan, attestation…",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    point = forms.CharField(
        label="Ou bien : coordonnées du logement (longitude, latitude)",
        required=False,
        max_length=60,
        help_text="En degrés WGS84, par exemple 2.3873, 48.9177.",
    )
    derogation = forms.CharField(
        label="Dérogation du préfet à la condition de résidence : motif",
        required=False,
        max_length=2000,
        help_text="Seulement si le préfet accorde une dérogation ; ce motif figurera dans la convention.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_code_qpv(self):
        code = self.cleaned_data["code_qpv"].strip().upper()
        if code:
            try:
                quartier_par_code(code)
            except QuartierInconnu as erreur:
                raise forms.ValidationError(str(erreur)) from None
        return code

    def clean_point(self):
        texte = self.cleaned_data["point"].strip()
        if not texte:
            return None
        try:
            return lire_point(texte)
        except ValueError as erreur:
            raise forms.ValidationError(str(erreur)) from None

    def date_du_contrat(self, donnees) -> date | None:
        return donnees.get("date_contrat")

    def clean(self):
        donnees = super().clean()
        naissance, contrat = donnees.get("date_naissance"), self.date_du_contrat(donnees)
        if naissance and contrat and naissance >= contrat:
            self.add_error("date_naissance", "La date de naissance doit précéder la date de signature du contrat.")
        if naissance and naissance.year < 1900:
            self.add_error("date_naissance", "Vérifiez l’année de naissance.")
        # The address and a QPV chosen by hand go together (the address is kept, the QPV decides);
        # coordinates are another way of giving the residence.
        saisies = [nom for nom in ("adresse", "point") if donnees.get(nom)] + (["code_qpv"] if donnees.get("code_qpv") else [])
        if donnees.get("point") and len(saisies) > 1:
            raise forms.ValidationError(
                "Indiquez la résidence d’une seule façon : l’adresse (avec, si besoin, le code du quartier choisi "
                "à la main) ou les coordonnées."
            )
        if not saisies and not donnees.get("derogation", "").strip():
            raise forms.ValidationError(
                "Indiquez la résidence (adresse, code du quartier ou coordonnées), ou le motif d’une dérogation du préfet."
            )
        if donnees.get("code_qpv") and not donnees.get("justification", "").strip():
            self.add_error("justification", "Justifiez le choix manuel du quartier prioritaire.")
        return donnees

    def residence(self) -> Residence:
        """Where the person lives. May call the geocoder: raises GeocodageImpossible."""
        donnees = self.cleaned_data
        if donnees.get("code_qpv"):
            return residence_par_code(donnees["code_qpv"], donnees["justification"], donnees.get("adresse", ""))
        if donnees.get("adresse"):
            return residence_par_adresse(donnees["adresse"])
        if donnees.get("point"):
            return residence_par_point(*donnees["point"])
        return Residence(mode=Mode.AUCUNE)

    def question(self) -> Question:
        donnees = self.cleaned_data
        return Question(
            naissance=donnees["date_naissance"],
            date_contrat=self.date_du_contrat(donnees),
            situation=donnees["situation"],
            residence=self.residence(),
            derogation=donnees.get("derogation", "").strip(),
        )


class NouvelleVerificationForm(VerificationForm):
    """A new check of the person of an affectation: the contract date is that of the affectation."""

    def __init__(self, *args, date_contrat: date, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["date_contrat"]
        self.date_contrat_imposee = date_contrat

    def date_du_contrat(self, donnees) -> date:
        return self.date_contrat_imposee
