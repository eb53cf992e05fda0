import django_filters
from django import forms

from commun.filtres import FiltreEmployeur, FiltreScopeMixin, FormulaireFiltre
from commun.recherche import FiltreRecherche, rechercher
from conventions.models import Convention
from conventions.regles import StatutConvention
from quartiers.models import Departement


class ConventionFiltre(FiltreScopeMixin, django_filters.FilterSet):
    q = FiltreRecherche(label="Rechercher", method="filtrer_recherche")
    departement = django_filters.ModelChoiceFilter(
        label="Département", field_name="poste__departement", queryset=Departement.objects.none(), empty_label="Tous"
    )
    employeur = FiltreEmployeur(chemin="poste__employeur")
    statut = django_filters.ChoiceFilter(label="Statut", choices=StatutConvention.choices, empty_label="Tous")
    fin_avant = django_filters.DateFilter(
        label="Se termine avant le", field_name="date_fin", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    tri = django_filters.OrderingFilter(
        label="Trier par",
        fields=[("numero", "numero"), ("date_debut", "debut"), ("date_fin", "fin")],
        field_labels={"numero": "Numéro", "date_debut": "Date de début", "date_fin": "Date de fin"},
        empty_label="Par défaut",
    )

    class Meta:
        model = Convention
        form = FormulaireFiltre
        fields = ["q", "departement", "employeur", "statut", "fin_avant"]

    def filtrer_recherche(self, queryset, name, value):
        return rechercher(queryset, value, ["numero", "poste__identifiant", "poste__employeur__raison_sociale"])
