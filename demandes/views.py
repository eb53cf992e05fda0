"""Pages of the request workflow: the employer's form in steps, the instructors' inbox and actions.

Every request is reached through `Demande.objects.for_user()`; drafts are private to the employer
(agents and administrators see a request once it is filed). Anything else answers 404."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, TextField
from django.db.models.functions import Cast
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commun.recherche import rechercher
from commun.televersement import reponse_piece
from commun.vues import ExportListeMixin, ListeFiltreeView, RoleRequisMixin, objet_ou_404, role_requis
from comptes.models import Role
from conventions.budget import situation_enveloppe
from conventions.models import Convention
from demandes import services as services
from demandes.exports import COLONNES_DEMANDES
from demandes.filtres import DemandeFiltre, MesDemandesFiltre
from demandes.forms import (
    AffectationForm,
    ComplementsForm,
    DecisionForm,
    EtapeFinancementForm,
    EtapeOrganisationForm,
    EtapeProjetForm,
    EtapeStructureForm,
    NoteForm,
    PieceJointeForm,
    RechercheQuartierForm,
)
from demandes.models import Demande, EvenementDemande, NoteInstruction, PieceJointe, TypeEvenement
from demandes.regles import StatutDemande, TypePiece, actions_agent, pieces_exigees
from employeurs.forms import StructureActiveForm
from employeurs.structure_active import structure_active, structures_de
from financements.enveloppes import EnveloppeInsuffisante
from postes.models import Poste
from quartiers.models import QuartierPrioritaire

ETAPES = [
    ("structure", "Structure"),
    ("projet", "Projet et missions"),
    ("quartiers", "Quartiers d’intervention"),
    ("organisation", "Temps de travail et date de début"),
    ("financement", "Financement"),
    ("pieces", "Pièces justificatives"),
    ("recapitulatif", "Récapitulatif et dépôt"),
]
NOMS_ETAPES = [nom for nom, _ in ETAPES]
RESULTATS_QUARTIERS_MAX = 20


def demandes_visibles(user):
    """Requests the user may open: their structures' for an employer; filed ones in scope otherwise
    (the rule on drafts lives in `DemandeQuerySet.for_user`)."""
    return Demande.objects.for_user(user)


def _demande_de_l_employeur(request, pk):
    return get_object_or_404(
        Demande.objects.for_user(request.user).select_related("employeur__departement", "departement"), pk=pk
    )


def _annee_enveloppe(demande) -> int:
    return (demande.date_debut_souhaitee or timezone.localdate()).year


# --- Lists -----------------------------------------------------------------------------------------


class DemandeListe(RoleRequisMixin, ExportListeMixin, ListeFiltreeView):
    """The instructors' inbox, with the envelope of the year of each département they follow."""

    roles = (Role.AGENT,)
    model = Demande
    filterset_class = DemandeFiltre
    template_name = "demandes/liste.html"
    nom_export = "demandes"
    colonnes_export = COLONNES_DEMANDES

    def get_queryset(self):
        return (
            demandes_visibles(self.request.user)
            .select_related("employeur", "departement", "instructeur", "poste")
            .prefetch_related("quartiers", "domaines")
            .order_by("-date_depot", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        annee = timezone.localdate().year
        if user.est_agent:
            departements = list(user.departements.order_by("code"))
        else:
            choisi = self.filterset.form.cleaned_data.get("departement") if self.filterset.form.is_valid() else None
            departements = [choisi] if choisi else []
        context["enveloppes"] = [situation_enveloppe(d, annee) for d in departements]
        return context


class MesDemandes(RoleRequisMixin, ListeFiltreeView):
    roles = (Role.EMPLOYEUR,)
    model = Demande
    filterset_class = MesDemandesFiltre
    template_name = "demandes/mes_demandes.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.est_employeur:
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .sans_brouillons_vides()
            .select_related("employeur", "departement", "poste")
            .order_by("-modifie_le", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structure_active"] = structure_active(self.request)
        return context


# --- Employer: drafting in steps -------------------------------------------------------------------


@require_POST
@role_requis(Role.EMPLOYEUR, admin_national=False)
def nouvelle(request):
    structure = structure_active(request)
    if structure is None:
        messages.error(request, "Votre compte n’est rattaché à aucune structure : demandez une invitation à la préfecture.")
        return redirect("espace_employeur")
    try:
        demande = services.creer_demande(structure, request.user)
    except services.ErreurDemande as erreur:
        messages.error(request, str(erreur))
        return redirect("demandes:mes_demandes")
    messages.success(
        request,
        f"Nouvelle demande pour {structure} : elle est enregistrée comme brouillon dès que vous remplissez une étape.",
    )
    return redirect("demandes:etape", pk=demande.pk, etape="projet")


def _contexte_etape(demande, etape):
    rang = NOMS_ETAPES.index(etape)
    return {
        "demande": demande,
        "etape": etape,
        "etapes": [
            {"nom": nom, "titre": titre, "rang": i + 1, "courante": nom == etape} for i, (nom, titre) in enumerate(ETAPES)
        ],
        "rang": rang + 1,
        "total": len(ETAPES),
        "titre_etape": ETAPES[rang][1],
        "etape_suivante": ETAPES[rang + 1] if rang + 1 < len(ETAPES) else None,
        "etape_precedente": ETAPES[rang - 1] if rang > 0 else None,
        "message_complements": _dernier_message_complements(demande),
    }


def _apres_enregistrement(request, demande, etape):
    if "precedente" in request.POST:
        precedente = NOMS_ETAPES[max(NOMS_ETAPES.index(etape) - 1, 0)]
        return redirect("demandes:etape", pk=demande.pk, etape=precedente)
    if "suite" in request.POST:
        suivante = NOMS_ETAPES[min(NOMS_ETAPES.index(etape) + 1, len(NOMS_ETAPES) - 1)]
        return redirect("demandes:etape", pk=demande.pk, etape=suivante)
    messages.success(request, "Brouillon enregistré.")
    return redirect("demandes:etape", pk=demande.pk, etape=etape)


@role_requis(Role.EMPLOYEUR, admin_national=False)
def etape(request, pk, etape):
    if etape not in NOMS_ETAPES:
        raise Http404("Étape inconnue.")
    demande = _demande_de_l_employeur(request, pk)
    if not demande.modifiable_par_l_employeur:
        messages.error(request, f"Cette demande est « {demande.get_statut_display().lower()} » : elle n’est plus modifiable.")
        return redirect("demandes:detail", pk=demande.pk)
    context = _contexte_etape(demande, etape)
    try:
        reponse = ETAPES_VUES[etape](request, demande, context)
    except services.ErreurDemande as erreur:
        messages.error(request, str(erreur))
        return redirect("demandes:etape", pk=demande.pk, etape=etape)
    if reponse is not None:
        return reponse
    gabarit = "formulaire" if etape in ETAPES_FORMULAIRE else etape
    return render(request, f"demandes/etapes/{gabarit}.html", context)


def _etape_structure(request, demande, context):
    structures = structures_de(request.user)
    form = EtapeStructureForm(request.POST or None, structures=structures, initial={"employeur": demande.employeur})
    if request.method == "POST" and form.is_valid():
        services.changer_structure(demande, form.cleaned_data["employeur"])
        return _apres_enregistrement(request, demande, "structure")
    context["form"] = form


# What a person typed in a step and could not be saved yet (a field to correct) when they went back a
# step: kept in the session, and put back in the step's form (with its errors) when they return.
CHAMPS_NON_SAISIS = {"csrfmiddlewaretoken", "precedente", "suite", "enregistrer"}


def _cle_saisie(demande, etape):
    return f"saisie-demande-{demande.pk}-{etape}"


def _revenir_en_gardant_la_saisie(request, demande, etape):
    request.session[_cle_saisie(demande, etape)] = {
        cle: request.POST.getlist(cle) for cle in request.POST if cle not in CHAMPS_NON_SAISIS
    }
    messages.warning(
        request,
        f"Ce que vous avez saisi à l’étape « {dict(ETAPES)[etape]} » n’est pas encore enregistré : un champ est à "
        "corriger. Vous le retrouverez tel quel en revenant à cette étape.",
    )
    precedente = NOMS_ETAPES[max(NOMS_ETAPES.index(etape) - 1, 0)]
    return redirect("demandes:etape", pk=demande.pk, etape=precedente)


def _saisie_gardee(request, demande, etape):
    saisie = request.session.pop(_cle_saisie(demande, etape), None)
    if saisie is None:
        return None
    donnees = QueryDict(mutable=True)
    for cle, valeurs in saisie.items():
        donnees.setlist(cle, valeurs)
    return donnees


def _etape_modele(formulaire, nom):
    def vue(request, demande, context):
        donnees = request.POST if request.method == "POST" else _saisie_gardee(request, demande, nom)
        form = formulaire(donnees, instance=demande)
        if request.method == "POST":
            if form.is_valid():
                form.save()
                return _apres_enregistrement(request, demande, nom)
            if "precedente" in request.POST:
                return _revenir_en_gardant_la_saisie(request, demande, nom)
        context["form"] = form

    return vue


def _etape_quartiers(request, demande, context):
    if request.method == "POST":
        if "ajouter" in request.POST:
            quartier = objet_ou_404(QuartierPrioritaire.objects.for_user(request.user), request.POST["ajouter"])
            services.ajouter_quartier(demande, quartier)
            messages.success(request, f"{quartier} ajouté.")
        elif "retirer" in request.POST:
            quartier = objet_ou_404(demande.quartiers.all(), request.POST["retirer"])
            services.retirer_quartier(demande, quartier)
            messages.success(request, f"{quartier} retiré.")
        else:
            return _apres_enregistrement(request, demande, "quartiers")
        return redirect(reverse("demandes:etape", args=[demande.pk, "quartiers"]) + _requete(request.POST.get("q", "")))
    form = RechercheQuartierForm(request.GET or None)
    choisis = list(demande.quartiers.select_related("departement").order_by("nom"))
    resultats = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        quartiers = (
            QuartierPrioritaire.objects.for_user(request.user)
            .en_vigueur()
            .select_related("departement")
            .annotate(communes_texte=Cast("communes", TextField()))
        )
        resultats = list(
            rechercher(quartiers, form.cleaned_data["q"], ["nom", "code", "communes_texte"])
            .exclude(pk__in=[q.pk for q in choisis])
            .order_by("nom")[: RESULTATS_QUARTIERS_MAX + 1]
        )
    context.update(
        form=form,
        choisis=choisis,
        resultats=resultats[:RESULTATS_QUARTIERS_MAX],
        resultats_tronques=len(resultats) > RESULTATS_QUARTIERS_MAX,
        q=form.cleaned_data.get("q", "") if form.is_valid() else "",
    )


def _requete(q):
    return "?" + urlencode({"q": q}) if q else ""


def _etape_pieces(request, demande, context):
    taille_max = settings.PIECES_JOINTES_TAILLE_MAX
    form = PieceJointeForm(taille_max=taille_max)
    if request.method == "POST":
        if "supprimer" in request.POST:
            piece = objet_ou_404(demande.pieces.all(), request.POST["supprimer"])
            services.supprimer_piece(piece)
            messages.success(request, f"Pièce « {piece.nom_original} » supprimée.")
            return redirect("demandes:etape", pk=demande.pk, etape="pieces")
        if "ajouter" not in request.POST and not request.FILES:  # « Enregistrer » without a new file
            return _apres_enregistrement(request, demande, "pieces")
        form = PieceJointeForm(request.POST, request.FILES, taille_max=taille_max)
        if form.is_valid():
            fichier = form.cleaned_data["fichier"]
            services.ajouter_piece(demande, form.cleaned_data["type_piece"], fichier, form.format_detecte, request.user)
            messages.success(request, f"Pièce « {fichier.name} » ajoutée.")
            return (
                _apres_enregistrement(request, demande, "pieces")
                if "suite" in request.POST
                else redirect("demandes:etape", pk=demande.pk, etape="pieces")
            )
    exigees = pieces_exigees(demande.employeur.forme_juridique)
    presentes = set(demande.pieces.values_list("type_piece", flat=True))
    context.update(
        form=form,
        pieces=demande.pieces.all(),
        exigees=[(TypePiece(t).label, t in presentes) for t in exigees],
    )


def _manques(demande):
    """What prevents filing, each item with the title of the step where it is fixed."""
    titres = dict(ETAPES)
    return [
        {"message": m.message, "etape": m.etape, "titre_etape": titres[m.etape]} for m in services.elements_manquants_de(demande)
    ]


def _etape_recapitulatif(request, demande, context):
    context.update(manques=_manques(demande), pieces=demande.pieces.all())


ETAPES_FORMULAIRE = {"projet", "organisation", "financement"}  # one form on the request's fields
ETAPES_VUES = {
    "structure": _etape_structure,
    "projet": _etape_modele(EtapeProjetForm, "projet"),
    "quartiers": _etape_quartiers,
    "organisation": _etape_modele(EtapeOrganisationForm, "organisation"),
    "financement": _etape_modele(EtapeFinancementForm, "financement"),
    "pieces": _etape_pieces,
    "recapitulatif": _etape_recapitulatif,
}


@require_POST
@role_requis(Role.EMPLOYEUR, admin_national=False)
def deposer(request, pk):
    demande = _demande_de_l_employeur(request, pk)
    deja_deposee = demande.statut == StatutDemande.A_COMPLETER
    try:
        services.deposer_demande(demande, request.user)
    except services.DemandeIncomplete as erreur:
        messages.error(
            request,
            f"La demande ne peut pas encore être déposée : {len(erreur.manques)} élément"
            f"{'s' if len(erreur.manques) > 1 else ''} à compléter (liste ci-dessous).",
        )
        return redirect("demandes:etape", pk=demande.pk, etape="recapitulatif")
    except services.ErreurDemande as erreur:
        messages.error(request, str(erreur))
        return redirect("demandes:detail", pk=demande.pk)
    if deja_deposee:
        messages.success(request, "Demande complétée et déposée à nouveau : la préfecture reprend son instruction.")
    else:
        messages.success(request, "Demande déposée. Un accusé de réception vous a été envoyé par courriel.")
    return redirect("demandes:detail", pk=demande.pk)


@require_POST
@role_requis(Role.EMPLOYEUR, admin_national=False)
def supprimer(request, pk):
    demande = _demande_de_l_employeur(request, pk)
    try:
        services.supprimer_brouillon(demande)
    except services.ErreurDemande as erreur:
        messages.error(request, str(erreur))
        return redirect("demandes:detail", pk=demande.pk)
    messages.success(request, f"Brouillon n° {demande.numero} supprimé.")
    return redirect("demandes:mes_demandes")


# --- Request page (both sides) -----------------------------------------------------------------


def _dernier_message_complements(demande):
    if demande.statut != StatutDemande.A_COMPLETER:
        return ""
    evenement = demande.evenements.filter(type=TypeEvenement.DEMANDE_COMPLEMENTS).order_by("-date", "-pk").first()
    return evenement.message if evenement else ""


def _contexte_detail(request, demande, **formulaires):
    user = request.user
    agent = not user.est_employeur
    evenements = EvenementDemande.objects.for_user(user).filter(demande=demande).select_related("auteur")
    context = {
        "demande": demande,
        "vue_agent": agent,
        "evenements": [e for e in evenements if agent or e.visible_par_l_employeur],
        "pieces": demande.pieces.all(),
        "message_complements": _dernier_message_complements(demande),
    }
    if agent:
        agents = services.instructeurs_possibles(demande.departement)
        context.update(
            notes=NoteInstruction.objects.for_user(user).filter(demande=demande).select_related("auteur"),
            form_note=formulaires.get("form_note") or NoteForm(),
            form_affectation=formulaires.get("form_affectation")
            or AffectationForm(agents=agents, initial={"instructeur": demande.instructeur_id}),
            form_complements=formulaires.get("form_complements") or ComplementsForm(),
            form_decision=formulaires.get("form_decision") or DecisionForm(),
            enveloppe=situation_enveloppe(demande.departement, _annee_enveloppe(demande)),
            actions={action: True for action in actions_agent(demande.statut)},
        )
    elif demande.modifiable_par_l_employeur:
        context["manques"] = _manques(demande)
    return context


@role_requis(Role.AGENT, Role.EMPLOYEUR)
def detail(request, pk):
    demande = get_object_or_404(
        demandes_visibles(request.user)
        .select_related("employeur__departement", "departement", "instructeur", "poste", "cree_par")
        .prefetch_related(
            "quartiers", "domaines", Prefetch("pieces", queryset=PieceJointe.objects.order_by("type_piece", "depose_le"))
        ),
        pk=pk,
    )
    return render(request, "demandes/detail.html", _contexte_detail(request, demande))


@role_requis(Role.AGENT, Role.EMPLOYEUR)
def piece(request, pk):
    """Download an attachment: only through the scope of its request (404 otherwise)."""
    piece = get_object_or_404(
        PieceJointe.objects.for_user(request.user).filter(demande__in=demandes_visibles(request.user)), pk=pk
    )
    return reponse_piece(piece.fichier, piece.nom_original, piece.type_contenu)


# --- Prefecture: instruction actions -------------------------------------------------------------


def _action_agent(request, pk, action, formulaire=None, nom_formulaire=None, annonce=None, **kwargs_formulaire):
    """An instruction action from the request page. With `annonce` (an irreversible action), a valid
    form first shows what will happen, and the action runs once « Confirmer » is pressed."""
    demande = get_object_or_404(demandes_visibles(request.user), pk=pk)
    donnees = {}
    if formulaire is not None:
        form = formulaire(request.POST, **kwargs_formulaire)

        def page(**extra):
            complete = get_object_or_404(
                demandes_visibles(request.user).select_related("employeur__departement", "departement", "instructeur", "poste"),
                pk=pk,
            )
            return render(
                request, "demandes/detail.html", {**_contexte_detail(request, complete, **{nom_formulaire: form}), **extra}
            )

        if not form.is_valid():
            messages.error(request, "Le formulaire contient des erreurs : corrigez-les ci-dessous.")
            return page()
        donnees = form.cleaned_data
        if annonce is not None and "modifier" in request.POST:
            return page()
        if annonce is not None and "confirmer" not in request.POST:
            titre, phrases, bouton = annonce(demande, donnees)
            return page(
                form=form,
                confirmation={
                    "titre": titre,
                    "texte": phrases,
                    "bouton": bouton,
                    "action": request.path,
                    "annuler": reverse("demandes:detail", args=[pk]),
                },
            )
    try:
        message = action(demande, donnees)
    except (services.ErreurDemande, EnveloppeInsuffisante) as erreur:
        messages.error(request, str(erreur))
    else:
        messages.success(request, message)
    return redirect("demandes:detail", pk=pk)


@require_POST
@role_requis(Role.AGENT)
def instruire(request, pk):
    def action(demande, _):
        services.prendre_en_instruction(demande, request.user)
        return "Instruction commencée."

    return _action_agent(request, pk, action)


@require_POST
@role_requis(Role.AGENT)
def affecter(request, pk):
    demande = get_object_or_404(demandes_visibles(request.user), pk=pk)

    def action(demande, donnees):
        services.affecter_instructeur(demande, donnees["instructeur"], request.user)
        return f"Instruction confiée à {donnees['instructeur'].nom_complet or donnees['instructeur'].email}."

    return _action_agent(
        request, pk, action, AffectationForm, "form_affectation", agents=services.instructeurs_possibles(demande.departement)
    )


@require_POST
@role_requis(Role.AGENT)
def noter(request, pk):
    def action(demande, donnees):
        services.ajouter_note(demande, request.user, donnees["texte"])
        return "Note enregistrée (visible des seuls agents)."

    return _action_agent(request, pk, action, NoteForm, "form_note")


@require_POST
@role_requis(Role.AGENT)
def completer(request, pk):
    def action(demande, donnees):
        services.demander_complements(demande, request.user, donnees["message"])
        return "Compléments demandés : l’employeur est prévenu par courriel et peut modifier sa demande."

    return _action_agent(request, pk, action, ComplementsForm, "form_complements")


@require_POST
@role_requis(Role.AGENT)
def reprendre(request, pk):
    def action(demande, _):
        services.reprendre_instruction(demande, request.user)
        return "Instruction reprise."

    return _action_agent(request, pk, action)


@require_POST
@role_requis(Role.AGENT)
def decider(request, pk):
    def annonce(demande, donnees):
        decision, motif = donnees["decision"], donnees["motif"].strip()
        qui = f"la demande n° {demande.numero} de {demande.employeur}"
        avec_motif = f", avec le motif : « {motif} »" if motif else ""
        if decision == DecisionForm.ACCEPTER:
            annee = _annee_enveloppe(demande)
            return (
                "Confirmez l’acceptation de la demande",
                [
                    f"Vous allez accepter {qui}.",
                    f"Un poste et son projet de convention seront créés, et un poste de l’enveloppe {annee} du "
                    f"département {demande.departement} sera réservé. L’employeur en sera prévenu par courriel{avec_motif}.",
                ],
                "Confirmer l’acceptation",
            )
        if decision == DecisionForm.REFUSER:
            return (
                "Confirmez le refus de la demande",
                [f"Vous allez refuser {qui}.", f"L’employeur en sera prévenu par courriel{avec_motif}."],
                "Confirmer le refus",
            )
        return (
            "Confirmez le classement sans suite",
            [f"Vous allez classer sans suite {qui}.", f"L’employeur en sera prévenu par courriel{avec_motif}."],
            "Confirmer le classement sans suite",
        )

    def action(demande, donnees):
        decision, motif = donnees["decision"], donnees["motif"]
        if decision == DecisionForm.ACCEPTER:
            poste = services.accepter_demande(demande, request.user, motif)
            return (
                f"Demande n° {demande.numero} acceptée : poste {poste.identifiant} créé, avec son projet de convention "
                f"{poste.identifiant}-1 à signer. L’employeur est prévenu par courriel."
            )
        if decision == DecisionForm.REFUSER:
            services.refuser_demande(demande, request.user, motif)
            return f"Demande n° {demande.numero} refusée : l’employeur est prévenu par courriel, avec le motif."
        services.classer_sans_suite(demande, request.user, motif)
        return f"Demande n° {demande.numero} classée sans suite : l’employeur est prévenu par courriel."

    return _action_agent(request, pk, action, DecisionForm, "form_decision", annonce=annonce)


@login_required
def accueil(request):
    if request.user.est_employeur:
        return redirect("espace_employeur")
    return redirect("postes:liste")


@login_required
def espace_employeur(request):
    """Employer home: the posts and conventions of their structures."""
    if not request.user.est_employeur:
        return redirect("postes:liste")
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
        "demandes/espace_employeur.html",
        {
            "postes": postes,
            "structures": structures,
            "structure_active": active,
            "demandes": demandes[:10],
            "form_structure": StructureActiveForm(structures=structures, initial={"structure": active}),
        },
    )
