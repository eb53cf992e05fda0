"""The convention lifecycle: one function per action, each in one transaction, with row locks.

projet ──signer──▶ signée ──(start reached)──▶ en cours ──(end passed)──▶ échue
                     │  └──(nobody hired within 5 months)──▶ caduque
                     └──résilier──▶ résiliée (also from « en cours »)
signée / en cours / échue ──renouveler──▶ a new convention (projet) starting the day after.
signée / en cours ──avenant──▶ new weekly hours from a date, or a new titulaire on the post.

Every change is recorded in the convention's history (django-simple-history) with its author and a
French reason. Rules come from conventions/regles.py (pure functions).
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from conventions import pdf  # called as pdf.rendre_pdf: the tests wrap it to read every PDF back
from conventions.budget import verifier_budget, verifier_budget_convention
from conventions.echeancier import PLEINE, couverture, echeancier_convention
from conventions.models import (
    Avenant,
    Convention,
    RangConvention,
    TypeAvenant,
    fin_maximale_convention,
    renouvellements_dans_la_chaine,
)
from conventions.regles import (
    AVENANT,
    RENOUVELER,
    RESILIER,
    SIGNER,
    STATUTS_EN_VIGUEUR,
    STATUTS_ENGAGES,
    STATUTS_FINIS_SANS_SUITE,
    EtatConvention,
    MotifResiliation,
    StatutConvention,
    date_effet_minimale_resiliation,
    date_limite_embauche,
    dernier_jour_couvert,
    motif_refus,
    statut_du_jour,
    statut_poste,
)
from conventions.services.embauche import Embauche, PeriodeConvention, affecter_si_eligible, motif_hors_convention
from financements.regles import HEURES_MINIMUM, HEURES_TEMPS_PLEIN, heures_fr
from postes.models import Poste
from postes.regles import StatutPoste
from titulaires.models import Affectation
from titulaires.regles import PRISE_DE_POSTE_AVANT_CONTRAT


class TransitionRefusee(ValidationError):
    """An action the convention's state or the rules forbid (French message for the user)."""


def _jj(jour: date) -> str:
    return jour.strftime("%d/%m/%Y")


def _verrouiller(convention: Convention) -> Convention:
    return Convention.objects.select_for_update(of=("self",)).select_related("poste__departement").get(pk=convention.pk)


MOTIFS_COURTS = {
    MotifResiliation.MANQUEMENT: "manquement",
    MotifResiliation.FAUSSE_DECLARATION: "fausse déclaration",
    MotifResiliation.ABSENCE_JUSTIFICATIFS: "absence de justificatifs",
    MotifResiliation.INITIATIVE_EMPLOYEUR: "initiative de l’employeur",
}


def _enregistrer(convention: Convention, raison: str, auteur=None) -> None:
    """Save with a history entry: reason (at most 100 characters) and author."""
    convention._change_reason = raison if len(raison) <= 100 else raison[:99] + "…"
    if auteur is not None and getattr(auteur, "is_authenticated", False):
        convention._history_user = auteur
    convention.save()


def embauche_dans_le_delai(convention: Convention) -> bool:
    """Somebody held the post between the start and the lapse date (start + 5 months)."""
    limite = date_limite_embauche(convention.date_debut)
    return Affectation.objects.filter(
        Q(date_fin__isnull=True) | Q(date_fin__gte=convention.date_debut),
        poste_id=convention.poste_id,
        date_debut__lt=limite,
    ).exists()


def actualiser_statut_poste(poste: Poste, jour: date) -> bool:
    """Keep Poste.statut consistent with its conventions; True when it changed."""
    conventions = list(Convention.objects.filter(poste=poste).values_list("statut", "date_resiliation"))
    attendu = statut_poste(conventions, jour)
    if poste.statut == attendu:
        return False
    Poste.objects.filter(pk=poste.pk).update(statut=attendu)
    poste.statut = attendu
    return True


