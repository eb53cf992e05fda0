"""Convention pages: the list, the detail, actions of agents (sign, terminate, renew, avenants), the PDF
download (agents and the employer's members), a ZIP of the PDFs of a filtered list; and the pages of
a post that gather its conventions: the post's page (conventions, titulaires, funding) and the hire
on a post (no hire outside a convention in force). Every
convention is reached through `Convention.objects.for_user()`: out of scope answers 404."""

import logging
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView, View

from commun.noms_fichiers import en_piece_jointe
from commun.vues import RAFRAICHIR_S, ExportListeMixin, ListeFiltreeView, RoleRequisMixin
from comptes.models import Role
from conventions import forms as formulaires
from conventions.archives import archive_du_demandeur, conventions_filtrees, conventions_visibles, nom_fichier_pdf
from conventions.echeancier import PLEINE, REELLE, echeancier_convention
from conventions.exports import COLONNES_CONVENTIONS
from conventions.filtres import ConventionFiltre
from conventions.forms import EmbaucheForm
from conventions.models import Convention, fin_maximale_convention
from conventions.pdf import le_prefet_de
from conventions.regles import (
    AVENANT,
    CADUCITE,
    RENOUVELER,
    RESILIER,
    SIGNER,
    MotifResiliation,
    StatutConvention,
    actions_permises,
    date_limite_embauche,
    motif_refus,
)
from conventions.services import cycle as services
from conventions.services.embauche import Embauche, EmbaucheRefusee, enregistrer_embauche
from conventions.taches import demander_archive
from financements.regles import REGLE_AIDE, AideImpossible
from postes.models import FinancementAnnuel, Poste
from titulaires.models import Affectation, DiagnosticEligibilite, Titulaire
from titulaires.views import VerificationMixin

journal = logging.getLogger(__name__)

ZIP_MAXIMUM = 500  # conventions in one ZIP download; beyond, the agent narrows the filters


def contexte_convention(convention: Convention, user) -> dict:
    """What the convention page shows beyond its fields: the aid month by month, the avenants, the
    history, and which actions the user may take now."""
    est_agent = user.role == Role.AGENT or user.est_admin_national
    echeancier, erreur_aide = None, None
    try:
        echeancier = echeancier_convention(
            convention, occupation=PLEINE if convention.statut == StatutConvention.PROJET else REELLE
        )
    except AideImpossible as erreur:
        erreur_aide = str(erreur)
    renouvellement = Convention.objects.filter(precedente=convention).first()
    permises = actions_permises(services.etat_convention(convention)) if est_agent else frozenset()
    return {
        "echeancier": echeancier,
        "erreur_aide": erreur_aide,
        "aide_previsionnelle": convention.statut == StatutConvention.PROJET,
        "regle": REGLE_AIDE,
        "avenants": convention.avenants.select_related("affectation__titulaire").order_by("numero"),
        "historique": convention.history.select_related("history_user").order_by("-history_date")[:30],
        "renouvellement": renouvellement,
        "actions": {action: True for action in permises},
    }


