"""The request workflow: one function per action, each in one transaction, the request row locked.

Every transition is checked against `demandes/regles.py::TRANSITIONS` under the row lock
(`SELECT … FOR UPDATE` on the request), recorded as an `EvenementDemande` (author, time, message),
and the employer's members are told by e-mail through the outbox, in the same transaction (sent by
the worker once it is committed).

`accepter_demande()` creates the post and its draft convention and consumes one post of the
département's envelope for the year (`conventions.budget.reserver_poste`, under the envelope's
row lock): two agents accepting at the same moment cannot overrun the envelope.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from commun.quotas import erreur_brouillons, erreur_pieces
from comptes.models import Role, Utilisateur
from conventions.budget import BudgetInsuffisant, reserver_poste, verifier_budget_convention
from conventions.models import Convention, fin_maximale_convention
from conventions.regles import StatutConvention
from demandes import notifications
from demandes.models import Demande, EvenementDemande, NoteInstruction, PieceJointe, TypeEvenement
from demandes.regles import (
    Manque,
    SequenceEpuisee,
    StatutDemande,
    departement_de_la_demande,
    elements_manquants,
    erreur_transition,
    identifiant_poste,
    prefixe_identifiant,
    sequence_suivante,
)
from financements.enveloppes import EnveloppeInsuffisante
from postes.models import Poste
from postes.regles import StatutPoste
from quartiers.models import GEOGRAPHIE_EN_VIGUEUR, Departement

__all__ = ["EnveloppeInsuffisante"]


class ErreurDemande(Exception):
    """An action refused on a request; the message is French, for the person who tried."""


class DemandeIncomplete(ErreurDemande):
    def __init__(self, manques: list[Manque]):
        self.manques = manques
        super().__init__("La demande ne peut pas être déposée : " + " ".join(m.message for m in manques))


def _verrouiller(demande: Demande) -> Demande:
    return Demande.objects.select_for_update().get(pk=demande.pk)


def _changer_statut(demande: Demande, apres: str, auteur, type_evenement: str, message: str = "") -> EvenementDemande:
    erreur = erreur_transition(demande.statut, apres)
    if erreur:
        raise ErreurDemande(erreur)
    avant = demande.statut
    demande.statut = apres
    demande.save()
    return EvenementDemande.objects.create(
        demande=demande, type=type_evenement, statut_avant=avant, statut_apres=apres, auteur=auteur, message=message
    )


# --- Employer side: drafting ---------------------------------------------------------------------


def verifier_modifiable(demande: Demande) -> None:
    if not demande.modifiable_par_l_employeur:
        raise ErreurDemande(
            f"Cette demande est « {demande.get_statut_display().lower()} » : elle ne peut plus être modifiée "
            "(elle le redevient si la préfecture demande des compléments)."
        )


def taille_des_pieces(pieces) -> int:
    """Bytes of the attachments of `pieces` (a queryset)."""
    return pieces.aggregate(total=Sum("taille"))["total"] or 0


@transaction.atomic
def creer_demande(employeur, auteur) -> Demande:
    """A new draft for `employeur`, instructed (until a QPV is chosen) by the structure's département;
    or the structure's draft in which nothing has been saved yet, if there is one (never two empty
    drafts: `DemandeQuerySet.brouillons_vides`). Refused beyond DEMANDES_BROUILLONS_MAX drafts open at
    once for the structure. The structure's row is locked so that two clicks at once can neither
    create two drafts nor both pass the cap."""
    type(employeur).objects.select_for_update().get(pk=employeur.pk)
    vide = Demande.objects.brouillons_vides().filter(employeur=employeur).order_by("-pk").first()
    if vide is not None:
        return vide
    ouverts = Demande.objects.filter(employeur=employeur, statut=StatutDemande.BROUILLON).count()
    refus = erreur_brouillons(ouverts, settings.DEMANDES_BROUILLONS_MAX)
    if refus:
        raise ErreurDemande(refus)
    return Demande.objects.create(employeur=employeur, departement=employeur.departement, cree_par=auteur)


def _recalculer_departement(demande: Demande) -> None:
    codes = list(demande.quartiers.values_list("departement__code", flat=True))
    code = departement_de_la_demande(demande.employeur.departement.code, codes)
    if code != demande.departement.code:
        demande.departement = Departement.objects.get(code=code)
        demande.save(update_fields=["departement", "modifie_le"])


@transaction.atomic
def changer_structure(demande: Demande, employeur) -> Demande:
    demande = _verrouiller(demande)
    verifier_modifiable(demande)
    demande.employeur = employeur
    demande.save()
    _recalculer_departement(demande)
    return demande


@transaction.atomic
def ajouter_quartier(demande: Demande, quartier) -> None:
    """Add a QPV of intervention. All QPV of one request lie in one département, whose prefecture
    instructs it (the post is funded by that département's envelope)."""
    demande = _verrouiller(demande)
    verifier_modifiable(demande)
    if quartier.geographie != GEOGRAPHIE_EN_VIGUEUR:
        raise ErreurDemande(f"{quartier} n’appartient pas à la géographie prioritaire en vigueur.")
    autres = demande.quartiers.exclude(departement=quartier.departement).first()
    if autres is not None:
        raise ErreurDemande(
            f"{quartier} est dans le département {quartier.departement.code}, alors que {autres} est dans le "
            f"{autres.departement.code} : une demande porte sur les quartiers d’un seul département."
        )
    demande.quartiers.add(quartier)
    _recalculer_departement(demande)


@transaction.atomic
def retirer_quartier(demande: Demande, quartier) -> None:
    demande = _verrouiller(demande)
    verifier_modifiable(demande)
    demande.quartiers.remove(quartier)
    _recalculer_departement(demande)


@transaction.atomic
def ajouter_piece(demande: Demande, type_piece: str, fichier, format_, auteur) -> PieceJointe:
    """Store an uploaded file already checked by `commun.televersement.valider_fichier` (`format_`),
    within the caps of the request and of the structure (PIECES_JOINTES_TAILLE_PAR_DEMANDE,
    PIECES_JOINTES_TAILLE_PAR_STRUCTURE; the structure's row is locked while adding up)."""
    demande = _verrouiller(demande)
    verifier_modifiable(demande)
    type(demande.employeur).objects.select_for_update().filter(pk=demande.employeur_id).first()
    refus = erreur_pieces(
        fichier.size,
        taille_des_pieces(PieceJointe.objects.filter(demande=demande)),
        taille_des_pieces(PieceJointe.objects.filter(demande__employeur_id=demande.employeur_id)),
        settings.PIECES_JOINTES_TAILLE_PAR_DEMANDE,
        settings.PIECES_JOINTES_TAILLE_PAR_STRUCTURE,
    )
    if refus:
        raise ErreurDemande(refus)
    piece = PieceJointe(
        demande=demande,
        type_piece=type_piece,
        nom_original=(fichier.name or "document")[:255],
        type_contenu=format_.type_mime,
        taille=fichier.size,
        depose_par=auteur,
    )
    piece.fichier.save(fichier.name or "document", fichier, save=False)
    try:
        piece.save()
    except Exception:
        piece.fichier.delete(save=False)
        raise
    demande.save(update_fields=["modifie_le"])
    return piece


@transaction.atomic
def supprimer_piece(piece: PieceJointe) -> None:
    demande = _verrouiller(piece.demande)
    verifier_modifiable(demande)
    stockage, nom = piece.fichier.storage, piece.fichier.name
    piece.delete()
    transaction.on_commit(lambda: stockage.delete(nom))


@transaction.atomic
def supprimer_brouillon(demande: Demande) -> None:
    demande = _verrouiller(demande)
    if demande.statut != StatutDemande.BROUILLON:
        raise ErreurDemande("Seul un brouillon peut être supprimé ; une demande déposée reste au dossier.")
    fichiers = [(p.fichier.storage, p.fichier.name) for p in demande.pieces.all()]
    demande.delete()
    transaction.on_commit(lambda: [stockage.delete(nom) for stockage, nom in fichiers])


def elements_manquants_de(demande: Demande, aujourd_hui: date | None = None) -> list[Manque]:
    """What prevents filing this request, item by item (see demandes/regles.py)."""
    return elements_manquants(
        forme_juridique=demande.employeur.forme_juridique,
        projet=demande.projet,
        missions=demande.missions,
        nombre_domaines=demande.domaines.count(),
        departements_quartiers=list(demande.quartiers.values_list("departement__code", flat=True)),
        heures_hebdomadaires=demande.heures_hebdomadaires,
        date_debut_souhaitee=demande.date_debut_souhaitee,
        budget_previsionnel=demande.budget_previsionnel,
        pieces=set(demande.pieces.values_list("type_piece", flat=True)),
        aujourd_hui=aujourd_hui or timezone.localdate(),
    )


@transaction.atomic
def deposer_demande(demande: Demande, auteur) -> Demande:
    """File a draft (→ déposée) or file again a request the prefecture sent back (→ en instruction).
    Refused with the list of what is missing when the request is incomplete or the employer ineligible."""
    demande = _verrouiller(demande)
    verifier_modifiable(demande)
    manques = elements_manquants_de(demande)
    if manques:
        raise DemandeIncomplete(manques)
    if demande.statut == StatutDemande.BROUILLON:
        demande.date_depot = timezone.now()
        _changer_statut(demande, StatutDemande.DEPOSEE, auteur, TypeEvenement.DEPOT)
        notifications.notifier_depot(demande, False)
    else:
        _changer_statut(demande, StatutDemande.EN_INSTRUCTION, auteur, TypeEvenement.NOUVEAU_DEPOT)
        notifications.notifier_depot(demande, True)
    return demande


# --- Prefecture side: instruction ----------------------------------------------------------------


def instructeurs_possibles(departement):
    """Active agents following the request's département."""
    return Utilisateur.objects.filter(role=Role.AGENT, is_active=True, departements=departement).order_by("nom", "prenom")


def _designer_si_vacant(demande: Demande, auteur) -> None:
    if demande.instructeur_id is None and instructeurs_possibles(demande.departement).filter(pk=auteur.pk).exists():
        demande.instructeur = auteur


@transaction.atomic
def prendre_en_instruction(demande: Demande, auteur) -> Demande:
    demande = _verrouiller(demande)
    _designer_si_vacant(demande, auteur)
    _changer_statut(demande, StatutDemande.EN_INSTRUCTION, auteur, TypeEvenement.PRISE_EN_INSTRUCTION)
    return demande


@transaction.atomic
def affecter_instructeur(demande: Demande, instructeur, auteur) -> Demande:
    demande = _verrouiller(demande)
    if demande.decidee:
        raise ErreurDemande("Cette demande est décidée : son instructeur ne change plus.")
    if demande.statut == StatutDemande.BROUILLON:
        raise ErreurDemande("Une demande au brouillon n’a pas encore d’instructeur.")
    if not instructeurs_possibles(demande.departement).filter(pk=instructeur.pk).exists():
        raise ErreurDemande(
            f"{instructeur} n’est pas agent du département {demande.departement.code} : "
            "choisissez un agent qui suit ce département."
        )
    demande.instructeur = instructeur
    demande.save()
    EvenementDemande.objects.create(
        demande=demande,
        type=TypeEvenement.AFFECTATION,
        statut_avant=demande.statut,
        statut_apres=demande.statut,
        auteur=auteur,
        message=f"Instruction confiée à {instructeur.nom_complet or instructeur.email}.",
    )
    return demande


def ajouter_note(demande: Demande, auteur, texte: str) -> NoteInstruction:
    texte = (texte or "").strip()
    if not texte:
        raise ErreurDemande("La note est vide : écrivez son texte.")
    if Demande.objects.filter(pk=demande.pk, statut=StatutDemande.BROUILLON).exists():
        raise ErreurDemande("Une demande au brouillon n’est pas encore instruite.")
    return NoteInstruction.objects.create(demande=demande, auteur=auteur, texte=texte)


@transaction.atomic
def demander_complements(demande: Demande, auteur, message: str) -> Demande:
    """Send the request back to the employer with what to add; they can edit it and file it again."""
    message = (message or "").strip()
    if not message:
        raise ErreurDemande("Indiquez à l’employeur ce qu’il doit compléter : le message est obligatoire.")
    demande = _verrouiller(demande)
    _changer_statut(demande, StatutDemande.A_COMPLETER, auteur, TypeEvenement.DEMANDE_COMPLEMENTS, message)
    notifications.notifier_complements(demande, message)
    return demande


@transaction.atomic
def reprendre_instruction(demande: Demande, auteur) -> Demande:
    """The prefecture takes back a request awaiting completion (without waiting for the employer)."""
    demande = _verrouiller(demande)
    _changer_statut(demande, StatutDemande.EN_INSTRUCTION, auteur, TypeEvenement.REPRISE_INSTRUCTION)
    return demande


def _decider(demande: Demande, statut: str, type_evenement: str, auteur, motif: str) -> Demande:
    demande.date_decision = timezone.now()
    demande.motif_decision = motif
    _designer_si_vacant(demande, auteur)
    _changer_statut(demande, statut, auteur, type_evenement, motif)
    notifications.notifier_decision(demande)
    return demande


@transaction.atomic
def refuser_demande(demande: Demande, auteur, motif: str) -> Demande:
    motif = (motif or "").strip()
    if not motif:
        raise ErreurDemande("Un refus doit être motivé : indiquez le motif de la décision.")
    demande = _verrouiller(demande)
    return _decider(demande, StatutDemande.REFUSEE, TypeEvenement.REFUS, auteur, motif)


@transaction.atomic
def classer_sans_suite(demande: Demande, auteur, motif: str = "") -> Demande:
    demande = _verrouiller(demande)
    return _decider(demande, StatutDemande.CLASSEE_SANS_SUITE, TypeEvenement.CLASSEMENT, auteur, (motif or "").strip())


def _prochain_identifiant(departement, annee: int) -> str:
    prefixe = prefixe_identifiant(departement.code, annee)
    existants = list(Poste.objects.filter(identifiant__startswith=prefixe).values_list("identifiant", flat=True))
    try:
        sequence = sequence_suivante(existants, prefixe)
    except SequenceEpuisee as erreur:
        raise ErreurDemande(f"{erreur} La demande reste en instruction : prévenez l’administrateur national.") from erreur
    return identifiant_poste(departement.code, annee, sequence)


@transaction.atomic
def accepter_demande(demande: Demande, auteur, motif: str = "") -> Poste:
    """Accept a request: create its post and draft convention, consuming one post of the envelope.

    Locks, in this order: the request row (no second decision), then the envelope row of the
    département for the year of the desired start (or of today) — `reserver_poste()` refuses with
    `EnveloppeInsuffisante` when no envelope is open or when it is used up, in posts or, for the
    aid of the new convention at full occupancy, in euros (`verifier_budget_convention`). The post identifier is
    département (3) + year (2) + `R` + next sequence of that département and year (4) + `01`; the
    convention `<identifiant>-1` runs from the desired start for three years minus a day (D5134-147)."""
    demande = _verrouiller(demande)
    erreur = erreur_transition(demande.statut, StatutDemande.ACCEPTEE)
    if erreur:
        raise ErreurDemande(erreur)
    debut = demande.date_debut_souhaitee or timezone.localdate()
    annee = debut.year
    reserver_poste(demande.departement, annee)

    identifiant = _prochain_identifiant(demande.departement, annee)
    poste = Poste.objects.create(
        identifiant=identifiant,
        employeur=demande.employeur,
        departement=demande.departement,
        intitule=demande.intitule,
        missions=demande.missions,
        heures_hebdomadaires=demande.heures_hebdomadaires,
        statut=StatutPoste.EN_ATTENTE,
    )
    poste.domaines.set(demande.domaines.all())
    poste.quartiers.set(demande.quartiers.all())
    convention = Convention.objects.create(
        poste=poste,
        numero=f"{identifiant}-1",
        date_debut=debut,
        date_fin=fin_maximale_convention(debut),
        statut=StatutConvention.PROJET,
        heures_hebdomadaires=demande.heures_hebdomadaires,
    )
    # The envelope's euros too: the aid of this convention at full occupancy, year by year.
    try:
        verifier_budget_convention(convention)
    except BudgetInsuffisant as erreur:
        raise EnveloppeInsuffisante(" ".join(erreur.messages)) from erreur
    demande.poste = poste
    demande.annee_enveloppe = annee
    _decider(demande, StatutDemande.ACCEPTEE, TypeEvenement.ACCEPTATION, auteur, (motif or "").strip())
    return poste
