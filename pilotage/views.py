"""Pilotage pages: the dashboard of budget and activity per département, and the list of the posts'
yearly funding (« Financements », ANCT's register) with its CSV and XLSX exports."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Sum, Window
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from commun.exports import FORMATS, reponse_export
from commun.vues import ExportListeMixin, ListeFiltreeView, RoleRequisMixin
from comptes.models import Role
from conventions.models import Convention
from conventions.regles import STATUTS_EN_VIGUEUR
from financements.regles import NOMS_MOIS, ajouter_mois
from pilotage.cache_budget import jour_de_reference, situations_du_tableau_de_bord
from pilotage.exports import COLONNES_FINANCEMENTS
from pilotage.filtres import FinancementFiltre
from pilotage.forms import TableauDeBordForm
from postes.models import FinancementAnnuel
from quartiers.models import Departement

ROLES_AGENTS = (Role.AGENT,)


ECHEANCES_AFFICHEES = 50


class TableauDeBordView(RoleRequisMixin, View):
    """Budget and activity of the user's départements (all of them, by région, for a national
    administrator). Every table can be downloaded (?export=csv|xlsx&tableau=…)."""

    roles = ROLES_AGENTS

    def get(self, request):
        aujourd_hui = timezone.localdate()
        visibles = Departement.objects.for_user(request.user).select_related("region").order_by("code")
        form = TableauDeBordForm(request.GET or {"annee": aujourd_hui.year}, departements=visibles)
        annee, departements = aujourd_hui.year, visibles
        if form.is_valid():
            annee = form.cleaned_data["annee"]
            if form.cleaned_data.get("region"):
                departements = departements.filter(region__code=form.cleaned_data["region"])
            if form.cleaned_data.get("departement"):
                departements = departements.filter(pk=form.cleaned_data["departement"].pk)
        donnees = self.donnees(request.user, departements, annee, aujourd_hui)
        export = request.GET.get("export")
        if export in FORMATS and request.GET.get("tableau") in donnees["tableaux"]:
            tableau = donnees["tableaux"][request.GET["tableau"]]
            return reponse_export(f"{tableau['titre']} {annee}", tableau["entetes"], tableau["lignes"], export)
        parametres = request.GET.copy()
        for cle in ("export", "tableau"):
            parametres.pop(cle, None)
        return render(
            request,
            "pilotage/tableau_de_bord.html",
            {**donnees, "form": form, "annee": annee, "aujourd_hui": aujourd_hui, "parametres": parametres.urlencode()},
        )

    def donnees(self, user, departements, annee, aujourd_hui):
        # `departements` holds only départements the user may see (for_user above): their figures,
        # posts counts included, are the same for every user who sees them, hence shared.
        situations = situations_du_tableau_de_bord(departements, annee, aujourd_hui)
        jour = jour_de_reference(annee, aujourd_hui)
        lignes_dep = [
            s
            for s in situations.values()
            # a national view lists the départements that have something
            if s.enveloppe or s.postes_engages or s.postes_en_exercice or len(situations) == 1
        ]
        fin_horizon = ajouter_mois(aujourd_hui, 6)
        echeances = (
            Convention.objects.for_user(user)
            .filter(
                poste__departement__in=departements,
                statut__in=STATUTS_EN_VIGUEUR,
                date_fin__gte=aujourd_hui,
                date_fin__lte=fin_horizon,
            )
            .select_related("poste__employeur", "poste__departement")
            .annotate(renouvelee=Exists(Convention.objects.filter(precedente=OuterRef("pk"))))
            .order_by("date_fin", "numero")
        )
        # The page shows the nearest ones and their number (hundreds at national scale); only the
        # export reads them all.
        echeances_affichees = list(echeances.annotate(total=Window(Count("pk")))[:ECHEANCES_AFFICHEES])
        nombre_echeances = echeances_affichees[0].total if echeances_affichees else 0
        mois_engages = [sum((s.mois_engages[i] for s in lignes_dep), Decimal("0.00")) for i in range(12)]
        mois_prevus = [sum((s.mois_prevus[i] for s in lignes_dep), Decimal("0.00")) for i in range(12)]
        regions = {}
        for s in lignes_dep:
            r = regions.setdefault(
                s.departement.region.code,
                {
                    "nom": s.departement.region.nom,
                    "postes_enveloppe": 0,
                    "postes_engages": 0,
                    "en_exercice": 0,
                    "vacants": 0,
                    "montant": Decimal("0.00"),
                    "engagee": Decimal("0.00"),
                    "prevue": Decimal("0.00"),
                },
            )
            r["postes_enveloppe"] += s.postes_enveloppe or 0
            r["postes_engages"] += s.postes_engages
            r["en_exercice"] += s.postes_en_exercice
            r["vacants"] += s.postes_vacants
            r["montant"] += s.montant_enveloppe or 0
            r["engagee"] += s.aide_engagee
            r["prevue"] += s.aide_prevue
        regions = sorted(regions.values(), key=lambda r: r["nom"])
        totaux = {
            "en_exercice": sum(s.postes_en_exercice for s in lignes_dep),
            "vacants": sum(s.postes_vacants for s in lignes_dep),
            "postes_enveloppe": sum(s.postes_enveloppe or 0 for s in lignes_dep),
            "postes_engages": sum(s.postes_engages for s in lignes_dep),
            "montant": sum((s.montant_enveloppe or 0 for s in lignes_dep), Decimal("0.00")),
            "engagee": sum(mois_engages, Decimal("0.00")),
            "prevue": sum(mois_prevus, Decimal("0.00")),
        }
        tableaux = {
            "departements": {
                "titre": "Enveloppes par département",
                "entetes": [
                    "Région",
                    "Département",
                    "Postes de l’enveloppe",
                    "Postes engagés",
                    "Postes en exercice",
                    "Postes vacants",
                    "Enveloppe (€)",
                    "Aide engagée (€)",
                    "Aide prévue (€)",
                    "Reste disponible (€)",
                    "Consommation prévue (%)",
                ],
                "lignes": [
                    [
                        s.departement.region.nom,
                        str(s.departement),
                        s.postes_enveloppe,
                        s.postes_engages,
                        s.postes_en_exercice,
                        s.postes_vacants,
                        s.montant_enveloppe,
                        s.aide_engagee,
                        s.aide_prevue,
                        s.reste_disponible,
                        s.taux_consommation,
                    ]
                    for s in lignes_dep
                ],
            },
            "regions": {
                "titre": "Enveloppes par région",
                "entetes": [
                    "Région",
                    "Postes de l’enveloppe",
                    "Postes engagés",
                    "Postes en exercice",
                    "Postes vacants",
                    "Enveloppe (€)",
                    "Aide engagée (€)",
                    "Aide prévue (€)",
                ],
                "lignes": [
                    [
                        r["nom"],
                        r["postes_enveloppe"],
                        r["postes_engages"],
                        r["en_exercice"],
                        r["vacants"],
                        r["montant"],
                        r["engagee"],
                        r["prevue"],
                    ]
                    for r in regions
                ],
            },
            "echeances": {
                "titre": "Conventions se terminant dans les six mois",
                "entetes": ["Convention", "Poste", "Employeur", "Département", "Fin", "Statut", "Renouvellement préparé"],
                "lignes": (
                    [
                        c.numero,
                        c.poste.identifiant,
                        c.poste.employeur.raison_sociale,
                        str(c.poste.departement),
                        c.date_fin,
                        c.get_statut_display(),
                        c.renouvelee,
                    ]
                    for c in echeances.iterator(2000)
                ),
            },
            "mois": {
                "titre": "Aide par mois",
                "entetes": ["Mois", "Aide engagée (€)", "Aide prévue (€)"],
                "lignes": [[f"{NOMS_MOIS[i]} {annee}", mois_engages[i], mois_prevus[i]] for i in range(12)],
            },
        }
        graphiques = {
            "mois": {
                "libelles": [f"{NOMS_MOIS[i]} {annee}" for i in range(12)],
                "engagee": [str(v) for v in mois_engages],
                "prevue": [str(v) for v in mois_prevus],
            },
            "enveloppes": {
                "libelles": [str(s.departement) for s in lignes_dep if s.enveloppe],
                "enveloppe": [str(s.montant_enveloppe) for s in lignes_dep if s.enveloppe],
                "prevue": [str(s.aide_prevue) for s in lignes_dep if s.enveloppe],
                "engagee": [str(s.aide_engagee) for s in lignes_dep if s.enveloppe],
            },
        }
        return {
            "lignes_departements": lignes_dep,
            "regions": regions,
            "plusieurs_regions": len(regions) > 1,
            "nombre_echeances": nombre_echeances,
            "echeances_affichees": echeances_affichees,
            "fin_horizon": fin_horizon,
            "mois": list(zip([f"{NOMS_MOIS[i]} {annee}" for i in range(12)], mois_engages, mois_prevus)),
            "totaux": totaux,
            "tableaux": tableaux,
            "graphiques": graphiques,
            "jour_reference": jour,
        }


class FinancementListe(RoleRequisMixin, ExportListeMixin, ListeFiltreeView):
    """Yearly aid paid per post (imported from ANCT's register), filtered by year, département, employer."""

    roles = (Role.AGENT,)
    model = FinancementAnnuel
    filterset_class = FinancementFiltre
    template_name = "pilotage/financement_liste.html"
    nom_export = "financements"
    colonnes_export = COLONNES_FINANCEMENTS

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("poste__employeur", "poste__departement")
            .order_by("-annee", "poste__identifiant")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totaux"] = self.object_list.order_by().aggregate(nombre=Count("pk"), montant=Sum("montant"))
        return context
