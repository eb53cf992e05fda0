import django_filters
from django import forms
from dsfr.forms import DsfrBaseForm

from commun.recherche import FiltreRecherche, rechercher
from postes.models import Convention, DomaineMediation, Poste, StatutConvention, StatutPoste
from quartiers.models import Departement


class FormulaireFiltre(DsfrBaseForm):
    """Filter forms drawn with the design system's inputs (commun/filtres.html draws each field
    group; like every optional field of the service, each is marked « (Optionnel) »)."""


class FiltreScopeMixin:
    """Offer in the département menu only the départements the user may see (employers are typed:
    see FiltreEmployeur)."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        if "departement" in self.filters:
            self.filters["departement"].queryset = Departement.objects.for_user(user)


class FiltreEmployeur(FiltreRecherche):
    """The employer filter of the lists: a name (accents and case ignored) or a SIRET, typed.
    A menu of every employer in scope would grow with the country (5,000 for a national
    administrator) and cost more to draw than the list itself. The rows stay those of the scoped
    queryset: the filter only narrows it."""

    def __init__(self, *args, chemin: str = "employeur", **kwargs):
        kwargs.setdefault("label", "Employeur (nom ou SIRET)")
        super().__init__(*args, **kwargs)
        self.chemin = chemin

    def filter(self, qs, value):
        texte = (value or "").strip()
        if not texte:
            return qs
        chiffres = texte.replace(" ", "")
        if chiffres.isdigit():
            return qs.filter(**{f"{self.chemin}__siret__startswith": chiffres})
        return rechercher(qs, texte, [f"{self.chemin}__raison_sociale"])


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