class ActionConvention(RoleRequisMixin, FormView):
    """One action on one convention: the form, then the service; a refusal is shown on the form."""

    roles = (Role.AGENT,)
    template_name = "conventions/convention_action.html"
    titre = ""
    bouton = "Valider"
    explication = ""
    action = ""  # one of conventions.regles.ACTIONS
    # Irreversible actions first show what will happen (`annonce`) and run only once confirmed.
    titre_confirmation = ""
    bouton_confirmation = ""

    def annonce(self, donnees) -> list[str] | None:
        """What the action will do, sentence by sentence (None: no confirmation asked)."""
        return None

    def confirmation(self, donnees) -> dict | None:
        phrases = self.annonce(donnees)
        if phrases is None:
            return None
        return {
            "titre": self.titre_confirmation,
            "texte": phrases,
            "bouton": self.bouton_confirmation or self.bouton,
            "action": self.request.path,
            "annuler": reverse("conventions:detail", args=[self.convention.pk]),
        }

    @cached_property
    def convention(self) -> Convention:
        return get_object_or_404(conventions_visibles(self.request.user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        # The form of an action the rules do not allow now is not shown: the reason is (the page
        # does not offer the button; this answers an old link or a typed address).
        motif = motif_refus(self.action, services.etat_convention(self.convention))
        if motif:
            messages.error(request, motif)
            return redirect(reverse("conventions:detail", args=[self.convention.pk]))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            convention=self.convention, titre=self.titre, bouton=self.bouton, explication=self.explication, **kwargs
        )

    def form_valid(self, form):
        if "modifier" in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        if "confirmer" not in self.request.POST and (confirmation := self.confirmation(form.cleaned_data)):
            return self.render_to_response(self.get_context_data(form=form, confirmation=confirmation))
        try:
            message = self.executer(form.cleaned_data)
        except ValidationError as refus:
            if hasattr(refus, "error_dict"):
                for champ, erreurs in refus.message_dict.items():
                    form.add_error(champ if champ in form.fields else None, erreurs)
            else:
                form.add_error(None, refus.messages)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse("conventions:detail", args=[self.convention.pk])


class SignerConvention(ActionConvention):
    action = SIGNER
    form_class = formulaires.SignatureForm
    titre = "Signer la convention"
    bouton = "Enregistrer la signature"
    explication = (
        "La signature par le préfet rend la convention exécutoire. Le PDF signé est alors généré une fois pour "
        "toutes et archivé avec son empreinte SHA-256."
    )

    titre_confirmation = "Confirmez la signature de la convention"
    bouton_confirmation = "Confirmer la signature"

    def get_initial(self):
        return {"signataire": le_prefet_de(self.convention.poste.departement)}

    def annonce(self, donnees):
        c = self.convention
        return [
            f"La convention {c.numero} (poste {c.poste.identifiant}, {c.poste.employeur}) sera enregistrée comme signée "
            f"le {donnees['date_signature']:%d/%m/%Y} par « {donnees['signataire'].strip()} ».",
            "Son PDF signé sera généré une fois pour toutes et archivé avec son empreinte : la convention ne se "
            "modifiera plus que par avenant, et l’embauche sur le poste deviendra possible.",
        ]

    def executer(self, donnees):
        convention = services.signer(self.convention, auteur=self.request.user, **donnees)
        return (
            f"Convention {convention.numero} signée le {convention.date_signature:%d/%m/%Y} par {convention.signataire} : "
            f"son PDF signé est archivé et le poste {convention.poste.identifiant} peut recevoir une embauche."
        )


class ResilierConvention(ActionConvention):
    action = RESILIER
    form_class = formulaires.ResiliationForm
    titre = "Résilier la convention"
    bouton = "Résilier"
    explication = (
        "Le préfet résilie pour manquement, fausse déclaration ou absence de justificatifs pendant deux trimestres ; "
        "l’employeur peut demander la résiliation avec un préavis de deux mois."
    )

    titre_confirmation = "Confirmez la résiliation de la convention"
    bouton_confirmation = "Confirmer la résiliation"

    def annonce(self, donnees):
        c = self.convention
        motif = MotifResiliation(donnees["motif"]).label.lower()
        return [
            f"La convention {c.numero} (poste {c.poste.identifiant}, {c.poste.employeur}) sera résiliée à compter du "
            f"{donnees['date_effet']:%d/%m/%Y}, pour {motif}, notification du {donnees['date_notification']:%d/%m/%Y}.",
            f"L’aide de l’État ne sera plus due à partir de cette date (elle court jusqu’au "
            f"{donnees['date_effet'] - timedelta(days=1):%d/%m/%Y}) ; une convention résiliée ne se rétablit pas.",
        ]

    def executer(self, donnees):
        convention = services.resilier(self.convention, auteur=self.request.user, **donnees)
        return (
            f"Convention {convention.numero} résiliée à compter du {convention.date_resiliation:%d/%m/%Y} : l’aide "
            f"n’est plus due à partir de cette date. Statut du poste {convention.poste.identifiant} : "
            f"« {convention.poste.get_statut_display().lower()} »."
        )


class ConstaterCaducite(ActionConvention):
    """Lapse (nobody hired within five months of the start) recorded by an agent without waiting for
    the daily update: the page is the confirmation."""

    form_class = formulaires.CaduciteForm
    action = CADUCITE
    titre = "Constater la caducité de la convention"
    titre_confirmation = "Confirmez la caducité de la convention"
    bouton = "Confirmer la caducité"
    explication = (
        "Une convention signée devient caduque lorsque personne n’a été embauché sur le poste dans les cinq mois "
        "qui suivent son début. La mise à jour quotidienne le constate d’elle-même ; vous pouvez le faire dès "
        "aujourd’hui."
    )

    def annonce(self, donnees):
        c = self.convention
        return [
            f"La convention {c.numero} (poste {c.poste.identifiant}, {c.poste.employeur}) sera déclarée caduque : "
            f"personne n’a été embauché sur le poste avant le {date_limite_embauche(c.date_debut):%d/%m/%Y}.",
            "Aucune aide ne sera due au titre de cette convention, et aucune embauche ne pourra plus s’y rattacher.",
        ]

    def get_context_data(self, **kwargs):
        if services.caducite_constatable(self.convention):
            kwargs.setdefault("confirmation", self.confirmation({}))
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        if "confirmer" not in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        return super().form_valid(form)

    def executer(self, donnees):
        convention = services.constater_caducite(self.convention, auteur=self.request.user)
        return (
            f"Convention {convention.numero} déclarée caduque : personne n’a été embauché avant le "
            f"{date_limite_embauche(convention.date_debut):%d/%m/%Y}. Statut du poste {convention.poste.identifiant} : "
            f"« {convention.poste.get_statut_display().lower()} »."
        )


class RenouvelerConvention(ActionConvention):
    action = RENOUVELER
    form_class = formulaires.RenouvellementForm
    titre = "Renouveler la convention par accord exprès"
    bouton = "Créer le renouvellement"
    explication = (
        "Le renouvellement commence le lendemain de la fin de cette convention, pour trois ans au plus. Il est créé "
        "en projet, puis signé comme une convention initiale. Il est refusé s’il ferait dépasser l’enveloppe."
    )

    def get_initial(self):
        debut = self.convention.date_fin + timedelta(days=1)
        return {"date_fin": fin_maximale_convention(debut), "heures": self.convention.heures_hebdomadaires}

    def executer(self, donnees):
        self.nouvelle = services.renouveler(self.convention, auteur=self.request.user, **donnees)
        return (
            f"Renouvellement {self.nouvelle.numero} créé du {self.nouvelle.date_debut:%d/%m/%Y} au "
            f"{self.nouvelle.date_fin:%d/%m/%Y} : il reste à le signer."
        )

    def get_success_url(self):
        return reverse("conventions:detail", args=[self.nouvelle.pk])


class AvenantHeures(ActionConvention):
    action = AVENANT
    form_class = formulaires.AvenantHeuresForm
    titre = "Avenant : durée hebdomadaire de travail"
    bouton = "Enregistrer l’avenant"
    explication = (
        "Les nouvelles heures s’appliquent à partir de la date d’effet ; l’aide des jours précédents reste calculée "
        "avec les anciennes heures."
    )

    def executer(self, donnees):
        avenant = services.avenant_heures(self.convention, auteur=self.request.user, **donnees)
        return f"Avenant n° {avenant.numero} enregistré."


class AvenantTitulaire(VerificationMixin, ActionConvention):
    """The new titulaire goes through the eligibility check of a hire; a refusal shows the diagnosis."""

    action = AVENANT
    form_class = formulaires.AvenantTitulaireForm
    template_name = "conventions/convention_action.html"
    titre = "Avenant : changement de titulaire"
    bouton = "Enregistrer l’avenant"
    explication = (
        "L’affectation en cours se termine la veille de la date d’effet et une nouvelle affectation commence ; le poste "
        "et la convention restent les mêmes. Comme pour une embauche, l’éligibilité de la personne (art. L5134-102 du "
        "code du travail) est vérifiée à la date de signature de son contrat et le diagnostic est enregistré."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "titulaires": Titulaire.objects.for_user(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            diagnostic=getattr(self, "diagnostic", None),
            question=getattr(self, "question", None),
            suggestion=getattr(self, "suggestion", None),
            **kwargs,
        )

    def form_valid(self, form):
        self.question = self.lire_question(form)
        if self.question is None:
            return self.form_invalid(form)
        return super().form_valid(form)

    def executer(self, donnees):
        connu = donnees["titulaire"]
        embauche = Embauche(
            nom=connu.nom if connu else donnees["nom"],
            prenom=connu.prenom if connu else donnees["prenom"],
            date_debut=donnees["date_effet"],
            type_contrat=donnees["type_contrat"],
            question=self.question,
            titulaire=connu,
        )
        try:
            avenant = services.avenant_titulaire(
                self.convention,
                auteur=self.request.user,
                embauche=embauche,
                date_signature=donnees["date_signature"],
                description=donnees["description"],
            )
        except EmbaucheRefusee as refus:
            self.diagnostic = refus.diagnostic
            raise services.TransitionRefusee(refus.message) from None
        return (
            f"Avenant n° {avenant.numero} enregistré : {avenant.affectation.titulaire} occupe le poste à compter du "
            f"{avenant.date_effet:%d/%m/%Y}, avec son diagnostic d’éligibilité."
        )


@login_required
def convention_pdf(request, pk):
    """The convention's PDF: the stored signed archive (never regenerated), or a PROJET preview."""
    convention = get_object_or_404(conventions_visibles(request.user), pk=pk)
    try:
        contenu, signe = services.pdf_de_la_convention(convention)
    except services.PdfAltere as erreur:
        journal.error("PDF archivé refusé (convention %s) : %s", convention.pk, erreur)
        messages.error(request, f"{erreur} Il n’est pas servi : prévenez l’administrateur du service.")
        return redirect("conventions:detail", pk=convention.pk)
    reponse = HttpResponse(contenu, content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier_pdf(convention, signe)}"'  # safe name
    return reponse


class ConventionsZip(RoleRequisMixin, View):
    """The PDFs of the conventions of the list page, with its filters and the user's scope: the
    request records the demand and its job, and answers at once with the progress page; the worker
    builds the ZIP (conventions/archives.py)."""

    roles = (Role.AGENT,)

    def get(self, request):
        nombre = conventions_filtrees(request.user, request.GET.urlencode()).count()
        retour = f"{reverse('conventions:liste')}?{request.GET.urlencode()}"
        if nombre == 0:
            messages.warning(request, "Aucune convention ne correspond à ces critères : il n’y a rien à télécharger.")
            return redirect(retour)
        if nombre > ZIP_MAXIMUM:
            messages.warning(
                request, f"{nombre} conventions correspondent : affinez les filtres pour en télécharger au plus {ZIP_MAXIMUM}."
            )
            return redirect(retour)
        archive = demander_archive(request.user, request.GET.urlencode())
        return redirect("conventions:archive", archive.pk)


class SuiviArchive(RoleRequisMixin, View):
    """The progress of an archive, refreshed every 2 s until it is ready (then its link) or failed."""

    roles = (Role.AGENT,)

    def get(self, request, pk):
        archive = archive_du_demandeur(request.user, pk)
        if archive is None:
            raise Http404
        return render(request, "conventions/archive.html", {"archive": archive, "rafraichir_s": RAFRAICHIR_S})


class TelechargerArchive(RoleRequisMixin, View):
    """The stored ZIP, streamed through this view after the scope check."""

    roles = (Role.AGENT,)

    def get(self, request, pk):
        archive = archive_du_demandeur(request.user, pk)
        if archive is None or not archive.prete:
            raise Http404
        reponse = FileResponse(default_storage.open(archive.fichier, "rb"), content_type="application/zip")
        en_piece_jointe(reponse, f"conventions-{timezone.localdate(archive.demandee_le):%Y-%m-%d}", ".zip")
        return reponse


class PosteDetail(RoleRequisMixin, DetailView):
    template_name = "conventions/poste_detail.html"
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
    template_name = "conventions/convention_liste.html"
    nom_export = "conventions"
    colonnes_export = COLONNES_CONVENTIONS

    def get_queryset(self):
        return super().get_queryset().select_related("poste__employeur", "poste__departement").order_by("-date_debut", "numero")


class ConventionDetail(RoleRequisMixin, DetailView):
    template_name = "conventions/convention_detail.html"
    context_object_name = "convention"

    def get_queryset(self):
        return Convention.objects.for_user(self.request.user).select_related(
            "poste__employeur", "poste__departement", "precedente"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(contexte_convention(self.object, self.request.user))
        return context


class EnregistrerEmbauche(VerificationMixin, FormView):
    """From a post: check the person, then record the hire (titulaire, affectation, diagnosis)."""

    form_class = EmbaucheForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.poste = get_object_or_404(Poste.objects.for_user(request.user), identifiant=kwargs["identifiant"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(poste=self.poste, **kwargs)

    def form_valid(self, form):
        question, diagnostic = self.verifier(form)
        if question is None or self.request.POST.get("action") != "enregistrer":
            return self.afficher(form, question, diagnostic)
        donnees = form.cleaned_data
        embauche = Embauche(
            nom=donnees["nom"],
            prenom=donnees["prenom"],
            date_debut=donnees["date_debut"],
            type_contrat=donnees["type_contrat"],
            question=question,
        )
        try:
            affectation = enregistrer_embauche(self.poste, embauche, self.request.user)
        except EmbaucheRefusee as refus:
            form.add_error(None, refus.message)
            return self.afficher(form, question, refus.diagnostic or diagnostic)
        messages.success(
            self.request, f"Embauche de {affectation.titulaire} enregistrée sur le poste {self.poste}, avec son diagnostic."
        )
        return redirect("titulaires:detail", pk=affectation.titulaire_id)
