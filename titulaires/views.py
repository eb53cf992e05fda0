"""Pages of the eligibility check: the check itself, a new check of the holder of an affectation, and
the titulaire's page with the diagnoses kept. The hire on a post (a check, then a titulaire and an
affectation under the post's convention) is conventions/views.py::EnregistrerEmbauche."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView

from commun.vues import RoleRequisMixin
from comptes.models import Role
from quartiers.geocodage import GeocodageImpossible
from quartiers.models import Departement, QuartierPrioritaire
from quartiers.residence import residence_par_point
from titulaires.forms import NouvelleVerificationForm, VerificationForm
from titulaires.models import Affectation, DiagnosticEligibilite, Titulaire
from titulaires.rgpd import DONNEES_RESERVEES, voit_donnees_personnelles
from titulaires.services import evaluer, nouvelle_verification


class VerificationMixin(RoleRequisMixin):
    """Runs the check of a valid form; on a geocoding failure, says why in the form and suggests the
    QPV at the best match's point, for the agent to choose by hand."""

    roles = (Role.AGENT,)
    template_name = "titulaires/eligibilite_verifier.html"

    # The person's data never reach an error report (RGPD): Django masks them in its 500 reports.
    @method_decorator(sensitive_post_parameters("nom", "prenom", "date_naissance", "adresse", "point"))
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quartiers_proposes"] = (
            QuartierPrioritaire.objects.en_vigueur()
            .filter(departement__in=Departement.objects.for_user(self.request.user))
            .only("code", "nom")
        )
        return context

    def lire_question(self, form):
        """The form's question, or None after adding the geocoding error to the form."""
        try:
            return form.question()
        except GeocodageImpossible as erreur:
            form.add_error("adresse", erreur.message)
            if erreur.candidat is not None:
                piste = residence_par_point(erreur.candidat.lon, erreur.candidat.lat)
                self.suggestion = (erreur.candidat, piste.qpv)
            return None

    def verifier(self, form):
        """(question, diagnostic), or (None, None) after adding the geocoding error to the form."""
        question = self.lire_question(form)
        return (question, evaluer(question)) if question else (None, None)

    def afficher(self, form, question=None, diagnostic=None):
        return self.render_to_response(
            self.get_context_data(
                form=form, question=question, diagnostic=diagnostic, suggestion=getattr(self, "suggestion", None)
            )
        )


class VerifierEligibilite(VerificationMixin, FormView):
    form_class = VerificationForm

    def form_valid(self, form):
        question, diagnostic = self.verifier(form)
        return self.afficher(form, question, diagnostic)


class NouvelleVerification(VerificationMixin, FormView):
    """Check again the holder of an affectation: a new diagnosis, the earlier ones unchanged."""

    form_class = NouvelleVerificationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.affectation = get_object_or_404(
                Affectation.objects.for_user(request.user).select_related("titulaire__qpv_residence", "poste"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        a = self.affectation
        return {**super().get_form_kwargs(), "date_contrat": a.date_signature_contrat or a.date_debut}

    def get_initial(self):
        t = self.affectation.titulaire
        initial = {"date_naissance": t.date_naissance, "situation": t.situation_avant_embauche}
        if t.adresse:
            initial["adresse"] = t.adresse
        if t.qpv_residence and (t.qpv_choisi_a_la_main or not t.adresse):
            initial["code_qpv"] = t.qpv_residence.code
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(affectation=self.affectation, **kwargs)

    def form_valid(self, form):
        question, _ = self.verifier(form)
        if question is None:
            return self.afficher(form)
        diagnostic = nouvelle_verification(self.affectation, question, self.request.user)
        messages.success(self.request, "Nouvelle vérification enregistrée.")
        url = reverse("titulaires:detail", args=[self.affectation.titulaire_id])
        return redirect(f"{url}#diagnostic-{diagnostic.pk}")


class TitulaireDetail(LoginRequiredMixin, DetailView):
    template_name = "titulaires/titulaire_detail.html"
    context_object_name = "titulaire"

    def get_queryset(self):
        return Titulaire.objects.for_user(self.request.user).select_related("qpv_residence")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            affectations=Affectation.objects.for_user(user)
            .filter(titulaire=self.object)
            .select_related("poste__employeur")
            .order_by("-date_debut"),
            diagnostics=DiagnosticEligibilite.objects.for_user(user)
            .filter(affectation__titulaire=self.object)
            .select_related("auteur", "affectation__poste", "qpv"),
            donnees_personnelles=voit_donnees_personnelles(user),
            donnees_reservees=DONNEES_RESERVEES,
            **kwargs,
        )
