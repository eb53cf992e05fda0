"""Employer pages: the list and page of a structure (agents, and the employer's members), and the
management of structures and their accounts: creation by an agent, invitation of a contact, choice
of the active structure by an employer belonging to several."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from commun.vues import ExportListeMixin, ListeFiltreeView, RoleRequisMixin, role_requis
from comptes.invitations import ErreurInvitation, inviter_contact
from comptes.models import Role
from employeurs.exports import COLONNES_EMPLOYEURS
from employeurs.filtres import EmployeurFiltre
from employeurs.forms import EmployeurCreationForm, FormeJuridiqueForm, InvitationForm, StructureActiveForm
from employeurs.models import Employeur
from employeurs.structure_active import choisir_structure, structures_de
from quartiers.models import Departement


class EmployeurListe(RoleRequisMixin, ExportListeMixin, ListeFiltreeView):
    roles = (Role.AGENT,)
    model = Employeur
    filterset_class = EmployeurFiltre
    template_name = "employeurs/employeur_liste.html"
    nom_export = "employeurs"
    colonnes_export = COLONNES_EMPLOYEURS

    def get_queryset(self):
        return super().get_queryset().select_related("departement").order_by("raison_sociale")


class EmployeurDetail(RoleRequisMixin, DetailView):
    roles = (Role.AGENT, Role.EMPLOYEUR)
    template_name = "employeurs/employeur_detail.html"
    slug_field = "siret"
    slug_url_kwarg = "siret"
    context_object_name = "employeur"

    def get_queryset(self):
        return Employeur.objects.for_user(self.request.user).select_related("departement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # the employer's posts through their relation (Poste.employeur, reverse name « postes »),
        # scoped by the post's own for_user()
        context["postes"] = self.object.postes.for_user(self.request.user).select_related("departement").order_by("identifiant")
        if not self.request.user.est_employeur:
            context["membres"] = self.object.membres.order_by("email")
            context["form_invitation"] = InvitationForm()
            context["form_forme_juridique"] = FormeJuridiqueForm(instance=self.object)
        return context


@role_requis(Role.AGENT)
def creer_employeur(request):
    form = EmployeurCreationForm(request.POST or None, departements=Departement.objects.for_user(request.user))
    if request.method == "POST" and form.is_valid():
        employeur = form.save()
        messages.success(request, f"Structure « {employeur} » enregistrée. Invitez maintenant son contact.")
        return redirect("employeurs:detail", siret=employeur.siret)
    return render(request, "employeurs/creation.html", {"form": form})


@require_POST
@role_requis(Role.AGENT)
def preciser_forme_juridique(request, siret):
    """Say which legal form a structure has (L5134-101 eligibility depends on it)."""
    employeur = get_object_or_404(Employeur.objects.for_user(request.user), siret=siret)
    form = FormeJuridiqueForm(request.POST, instance=employeur)
    if form.is_valid():
        form.save()
        messages.success(request, f"Forme juridique enregistrée : {employeur.get_forme_juridique_display()}.")
    else:
        for erreur in form.errors.get("forme_juridique", []):
            messages.error(request, f"Forme juridique non enregistrée : {erreur}")
    return redirect("employeurs:detail", siret=employeur.siret)


@require_POST
@role_requis(Role.AGENT)
def inviter(request, siret):
    employeur = get_object_or_404(Employeur.objects.for_user(request.user), siret=siret)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        for erreurs in form.errors.values():
            for erreur in erreurs:
                messages.error(request, f"Invitation non envoyée : {erreur}")
        return redirect("employeurs:detail", siret=siret)
    try:
        utilisateur, cree = inviter_contact(
            employeur, form.cleaned_data["email"], form.cleaned_data["prenom"], form.cleaned_data["nom"], request.user
        )
    except ErreurInvitation as erreur:
        messages.error(request, str(erreur))
    else:
        if cree:
            messages.success(
                request, f"Compte créé pour {utilisateur.email} : un lien pour choisir son mot de passe lui a été envoyé."
            )
        else:
            messages.success(request, f"{utilisateur.email} a désormais accès à {employeur} ; un courriel l’en informe.")
    return redirect("employeurs:detail", siret=siret)


@require_POST
@role_requis(Role.EMPLOYEUR, admin_national=False)
def changer_structure(request):
    structures = structures_de(request.user)
    form = StructureActiveForm(request.POST, structures=structures)
    if form.is_valid():
        choisir_structure(request, form.cleaned_data["structure"])
        messages.success(request, f"Vous travaillez maintenant pour {form.cleaned_data['structure']}.")
    else:
        raise Http404("Structure introuvable.")  # not one of the user's memberships
    suite = request.POST.get("suite", "")
    if not url_has_allowed_host_and_scheme(suite, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        suite = "espace_employeur"
    return redirect(suite)