def _appliquer_statut_du_jour(convention: Convention, jour: date, auteur=None) -> str | None:
    """Move a signed convention to the status of the day; returns the new status or None."""
    attendu = statut_du_jour(
        convention.statut,
        convention.date_debut,
        convention.date_fin,
        jour,
        embauche_dans_le_delai(convention) if convention.statut in STATUTS_EN_VIGUEUR else True,
    )
    if attendu == convention.statut:
        return None
    raisons = {
        StatutConvention.EN_COURS: f"Début d’exécution le {_jj(convention.date_debut)}",
        StatutConvention.ECHUE: f"Échue : terme atteint le {_jj(convention.date_fin)}",
        StatutConvention.CADUQUE: f"Caduque : aucune embauche avant le {_jj(date_limite_embauche(convention.date_debut))}",
    }
    convention.statut = attendu
    _enregistrer(convention, raisons[attendu], auteur)
    return attendu


# --- Signature ---------------------------------------------------------------------------------


@transaction.atomic
def signer(convention: Convention, *, date_signature: date, signataire: str, auteur=None, aujourd_hui=None) -> Convention:
    """projet → signée (then en cours at once if it has started). Stores the signed PDF."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    convention = _verrouiller(convention)
    _exiger(SIGNER, convention)
    if not signataire or not signataire.strip():
        raise TransitionRefusee({"signataire": "Indiquez le nom et la qualité du signataire pour l’État."})
    if date_signature > aujourd_hui:
        raise TransitionRefusee({"date_signature": "La date de signature ne peut pas être dans le futur."})
    if date_signature > convention.date_fin:
        raise TransitionRefusee({"date_signature": "La date de signature est postérieure à la fin de la convention."})
    if convention.precedente and convention.precedente.statut in STATUTS_FINIS_SANS_SUITE:
        raise TransitionRefusee(
            f"La convention renouvelée {convention.precedente.numero} est "
            f"« {convention.precedente.get_statut_display().lower()} » : ce renouvellement ne peut plus être signé."
        )
    chevauchement = (
        Convention.objects.filter(poste=convention.poste, statut__in=STATUTS_ENGAGES)
        .exclude(pk=convention.pk)
        .filter(date_debut__lte=convention.date_fin, date_fin__gte=convention.date_debut)
    )
    for autre in chevauchement:
        periode = couverture(autre)
        if periode and periode[0] <= convention.date_fin and periode[1] >= convention.date_debut:
            raise TransitionRefusee(
                f"Le poste a déjà une convention signée sur cette période ({autre.numero}, du "
                f"{_jj(periode[0])} au {_jj(periode[1])})."
            )
    convention.statut = StatutConvention.SIGNEE
    convention.date_signature = date_signature
    convention.signataire = signataire.strip()
    _enregistrer(convention, f"Signée le {_jj(date_signature)} par {convention.signataire_dans_une_phrase}", auteur)
    _appliquer_statut_du_jour(convention, aujourd_hui, auteur)
    actualiser_statut_poste(convention.poste, aujourd_hui)
    stocker_pdf_signe(convention)
    return convention


# --- Termination -------------------------------------------------------------------------------


@transaction.atomic
def resilier(
    convention: Convention,
    *,
    motif: str,
    date_notification: date,
    date_effet: date,
    auteur=None,
    aujourd_hui=None,
) -> Convention:
    """signée / en cours → résiliée, from `date_effet` (first day without the convention)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    convention = _verrouiller(convention)
    _exiger(RESILIER, convention)
    if motif not in MotifResiliation.values:
        raise TransitionRefusee({"motif": "Choisissez un motif de résiliation."})
    minimum = date_effet_minimale_resiliation(motif, date_notification)
    if date_effet < minimum:
        if motif == MotifResiliation.INITIATIVE_EMPLOYEUR:
            message = (
                "À l’initiative de l’employeur, la résiliation prend effet au plus tôt deux mois après la "
                f"notification (préavis) : le {_jj(minimum)} au plus tôt."
            )
        else:
            message = "La résiliation ne peut pas prendre effet avant sa notification."
        raise TransitionRefusee({"date_effet": message})
    if date_effet < convention.date_debut:
        raise TransitionRefusee({"date_effet": f"La convention ne commence que le {_jj(convention.date_debut)}."})
    if date_effet > convention.date_fin:
        raise TransitionRefusee(
            {"date_effet": f"La convention se termine déjà le {_jj(convention.date_fin)} : il n’y a rien à résilier."}
        )
    convention.statut = StatutConvention.RESILIEE
    convention.motif_resiliation = motif
    convention.date_notification_resiliation = date_notification
    convention.date_resiliation = date_effet
    _enregistrer(
        convention,
        f"Résiliée à compter du {_jj(date_effet)} ({MOTIFS_COURTS[motif]}), notifiée le {_jj(date_notification)}",
        auteur,
    )
    actualiser_statut_poste(convention.poste, aujourd_hui)
    return convention


