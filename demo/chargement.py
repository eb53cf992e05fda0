"""Build the demo dataset of fixtures/demo.json: Seine-Saint-Denis (93) and Rhône (69).

Dates are written in months relative to the day of loading, so that the demo always shows
conventions in progress, ending soon, expired or lapsed. Nothing here runs outside the demo."""

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from commun.dates import ajouter_annees
from comptes.models import Utilisateur
from conventions.models import Convention, RangConvention
from conventions.pdf import le_prefet_de
from conventions.regles import StatutConvention
from demandes.models import Demande, EvenementDemande, TypeEvenement
from demandes.regles import StatutDemande
from employeurs.models import Employeur
from financements.models import Bareme, Enveloppe
from postes.models import DomaineMediation, Poste
from quartiers.models import Departement, Geographie, QuartierPrioritaire, departement_du_code_qpv
from titulaires.models import Affectation, Titulaire

FICHIER = Path(__file__).resolve().parent.parent / "fixtures" / "demo.json"
MOT_DE_PASSE_DEMO = "demo-adultes-relais"


def premier_du_mois(reference: date, decalage: int) -> date:
    mois = reference.year * 12 + reference.month - 1 + decalage
    return date(mois // 12, mois % 12 + 1, 1)


def fin_apres(debut: date, mois: int) -> date:
    return premier_du_mois(debut, mois) - timedelta(days=1)


DECISIONS_DEMO = {
    StatutDemande.ACCEPTEE: TypeEvenement.ACCEPTATION,
    StatutDemande.REFUSEE: TypeEvenement.REFUS,
    StatutDemande.CLASSEE_SANS_SUITE: TypeEvenement.CLASSEMENT,
}


def ajouter_evenements_demo(demande, agent, message: str) -> None:
    """The steps a demo request went through to reach its status, for its timeline."""
    statut, maintenant = demande.statut, timezone.now()
    etapes = []
    if statut != StatutDemande.BROUILLON:
        etapes.append((TypeEvenement.DEPOT, StatutDemande.BROUILLON, StatutDemande.DEPOSEE, demande.cree_par, 20, ""))
    if statut not in (StatutDemande.BROUILLON, StatutDemande.DEPOSEE):
        etapes.append((TypeEvenement.PRISE_EN_INSTRUCTION, StatutDemande.DEPOSEE, StatutDemande.EN_INSTRUCTION, agent, 15, ""))
    if statut == StatutDemande.A_COMPLETER:
        etapes.append(
            (TypeEvenement.DEMANDE_COMPLEMENTS, StatutDemande.EN_INSTRUCTION, StatutDemande.A_COMPLETER, agent, 10, message)
        )
    if statut in DECISIONS_DEMO:
        etapes.append((DECISIONS_DEMO[statut], StatutDemande.EN_INSTRUCTION, statut, agent, 5, demande.motif_decision))
    for type_, avant, apres, auteur, jours, texte in etapes:
        EvenementDemande.objects.create(
            demande=demande,
            type=type_,
            statut_avant=avant,
            statut_apres=apres,
            auteur=auteur,
            date=maintenant - timedelta(days=jours),
            message=texte,
        )


def demo_deja_chargee() -> bool:
    return Utilisateur.objects.filter(email="agent@demo.gouv.fr").exists()


@transaction.atomic
def charger_demo(aujourd_hui: date | None = None) -> dict:
    aujourd_hui = aujourd_hui or timezone.localdate()
    data = json.loads(FICHIER.read_text(encoding="utf-8"))
    deps = {d.code: d for d in Departement.objects.all()}
    domaines = {d.code: d for d in DomaineMediation.objects.all()}

    quartiers = {}
    for q in data["qpv"]:
        quartiers[q["code"]], _ = QuartierPrioritaire.objects.update_or_create(
            code=q["code"],
            defaults={
                "nom": q["nom"],
                "geographie": Geographie.QPV_2024,
                "departement": deps[departement_du_code_qpv(q["code"])],
                "communes": q["communes"],
                "geometrie": q["geometrie"],
                "geometrie_demo": True,
            },
        )

    employeurs = {}
    for e in data["employeurs"]:
        champs = {k: v for k, v in e.items() if k not in ("siret", "departement")}
        employeurs[e["siret"]], _ = Employeur.objects.update_or_create(
            siret=e["siret"], defaults={**champs, "departement": deps[e["departement"]]}
        )

    for p in data["postes"]:
        poste = Poste.objects.create(
            identifiant=p["identifiant"],
            employeur=employeurs[p["employeur"]],
            departement=deps[p["departement"]],
            heures_hebdomadaires=Decimal(str(p["heures"])),
            statut=p["statut"],
            intitule=p["intitule"],
            missions=p["missions"],
        )
        poste.quartiers.set([quartiers[c] for c in p["quartiers"]])
        poste.domaines.set([domaines[c] for c in p["domaines"]])
        precedente = None
        for rang, c in enumerate(p["conventions"], start=1):
            debut = premier_du_mois(aujourd_hui, c["debut_mois"])
            signature = premier_du_mois(aujourd_hui, c.get("signature_mois", c["debut_mois"] - 1))
            resiliation = c.get("resiliation")
            precedente = Convention.objects.create(
                poste=poste,
                numero=f"{poste.identifiant}-{rang}",
                rang=RangConvention.RENOUVELLEMENT if c.get("renouvellement") else RangConvention.INITIALE,
                precedente=precedente if c.get("renouvellement") else None,
                date_debut=debut,
                date_fin=min(fin_apres(debut, c["duree_mois"]), ajouter_annees(debut, 3) - timedelta(days=1)),
                statut=c["statut"],
                heures_hebdomadaires=poste.heures_hebdomadaires,
                derogation_residence=bool(c.get("derogation")),
                motif_derogation=c.get("derogation", ""),
                date_signature=None if c["statut"] == StatutConvention.PROJET else signature,
                signataire="" if c["statut"] == StatutConvention.PROJET else le_prefet_de(deps[p["departement"]]),
                motif_resiliation=resiliation["motif"] if resiliation else "",
                date_resiliation=premier_du_mois(aujourd_hui, resiliation["mois"]) if resiliation else None,
            )
        for a in p["affectations"]:
            t = a["titulaire"]
            debut = premier_du_mois(aujourd_hui, a["debut_mois"])
            titulaire = Titulaire.objects.create(
                nom=t["nom"],
                prenom=t["prenom"],
                date_naissance=date(debut.year - t["age"], 1 + len(t["nom"]) % 12, 1 + len(t["prenom"]) * 2),
                adresse=t["adresse"],
                qpv_residence=quartiers.get(t["qpv_residence"]),
                situation_avant_embauche=t["situation"],
            )
            Affectation.objects.create(
                poste=poste,
                titulaire=titulaire,
                date_debut=debut,
                date_fin=premier_du_mois(aujourd_hui, a["fin_mois"]) - timedelta(days=1) if a["fin_mois"] else None,
                date_signature_contrat=debut - timedelta(days=10),
                type_contrat=a["contrat"],
            )

    comptes = {}
    for c in data["comptes"]:
        user = Utilisateur.objects.create_user(c["email"], MOT_DE_PASSE_DEMO, role=c["role"], prenom=c["prenom"], nom=c["nom"])
        user.departements.set([deps[d] for d in c.get("departements", [])])
        user.employeurs.set([employeurs[s] for s in c.get("employeurs", [])])
        comptes[c["email"]] = user

    agent = comptes["agent@demo.gouv.fr"]
    for d in data["demandes"]:
        employeur = employeurs[d["employeur"]]
        depose = d["statut"] != StatutDemande.BROUILLON
        demande = Demande.objects.create(
            employeur=employeur,
            departement=employeur.departement,
            statut=d["statut"],
            projet=d["projet"],
            missions=d["projet"],
            heures_hebdomadaires=Decimal(str(d["heures"])),
            date_debut_souhaitee=premier_du_mois(aujourd_hui, 3),
            date_depot=timezone.now() - timedelta(days=20) if depose else None,
            instructeur=agent if d["statut"] not in (StatutDemande.BROUILLON, StatutDemande.DEPOSEE) else None,
            motif_decision=d.get("motif", ""),
            date_decision=timezone.now() - timedelta(days=5) if d["statut"] in DECISIONS_DEMO else None,
            poste=Poste.objects.get(identifiant=d["poste"]) if d.get("poste") else None,
            cree_par=comptes["employeur@demo.fr"] if employeur in comptes["employeur@demo.fr"].employeurs.all() else None,
        )
        demande.quartiers.set([quartiers[c] for c in d["quartiers"]])
        Demande.objects.filter(pk=demande.pk).update(cree_le=timezone.now() - timedelta(days=30))
        ajouter_evenements_demo(demande, agent, d.get("message", ""))

    bareme = Bareme.objects.filter(date_effet__lte=aujourd_hui).order_by("-date_effet").first()
    # This year's envelope, and next year's: requests filed late in the year start the next one.
    for e in data["enveloppes"]:
        for annee in (aujourd_hui.year, aujourd_hui.year + 1):
            Enveloppe.objects.update_or_create(
                departement=deps[e["departement"]],
                annee=annee,
                defaults={"nombre_postes": e["nombre_postes"], "montant": bareme.montant_annuel * e["postes_montant"]},
            )
    return {"postes": len(data["postes"]), "comptes": list(comptes)}
