import django_filters
from django import forms
from django.db.models import Q

from commun.filtres import FiltreEmployeur, FiltreScopeMixin, FormulaireFiltre
from commun.recherche import FiltreRecherche, SansAccents, rechercher, sans_accents
from comptes.models import Role, Utilisateur
from demandes.models import Demande
from demandes.regles import StatutDemande
from employeurs.models import Employeur
from quartiers.models import Departement


class DemandeFiltre(FiltreScopeMixin, django_filters.FilterSet):
    """The instructors' inbox: every filter only offers what the user may see."""

    q = FiltreRecherche(label="Rechercher (n°, employeur, SIRET, projet)", method="filtrer_recherche")
    statut = django_filters.ChoiceFilter(label="Statut", choices=StatutDemande.choices, empty_label="Tous")
    departement = django_filters.ModelChoiceFilter(label="Département", queryset=Departement.objects.none(), empty_label="Tous")
    employeur = FiltreEmployeur()
    quartier = FiltreRecherche(label="Quartier (nom ou code)", method="filtrer_quartier")
    instructeur = django_filters.ModelChoiceFilter(
        label="Instructeur", queryset=Utilisateur.objects.none(), empty_label="Tous", null_label="Non désigné"
    )
    depose_du = django_filters.DateFilter(
        label="Déposée à partir du",
        field_name="date_depot",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    depose_au = django_filters.DateFilter(
        label="Déposée jusqu’au",
        field_name="date_depot",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    tri = django_filters.OrderingFilter(
        label="Trier par",
        fields=[
            ("date_depot", "depot"),
            ("employeur__raison_sociale", "employeur"),
            ("statut", "statut"),
            ("date_debut_souhaitee", "debut"),
        ],
        field_labels={
            "date_depot": "Date de dépôt",
            "employeur__raison_sociale": "Employeur",
            "statut": "Statut",
            "date_debut_souhaitee": "Début souhaité",
        },
        empty_label="Par défaut (dépôt le plus récent)",
    )

    class Meta:
        model = Demande
        form = FormulaireFiltre
        fields = ["q", "statut", "departement", "employeur", "quartier", "instructeur", "depose_du", "depose_au"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        self.filters["instructeur"].queryset = (
            Utilisateur.objects.filter(role=Role.AGENT, departements__in=Departement.objects.for_user(user))
            .distinct()
            .order_by("nom", "prenom")
        )
        self.filters["instructeur"].field.label_from_instance = lambda u: u.nom_complet or u.email

    def filtrer_recherche(self, queryset, name, value):
        texte = value.strip().lstrip("n°").strip()
        if texte.isdigit() and len(texte) < 9:
            return queryset.filter(pk=int(texte))  # a request number (« n° 00012 »)
        if texte.isdigit():
            return queryset.filter(employeur__siret__startswith=texte)  # a SIREN or SIRET
        return rechercher(queryset, value, ["employeur__raison_sociale", "employeur__siret", "intitule", "projet"])

    def filtrer_quartier(self, queryset, name, value):
        mot = sans_accents(value.strip())
        if not mot:
            return queryset
        correspondants = (
            Demande.quartiers.through.objects.annotate(_nom=SansAccents("quartierprioritaire__nom"))
            .filter(Q(_nom__contains=mot) | Q(quartierprioritaire__code__iexact=value.strip()))
            .values("demande")
        )
        return queryset.filter(pk__in=correspondants)


class MesDemandesFiltre(django_filters.FilterSet):
    """The employer's own list of requests."""

    q = FiltreRecherche(label="Rechercher (n°, projet)", method="filtrer_recherche")
    statut = django_filters.ChoiceFilter(label="Statut", choices=StatutDemande.choices, empty_label="Tous")
    employeur = django_filters.ModelChoiceFilter(label="Structure", queryset=None, empty_label="Toutes")

    class Meta:
        model = Demande
        form = FormulaireFiltre
        fields = ["q", "statut", "employeur"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["employeur"].queryset = Employeur.objects.for_user(request.user if request else None)

    def filtrer_recherche(self, queryset, name, value):
        texte = value.strip().lstrip("n°").strip()
        if texte.isdigit() and len(texte) <= 9:
            return queryset.filter(pk=int(texte))
        return rechercher(queryset, value, ["intitule", "projet"])
