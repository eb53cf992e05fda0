import django_filters

from commun.filtres import FiltreEmployeur, FiltreScopeMixin, FormulaireFiltre
from commun.recherche import FiltreRecherche, rechercher
from postes.models import FinancementAnnuel
from quartiers.models import Departement


class FinancementFiltre(FiltreScopeMixin, django_filters.FilterSet):
    q = FiltreRecherche(label="Rechercher (poste, employeur)", method="filtrer_recherche")
    annee = django_filters.NumberFilter(label="Année")
    departement = django_filters.ModelChoiceFilter(
        label="Département", field_name="poste__departement", queryset=Departement.objects.none(), empty_label="Tous"
    )
    employeur = FiltreEmployeur(chemin="poste__employeur")
    tri = django_filters.OrderingFilter(
        label="Trier par",
        fields=[("annee", "annee"), ("poste__identifiant", "poste"), ("montant", "montant")],
        field_labels={"annee": "Année", "poste__identifiant": "Poste", "montant": "Montant"},
        empty_label="Par défaut",
    )

    class Meta:
        model = FinancementAnnuel
        form = FormulaireFiltre
        fields = ["q", "annee", "departement", "employeur"]

    def filtrer_recherche(self, queryset, name, value):
        return rechercher(queryset, value, ["poste__identifiant", "poste__employeur__raison_sociale", "code_contrat_ville"])
