from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from commun.exports import FORMATS, reponse_export
from commun.vues import RoleRequisMixin
from comptes.models import Role
from financements.aide import NOMS_MOIS, REGLE_AIDE, AideImpossible, ajouter_mois
from financements.budget import postes_en_exercice, postes_vacants
from financements.cache_budget import situations_du_tableau_de_bord
from financements.echeancier import lignes_bareme, lignes_smic
from financements.forms import SimulateurForm, TableauDeBordForm
from financements.simulation import PART_ANNONCEE, simuler
from postes.models import Convention, Poste
from quartiers.models import Departement

ROLES_AGENTS = (Role.AGENT,)


def taux_charges_patronales() -> Decimal:
    return Decimal(str(settings.TAUX_CHARGES_PATRONALES_SMIC))


def compter_par_departement(postes) -> dict:
    """{département id: number of posts} (one query; `postes` may be a DISTINCT queryset)."""
    return dict(
        Poste.objects.filter(pk__in=postes.values("pk"))
        .order_by()
        .values_list("departement")
        .annotate(n=Count("pk"))
    )


class SimulateurView(RoleRequisMixin, View):
    """« Simulateur d’aide »: agents and national administrators (others: 404)."""

    roles = ROLES_AGENTS

    def get(self, request):
        form = SimulateurForm(request.GET or None)
        simulation = None
        if form.is_bound and form.is_valid():
            donnees = form.cleaned_data
            try:
                simulation = simuler(
                    donnees["debut"],
                    donnees["fin"],
                    donnees["heures"],
                    donnees["vacances"],
                    lignes_bareme(),
                    lignes_smic(),
                    taux_charges_patronales(),
                )
            except AideImpossible as erreur:
                form.add_error(None, str(erreur))
        return render(
            request,
            "financements/simulateur.html",
            {
                "form": form,
                "simulation": simulation,
                "regle": REGLE_AIDE,
                "part_annoncee": PART_ANNONCEE,
                "taux_charges": taux_charges_patronales() * 100,
            },
        )


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
            "financements/tableau_de_bord.html",
            {**donnees, "form": form, "annee": annee, "aujourd_hui": aujourd_hui, "parametres": parametres.urlencode()},
        )

    def donnees(self, user, departements, annee, aujourd_hui):
        situations = situations_du_tableau_de_bord(departements, annee, aujourd_hui)
        postes = Poste.objects.for_user(user).filter(departement__in=departements)
        jour = aujourd_hui if aujourd_hui.year == annee else min(max(aujourd_hui, date(annee, 1, 1)), date(annee, 12, 31))
        en_exercice = compter_par_departement(postes_en_exercice(postes, jour))
        vacants = compter_par_departement(postes_vacants(postes, jour))
        lignes_dep = []
        for situation in situations.values():
            d = situation.departement
            if not (situation.enveloppe or situation.postes_engages or en_exercice.get(d.pk)) and len(situations) > 1:
                continue  # a national view lists the départements that have something
            lignes_dep.append(
                {
                    "situation": situation,
                    "en_exercice": en_exercice.get(d.pk, 0),
                    "vacants": vacants.get(d.pk, 0),
                }
            )
        fin_horizon = ajouter_mois(aujourd_hui, 6)
        echeances = (
            Convention.objects.for_user(user)
            .filter(
                poste__departement__in=departements,
                statut__in=("signee", "en_cours"),
                date_fin__gte=aujourd_hui,
                date_fin__lte=fin_horizon,
            )
            .select_related("poste__employeur", "poste__departement")
            .annotate(renouvelee=Exists(Convention.objects.filter(precedente=OuterRef("pk"))))
            .order_by("date_fin", "numero")
        )
        echeances = list(echeances)
        mois_engages = [sum((l["situation"].mois_engages[i] for l in lignes_dep), Decimal("0.00")) for i in range(12)]
        mois_prevus = [sum((l["situation"].mois_prevus[i] for l in lignes_dep), Decimal("0.00")) for i in range(12)]
        regions = {}
        for l in lignes_dep:
            s = l["situation"]
            r = regions.setdefault(
                s.departement.region.code,
                {"nom": s.departement.region.nom, "postes_enveloppe": 0, "postes_engages": 0, "en_exercice": 0,
                 "vacants": 0, "montant": Decimal("0.00"), "engagee": Decimal("0.00"), "prevue": Decimal("0.00")},
            )
            r["postes_enveloppe"] += s.postes_enveloppe or 0
            r["postes_engages"] += s.postes_engages
            r["en_exercice"] += l["en_exercice"]
            r["vacants"] += l["vacants"]
            r["montant"] += s.montant_enveloppe or 0
            r["engagee"] += s.aide_engagee
            r["prevue"] += s.aide_prevue
        regions = sorted(regions.values(), key=lambda r: r["nom"])
        totaux = {
            "en_exercice": sum(l["en_exercice"] for l in lignes_dep),
            "vacants": sum(l["vacants"] for l in lignes_dep),
            "postes_enveloppe": sum(l["situation"].postes_enveloppe or 0 for l in lignes_dep),
            "postes_engages": sum(l["situation"].postes_engages for l in lignes_dep),
            "montant": sum((l["situation"].montant_enveloppe or 0 for l in lignes_dep), Decimal("0.00")),
            "engagee": sum(mois_engages, Decimal("0.00")),
            "prevue": sum(mois_prevus, Decimal("0.00")),
        }
        tableaux = {
            "departements": {
                "titre": "Enveloppes par département",
                "entetes": ["Région", "Département", "Postes de l’enveloppe", "Postes engagés", "Postes en exercice",
                            "Postes vacants", "Enveloppe (€)", "Aide engagée (€)", "Aide prévue (€)",
                            "Reste disponible (€)", "Consommation prévue (%)"],
                "lignes": [
                    [l["situation"].departement.region.nom, str(l["situation"].departement), l["situation"].postes_enveloppe,
                     l["situation"].postes_engages, l["en_exercice"], l["vacants"], l["situation"].montant_enveloppe,
                     l["situation"].aide_engagee, l["situation"].aide_prevue, l["situation"].reste_disponible,
                     l["situation"].taux_consommation]
                    for l in lignes_dep
                ],
            },
            "regions": {
                "titre": "Enveloppes par région",
                "entetes": ["Région", "Postes de l’enveloppe", "Postes engagés", "Postes en exercice", "Postes vacants",
                            "Enveloppe (€)", "Aide engagée (€)", "Aide prévue (€)"],
                "lignes": [[r["nom"], r["postes_enveloppe"], r["postes_engages"], r["en_exercice"], r["vacants"],
                            r["montant"], r["engagee"], r["prevue"]] for r in regions],
            },
            "echeances": {
                "titre": "Conventions se terminant dans les six mois",
                "entetes": ["Convention", "Poste", "Employeur", "Département", "Fin", "Statut", "Renouvellement préparé"],
                "lignes": [[c.numero, c.poste.identifiant, c.poste.employeur.raison_sociale, str(c.poste.departement),
                            c.date_fin, c.get_statut_display(), c.renouvelee] for c in echeances],
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
                "libelles": [str(l["situation"].departement) for l in lignes_dep if l["situation"].enveloppe],
                "enveloppe": [str(l["situation"].montant_enveloppe) for l in lignes_dep if l["situation"].enveloppe],
                "prevue": [str(l["situation"].aide_prevue) for l in lignes_dep if l["situation"].enveloppe],
                "engagee": [str(l["situation"].aide_engagee) for l in lignes_dep if l["situation"].enveloppe],
            },
        }
        return {
            "lignes_departements": lignes_dep,
            "regions": regions,
            "plusieurs_regions": len(regions) > 1,
            "echeances": echeances,
            # The page lists the nearest ones; the export holds them all (hundreds at national scale).
            "echeances_affichees": echeances[:ECHEANCES_AFFICHEES],
            "fin_horizon": fin_horizon,
            "mois": list(zip([f"{NOMS_MOIS[i]} {annee}" for i in range(12)], mois_engages, mois_prevus)),
            "totaux": totaux,
            "tableaux": tableaux,
            "graphiques": graphiques,
            "jour_reference": jour,
        }
