"""Recording a hire on a post: the titulaire, their affectation and the eligibility diagnosis, in one
transaction with the post locked, or nothing at all."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from conventions.regles import STATUTS_EN_VIGUEUR
from postes.models import Poste
from quartiers.residence import Mode
from titulaires.models import Affectation, Titulaire
from titulaires.regles import Diagnostic, jj_mm_aaaa
from titulaires.services import Question, enregistrer_diagnostic, evaluer

# No hiring before signature, nor after the convention has ended (art. D5134-147 à D5134-154).
STATUTS_PERMETTANT_L_EMBAUCHE = STATUTS_EN_VIGUEUR


@dataclass(frozen=True)
class Embauche:
    nom: str
    prenom: str
    date_debut: date
    type_contrat: str
    question: Question  # birth date, contract signature date, situation, residence, derogation
    titulaire: Titulaire | None = None  # a person already known (then nom and prénom are theirs)


class EmbaucheRefusee(Exception):
    def __init__(self, message: str, diagnostic: Diagnostic | None = None):
        super().__init__(message)
        self.message = message
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class PeriodeConvention:
    statut: str
    date_signature: date | None
    date_debut: date
    date_fin: date


def motif_hors_convention(conventions: list[PeriodeConvention], prise_de_poste: date, signature_contrat: date) -> str | None:
    """No hiring before the convention is signed (conventions: art. D5134-147 to D5134-154): the
    start of the job falls within a signed convention of the post, and the employment contract is
    not signed before it. Returns why the hire is refused, or None."""
    couvrantes = [
        c for c in conventions if c.statut in STATUTS_PERMETTANT_L_EMBAUCHE and c.date_debut <= prise_de_poste <= c.date_fin
    ]
    if not couvrantes:
        return (
            f"Aucune convention signée du poste ne couvre la prise de poste du {jj_mm_aaaa(prise_de_poste)} : "
            "l’embauche ne peut pas précéder la signature de la convention."
        )
    convention = couvrantes[0]
    if convention.date_signature and signature_contrat < convention.date_signature:
        return (
            f"Le contrat de travail ({jj_mm_aaaa(signature_contrat)}) serait signé avant la convention "
            f"({jj_mm_aaaa(convention.date_signature)}) : l’embauche ne peut pas la précéder."
        )
    return None


def motif_de_refus(diagnostic: Diagnostic, acte: str = "L’embauche n’est pas enregistrée") -> str:
    """Why a non-eligible person cannot be hired (art. L5134-102), criterion by criterion."""
    non_remplis = [c for c in diagnostic.criteres if not c.ok]
    noms = ", ".join(c.libelle.lower() for c in non_remplis)
    motifs = " ".join(f"{c.libelle} : {c.motif}" for c in non_remplis)
    return (
        f"{acte} : la personne ne remplit pas les conditions de l’art. L5134-102 "
        f"du code du travail (non remplies : {noms}). {motifs}"
    )


def affecter_si_eligible(poste: Poste, embauche: Embauche, auteur, acte: str = "L’embauche n’est pas enregistrée") -> Affectation:
    """The step shared by a hire and a change of titulaire by avenant: evaluate the three conditions of
    art. L5134-102 on the day the employment contract is signed (art. D5134-155), refuse a non-eligible
    person (EmbaucheRefusee with the reason of each criterion not met and the diagnosis), otherwise create
    the titulaire (unless already known), the affectation from `embauche.date_debut` and the diagnosis.
    Call inside a transaction holding the post's row lock: a refusal raised later rolls everything back."""
    question = embauche.question
    diagnostic = evaluer(question)
    if not diagnostic.eligible:
        raise EmbaucheRefusee(motif_de_refus(diagnostic, acte), diagnostic)
    titulaire = embauche.titulaire
    if titulaire is None:
        residence = question.residence
        titulaire = Titulaire.objects.create(
            nom=embauche.nom.strip(),
            prenom=embauche.prenom.strip(),
            date_naissance=question.naissance,
            adresse=(residence.geocodage.libelle if residence.geocodage else residence.adresse)[:255],
            qpv_residence=residence.qpv,
            qpv_choisi_a_la_main=residence.mode == Mode.QPV,
            situation_avant_embauche=question.situation,
        )
    try:
        with transaction.atomic():
            affectation = Affectation.objects.create(
                poste=poste,
                titulaire=titulaire,
                date_debut=embauche.date_debut,
                date_signature_contrat=question.date_contrat,
                type_contrat=embauche.type_contrat,
            )
    except IntegrityError as erreur:
        if "affectation_sans_chevauchement" not in str(erreur):
            raise
        raise EmbaucheRefusee(
            f"Le poste {poste} est déjà occupé sur une partie de la période qui commence le "
            f"{jj_mm_aaaa(embauche.date_debut)} : choisissez une date de prise de poste après la fin de l’affectation précédente."
        ) from None
    enregistrer_diagnostic(affectation, question, diagnostic, auteur)
    return affectation


@transaction.atomic
def enregistrer_embauche(poste: Poste, embauche: Embauche, auteur) -> Affectation:
    """Create the titulaire, their affectation on `poste` and the eligibility diagnosis. Refused
    (EmbaucheRefusee, French message) when the post is occupied, not under a signed convention at that
    date, or when the person is not eligible."""
    poste = Poste.objects.select_for_update().get(pk=poste.pk)
    occupee = poste.affectations.filter(date_fin__isnull=True).select_related("titulaire").first()
    if occupee is not None:
        raise EmbaucheRefusee(
            f"Le poste {poste} est déjà occupé par {occupee.titulaire} depuis le {jj_mm_aaaa(occupee.date_debut)} : "
            "l’affectation en cours doit d’abord prendre fin."
        )
    periodes = [
        PeriodeConvention(c.statut, c.date_signature, c.date_debut, c.date_fin) for c in poste.conventions.order_by("date_debut")
    ]
    motif = motif_hors_convention(periodes, embauche.date_debut, embauche.question.date_contrat)
    if motif:
        raise EmbaucheRefusee(motif)
    return affecter_si_eligible(poste, embauche, auteur)
