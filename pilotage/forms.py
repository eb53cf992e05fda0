from django import forms
from dsfr.forms import DsfrBaseForm


class TableauDeBordForm(DsfrBaseForm):
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    region = forms.ChoiceField(label="Région", required=False)
    departement = forms.ModelChoiceField(label="Département", queryset=None, required=False, empty_label="Tous")

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = departements
        regions = sorted({(d.region.code, d.region.nom) for d in departements.select_related("region")}, key=lambda r: r[1])
        if len(regions) > 1:
            self.fields["region"].choices = [("", "Toutes")] + regions
        else:
            del self.fields["region"]

    def get_context(self):
        context = super().get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = False
        return context