# --- Lapse -------------------------------------------------------------------------------------


def caducite_constatable(convention: Convention, jour: date | None = None) -> bool:
    """The rule of the day (`statut_du_jour`) says « caduque »: signed, nobody hired within five
    months of the start, and that day reached."""
    if convention.statut not in STATUTS_EN_VIGUEUR:
        return False
    jour = jour or timezone.localdate()
    if jour < date_limite_embauche(convention.date_debut):
        return False
    return (
        statut_du_jour(convention.statut, convention.date_debut, convention.date_fin, jour, embauche_dans_le_delai(convention))
        == StatutConvention.CADUQUE
    )


@transaction.atomic
def constater_caducite(convention: Convention, *, auteur=None, aujourd_hui=None) -> Convention:
    """signée / en cours → caduque today, as the daily update would (art. D5134-147 to D5134-154)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    convention = _verrouiller(convention)
    if not caducite_constatable(convention, aujourd_hui):
        limite = date_limite_embauche(convention.date_debut)
        if convention.statut not in STATUTS_EN_VIGUEUR:
            raise TransitionRefusee(
                f"Seule une convention signée ou en cours peut devenir caduque : celle-ci est « {convention.get_statut_display()} »."
            )
        if embauche_dans_le_delai(convention):
            raise TransitionRefusee(
                f"Une embauche a eu lieu sur le poste avant le {_jj(limite)} : la convention n’est pas caduque."
            )
        raise TransitionRefusee(
            f"Le délai d’embauche court jusqu’au {_jj(limite - timedelta(days=1))} : la convention n’est pas encore caduque."
        )
    _appliquer_statut_du_jour(convention, aujourd_hui, auteur)
    actualiser_statut_poste(convention.poste, aujourd_hui)
    return convention


# --- Renewal -----------------------------------------------------------------------------------


def etat_convention(convention: Convention) -> EtatConvention:
    """What the rules need to decide the allowed actions (conventions.regles.actions_permises)."""
    renouvellement = Convention.objects.filter(precedente=convention).values_list("numero", flat=True).first()
    return EtatConvention(
        statut=convention.statut,
        libelle_statut=convention.get_statut_display(),
        renouvellements_deja_faits=renouvellements_dans_la_chaine(convention),
        renouvelee_par=renouvellement,
        renouvellements_max=settings.CONVENTION_RENOUVELLEMENTS_MAX,
        caduque_ce_jour=caducite_constatable(convention),
    )


def _exiger(action: str, convention: Convention) -> None:
    """Refuse (TransitionRefusee) an action the rules do not allow on this convention now."""
    motif = motif_refus(action, etat_convention(convention))
    if motif:
        raise TransitionRefusee(motif)


def numero_suivant(poste: Poste) -> str:
    """`<post identifier>-<n>`, n = 1 + the number of conventions of the post (unique)."""
    n = Convention.objects.filter(poste=poste).count() + 1
    while Convention.objects.filter(numero=f"{poste.identifiant}-{n}").exists():
        n += 1
    return f"{poste.identifiant}-{n}"


@transaction.atomic
def renouveler(
    convention: Convention, *, date_fin: date, heures: Decimal | None = None, auteur=None, aujourd_hui=None
) -> Convention:
    """Renewal by express agreement: a new draft convention from the day after this one ends, for
    at most three years, within the renewal limit and the envelope."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    convention = _verrouiller(convention)
    Poste.objects.select_for_update().get(pk=convention.poste_id)
    _exiger(RENOUVELER, convention)
    debut = convention.date_fin + timedelta(days=1)
    if date_fin < debut:
        raise TransitionRefusee({"date_fin": f"Le renouvellement commence le {_jj(debut)} : sa fin doit suivre."})
    if date_fin > fin_maximale_convention(debut):
        raise TransitionRefusee(
            {
                "date_fin": f"Une convention dure au plus trois ans : le renouvellement doit finir au plus tard le "
                f"{_jj(fin_maximale_convention(debut))}."
            }
        )
    heures = convention.heures_hebdomadaires if heures is None else Decimal(heures)
    if not HEURES_MINIMUM <= heures <= HEURES_TEMPS_PLEIN:
        raise TransitionRefusee({"heures": "La durée hebdomadaire doit être comprise entre 17,5 et 35 heures."})
    nouvelle = Convention(
        poste=convention.poste,
        numero=numero_suivant(convention.poste),
        rang=RangConvention.RENOUVELLEMENT,
        precedente=convention,
        date_debut=debut,
        date_fin=date_fin,
        heures_hebdomadaires=heures,
        derogation_residence=convention.derogation_residence,
        motif_derogation=convention.motif_derogation,
    )
    verifier_budget_convention(nouvelle, aujourd_hui=aujourd_hui)
    _enregistrer(nouvelle, f"Renouvellement par accord exprès de la convention {convention.numero}", auteur)
    actualiser_statut_poste(convention.poste, aujourd_hui)
    return nouvelle


