import django_filters

from commun.filtres import FiltreEmployeur, FiltreScopeMixin, FormulaireFiltre
from commun.recherche import FiltreRecherche, rechercher
from postes.models import DomaineMediation, Poste
from postes.regles import StatutPoste
from quartiers.models import Departement


class PosteFiltre(FiltreScopeMixin, django_filters.FilterSet):
    q = FiltreRecherche(label="Rechercher", method="filtrer_recherche")
    departement = django_filters.ModelChoiceFilter(label="Département", queryset=Departement.objects.none(), empty_label="Tous")
    quartier = django_filters.CharFilter(label="Quartier (code QPV)", method="filtrer_quartier")
    employeur = FiltreEmployeur()
    statut = django_filters.ChoiceFilter(label="Statut", choices=StatutPoste.choices, empty_label="Tous")
    domaine = django_filters.ModelChoiceFilter(
        label="Domaine de médiation", field_name="domaines", queryset=DomaineMediation.objects.all(), empty_label="Tous"
    )
    tri = django_filters.OrderingFilter(
        label="Trier par",
        fields=[("identifiant", "identifiant"), ("employeur__raison_sociale", "employeur"), ("cree_le", "creation")],
        field_labels={"identifiant": "Identifiant", "employeur__raison_sociale": "Employeur", "cree_le": "Création"},
        empty_label="Par défaut",
    )

    class Meta:
        model = Poste
        form = FormulaireFiltre
        fields = ["q", "departement", "quartier", "employeur", "statut", "domaine"]

    def filtrer_recherche(self, queryset, name, value):
        return rechercher(queryset, value, ["identifiant", "employeur__raison_sociale", "intitule", "missions"])

    def filtrer_quartier(self, queryset, name, value):
        value = value.strip().upper()
        if not value:
            return queryset
        return queryset.filter(pk__in=Poste.quartiers.through.objects.filter(quartierprioritaire__code=value).values("poste"))
