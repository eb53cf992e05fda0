import django_filters

from commun.filtres import FiltreScopeMixin, FormulaireFiltre
from commun.recherche import FiltreRecherche, rechercher
from employeurs.models import Employeur
from employeurs.regles import FormeJuridique
from quartiers.models import Departement


class EmployeurFiltre(FiltreScopeMixin, django_filters.FilterSet):
    q = FiltreRecherche(label="Rechercher (nom, SIRET, commune)", method="filtrer_recherche")
    departement = django_filters.ModelChoiceFilter(label="Département", queryset=Departement.objects.none(), empty_label="Tous")
    forme_juridique = django_filters.ChoiceFilter(label="Forme juridique", choices=FormeJuridique.choices, empty_label="Toutes")
    tri = django_filters.OrderingFilter(
        label="Trier par",
        fields=[("raison_sociale", "nom"), ("siret", "siret")],
        field_labels={"raison_sociale": "Raison sociale", "siret": "SIRET"},
        empty_label="Par défaut",
    )

    class Meta:
        model = Employeur
        form = FormulaireFiltre
        fields = ["q", "departement", "forme_juridique"]

    def filtrer_recherche(self, queryset, name, value):
        return rechercher(
            queryset,
            value.replace(" ", "") if value.replace(" ", "").isdigit() else value,
            ["raison_sociale", "siret", "commune"],
        )