# --- Avenants ----------------------------------------------------------------------------------


def _verifier_avenant(convention: Convention, date_effet: date, date_signature: date, aujourd_hui: date) -> None:
    _exiger(AVENANT, convention)
    fin = dernier_jour_couvert(convention.statut, convention.date_fin, convention.date_resiliation)
    if not convention.date_debut <= date_effet <= fin:
        raise TransitionRefusee(
            {"date_effet": f"La date d’effet doit être comprise entre le {_jj(convention.date_debut)} et le {_jj(fin)}."}
        )
    if date_signature > aujourd_hui:
        raise TransitionRefusee({"date_signature": "La date de signature ne peut pas être dans le futur."})


def _creer_avenant(
    convention: Convention, type: str, date_effet: date, date_signature: date, description: str, auteur, **champs
) -> Avenant:
    return Avenant.objects.create(
        convention=convention,
        numero=(convention.avenants.aggregate(n=Max("numero"))["n"] or 0) + 1,
        type=type,
        date_effet=date_effet,
        date_signature=date_signature,
        description=description,
        cree_par=auteur if getattr(auteur, "is_authenticated", False) else None,
        **champs,
    )


@transaction.atomic
def avenant_heures(
    convention: Convention,
    *,
    heures: Decimal,
    date_effet: date,
    date_signature: date,
    description: str = "",
    auteur=None,
    aujourd_hui=None,
) -> Avenant:
    """New weekly hours from `date_effet`. The hours before stay for the days before: the aid
    counts each day with its own hours (conventions/echeancier.py)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    convention = _verrouiller(convention)
    _verifier_avenant(convention, date_effet, date_signature, aujourd_hui)
    heures = Decimal(heures)
    if not HEURES_MINIMUM <= heures <= HEURES_TEMPS_PLEIN:
        raise TransitionRefusee({"heures": "La durée hebdomadaire doit être comprise entre 17,5 et 35 heures."})
    if heures == convention.heures_hebdomadaires:
        raise TransitionRefusee({"heures": f"La convention prévoit déjà {heures_fr(heures)} heures par semaine."})
    dernier = convention.avenants.filter(type=TypeAvenant.HEURES).order_by("-date_effet").first()
    if dernier and date_effet <= dernier.date_effet:
        raise TransitionRefusee(
            {
                "date_effet": f"Un avenant précédent change déjà les heures le {_jj(dernier.date_effet)} : "
                "la nouvelle date d’effet doit être postérieure."
            }
        )
    if heures > convention.heures_hebdomadaires:
        fin_annee = min(date(date_effet.year, 12, 31), convention.date_fin)
        avant = echeancier_convention(convention, date_effet, fin_annee, occupation=PLEINE)
        apres_convention = Convention(
            poste=convention.poste,
            date_debut=convention.date_debut,
            date_fin=convention.date_fin,
            heures_hebdomadaires=heures,
        )
        apres = echeancier_convention(apres_convention, date_effet, fin_annee, occupation=PLEINE)
        verifier_budget(
            convention.poste.departement,
            date_effet.year,
            apres.total - avant.total,
            aujourd_hui=aujourd_hui,
            exiger_enveloppe=False,
        )
    avenant = _creer_avenant(
        convention,
        TypeAvenant.HEURES,
        date_effet,
        date_signature,
        description,
        auteur,
        heures_avant=convention.heures_hebdomadaires,
        heures_apres=heures,
    )
    convention.heures_hebdomadaires = heures
    _enregistrer(
        convention, f"Avenant n° {avenant.numero} : {heures_fr(heures)} heures par semaine à compter du {_jj(date_effet)}", auteur
    )
    Poste.objects.filter(pk=convention.poste_id).update(heures_hebdomadaires=heures)
    return avenant


@transaction.atomic
def avenant_titulaire(
    convention: Convention,
    *,
    embauche: Embauche,
    date_signature: date,
    auteur,
    description: str = "",
    aujourd_hui=None,
) -> Avenant:
    """A new titulaire on the post from `embauche.date_debut` (the avenant's date d’effet): the current
    affectation ends the day before, a new one opens; the post and the convention stay. The person goes
    through the same eligibility check as a hire (art. L5134-102, assessed on the day the employment
    contract is signed), whose diagnosis is stored with the new affectation, by `auteur`. Refused with
    TransitionRefusee (the avenant's own rules) or EmbaucheRefusee (person not eligible, with the
    diagnosis): nothing is written then."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    date_effet, date_contrat = embauche.date_debut, embauche.question.date_contrat
    convention = _verrouiller(convention)
    poste = Poste.objects.select_for_update().get(pk=convention.poste_id)
    _verifier_avenant(convention, date_effet, date_signature, aujourd_hui)
    if date_contrat > date_effet:
        raise TransitionRefusee({"date_effet": PRISE_DE_POSTE_AVANT_CONTRAT})
    periode = PeriodeConvention(convention.statut, convention.date_signature, convention.date_debut, convention.date_fin)
    motif = motif_hors_convention([periode], date_effet, date_contrat)
    if motif:
        raise TransitionRefusee({"date_contrat": motif})
    affectations = Affectation.objects.filter(poste_id=convention.poste_id)
    posterieure = affectations.filter(date_debut__gte=date_effet).first()
    if posterieure:
        raise TransitionRefusee(
            {
                "date_effet": f"Une affectation commence déjà le {_jj(posterieure.date_debut)} ({posterieure.titulaire}) : "
                "la date d’effet doit être postérieure."
            }
        )
    courante = affectations.filter(Q(date_fin__isnull=True) | Q(date_fin__gte=date_effet)).select_related("titulaire").first()
    if courante and embauche.titulaire and courante.titulaire_id == embauche.titulaire.pk:
        raise TransitionRefusee({"titulaire": f"{embauche.titulaire} occupe déjà ce poste."})
    if courante:
        courante._change_reason = f"Fin d’affectation par avenant (changement de titulaire au {_jj(date_effet)})"
        courante.date_fin = date_effet - timedelta(days=1)
        courante.save()
    nouvelle = affecter_si_eligible(poste, embauche, auteur, acte="L’avenant n’est pas enregistré")
    avenant = _creer_avenant(
        convention, TypeAvenant.TITULAIRE, date_effet, date_signature, description, auteur, affectation=nouvelle
    )
    _enregistrer(
        convention,
        f"Avenant n° {avenant.numero} : {nouvelle.titulaire} titulaire du poste à compter du {_jj(date_effet)}",
        auteur,
    )
    return avenant


# --- Daily update ------------------------------------------------------------------------------


@dataclass
class Changement:
    convention: Convention
    avant: str
    apres: str


@transaction.atomic
def mettre_a_jour_conventions(jour: date) -> tuple[list[Changement], list[Poste]]:
    """Move signed conventions to en cours / échue / caduque as of `jour`, then fix the posts'
    statuses. Idempotent: a second run the same day changes nothing."""
    changements = []
    a_revoir = set()
    candidates = (
        Convention.objects.filter(statut__in=STATUTS_EN_VIGUEUR)
        .select_for_update(of=("self",))
        .select_related("poste")
        .order_by("numero")
    )
    for convention in candidates:
        avant = convention.statut
        if _appliquer_statut_du_jour(convention, jour):
            changements.append(Changement(convention, avant, convention.statut))
            a_revoir.add(convention.poste_id)
    # Terminations whose effective date has come close their post without a status change.
    a_revoir.update(
        Poste.objects.filter(
            statut=StatutPoste.ACTIF, conventions__statut=StatutConvention.RESILIEE, conventions__date_resiliation__lte=jour
        ).values_list("pk", flat=True)
    )
    postes_changes = [
        p for p in Poste.objects.filter(pk__in=a_revoir).order_by("identifiant") if actualiser_statut_poste(p, jour)
    ]
    return changements, postes_changes


# --- PDF ---------------------------------------------------------------------------------------


class PdfAltere(Exception):
    """The stored PDF no longer matches its recorded SHA-256 (or is no longer in the storage)."""


def stocker_pdf_signe(convention: Convention) -> bytes:
    """Generate the signed convention's PDF once, store it with its SHA-256. Never regenerates a
    stored PDF. Call inside a transaction holding the convention's row lock."""
    if convention.pdf:
        return lire_pdf_stocke(convention)
    contenu = pdf.rendre_pdf(convention)
    convention.pdf_sha256 = hashlib.sha256(contenu).hexdigest()
    convention.pdf_genere_le = timezone.now()
    convention.pdf.save(f"{convention.numero}.pdf", ContentFile(contenu), save=False)
    _enregistrer(convention, "PDF de la convention signée généré et archivé")
    return contenu


def lire_pdf_stocke(convention: Convention) -> bytes:
    """The stored signed PDF, read through the storage (local disk or object storage) and checked
    against the SHA-256 recorded when it was stored: altered bytes are never served."""
    try:
        with convention.pdf.open("rb") as fichier:
            contenu = fichier.read()
    except FileNotFoundError:
        raise PdfAltere(f"Le PDF archivé de la convention {convention.numero} est introuvable dans le stockage.") from None
    if hashlib.sha256(contenu).hexdigest() != convention.pdf_sha256:
        raise PdfAltere(f"Le PDF archivé de la convention {convention.numero} ne correspond plus à son empreinte.")
    return contenu


def pdf_de_la_convention(convention: Convention) -> tuple[bytes, bool]:
    """(PDF bytes, is it the signed archive). A draft gets a fresh preview marked PROJET; a signed
    convention gets its stored PDF, generated and stored on first request when missing."""
    if convention.statut == StatutConvention.PROJET:
        return pdf.rendre_pdf(convention), False
    if convention.pdf:
        return lire_pdf_stocke(convention), True
    with transaction.atomic():
        verrouillee = _verrouiller(convention)
        return stocker_pdf_signe(verrouillee), True
