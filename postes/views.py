from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.generic import DetailView

from commun.vues import ExportListeMixin, ListeFiltreeView, RoleRequisMixin
from comptes.models import Role
from financements.models import FinancementAnnuel
from postes.exports import COLONNES_CONVENTIONS, COLONNES_POSTES
from postes.filtres import ConventionFiltre, PosteFiltre
from postes.models import Affectation, Convention, DiagnosticEligibilite, Poste


@login_required
def accueil(request):
    if request.user.est_employeur:
        return redirect("postes:espace_employeur")
    return redirect("postes:liste")


class PosteListe(RoleRequisMixin, ExportListeMixin, ListeFiltreeView):
    roles = (Role.AGENT,)
    model = Poste
    filterset_class = PosteFiltre
    template_name = "postes/poste_liste.html"
    nom_export = "postes"
    colonnes_export = COLONNES_POSTES

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("employeur", "departement")
            .prefetch_related("quartiers", "domaines", "conventions")
            .order_by("identifiant")
        )


class PosteDetail(RoleRequisMixin, DetailView):
    template_name = "postes/poste_detail.html"
    slug_field = "identifiant"
    slug_url_kwarg = "identifiant"
    context_object_name = "poste"

    def get_queryset(self):
        return (
            Poste.objects.for_user(self.request.user)
            .select_related("employeur", "departement")
            .prefetch_related(
                "quartiers",
                "domaines",
                Prefetch("conventions", queryset=Convention.objects.order_by("date_debut")),
                Prefetch("affectations", queryset=Affectation.objects.select_related("titulaire").order_by("date_debut")),
                Prefetch("financements", queryset=FinancementAnnuel.objects.order_by("-annee")),
            )
        )

    def get_context_data(self, **kwargs):
        diagnostics = DiagnosticEligibilite.objects.for_user(self.request.user).filter(affectation__poste=self.object)
        return super().get_context_data(
            diagnostics=diagnostics.select_related("affectation__titulaire", "auteur"),
            poste_occupe=any(a.date_fin is None for a in self.object.affectations.all()),
            **kwargs,
        )


class ConventionListe(RoleRequisMixin, ExportListeMixin, ListeFiltreeView):
    roles = (Role.AGENT,)
    model = Convention
    filterset_class = ConventionFiltre
    template_name = "postes/convention_liste.html"
    nom_export = "conventions"
    colonnes_export = COLONNES_CONVENTIONS

    def get_queryset(self):
        return super().get_queryset().select_related("poste__employeur", "poste__departement").order_by("-date_debut", "numero")


class ConventionDetail(RoleRequisMixin, DetailView):
    template_name = "postes/convention_detail.html"
    context_object_name = "convention"

    def get_queryset(self):
        return Convention.objects.for_user(self.request.user).select_related(
            "poste__employeur", "poste__departement", "precedente"
        )

    def get_context_data(self, **kwargs):
        from postes.convention_views import contexte_convention

        context = super().get_context_data(**kwargs)
        context.update(contexte_convention(self.object, self.request.user))
        return context


@login_required
def espace_employeur(request):
    """Employer home: the posts and conventions of their structures."""
    if not request.user.est_employeur:
        return redirect("postes:liste")
    from employeurs.formulaires import StructureActiveForm
    from employeurs.structure_active import structure_active, structures_de
    from postes.models import Demande

    structures = structures_de(request.user)
    active = structure_active(request)  # the structure chosen in the session (see employeurs/structure_active.py)
    postes = (
        Poste.objects.for_user(request.user)
        .filter(employeur=active)
        .select_related("employeur", "departement")
        .prefetch_related("quartiers", Prefetch("conventions", queryset=Convention.objects.order_by("-date_debut")))
        .order_by("identifiant")
    )
    demandes = (
        Demande.objects.for_user(request.user)
        .filter(employeur=active)
        .sans_brouillons_vides()
        .select_related("employeur", "poste")
        .order_by("-modifie_le")
    )
    return render(
        request,
        "postes/espace_employeur.html",
        {
            "postes": postes,
            "structures": structures,
            "structure_active": active,
            "demandes": demandes[:10],
            "form_structure": StructureActiveForm(structures=structures, initial={"structure": active}),
        },
    )
