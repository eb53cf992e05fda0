"""National-scale dataset for load tests and query budgets (issue 7).

At scale 1: every département, the 1,584 QPV 2024 (from the official file when given, otherwise
generated squares), about 5,000 employers, 12,000 posts of which 7,000 in exercise, 30,000
conventions over ten years with their titulaires, affectations and yearly funding records, the
envelopes of the last years, and 2,000 requests in every state.
`echelle` multiplies the volumes. Everything goes through bulk inserts in one transaction."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from conventions.models import Convention, RangConvention, fin_maximale_convention
from conventions.regles import MotifResiliation, StatutConvention
from demandes.models import Demande
from demandes.regles import StatutDemande
from employeurs.models import Employeur
from employeurs.regles import FORMES_ELIGIBLES, FormeJuridique, luhn_valide
from financements.models import Bareme, Enveloppe
from postes.models import DomaineMediation, FinancementAnnuel, Poste
from postes.regles import StatutPoste
from quartiers.models import Departement, Geographie, QuartierPrioritaire
from titulaires.models import Affectation, Titulaire
from titulaires.regles import SituationAvantEmbauche

LOT = 5000
HEURES = [Decimal("35")] * 6 + [Decimal("24"), Decimal("28"), Decimal("17.5")]
PRENOMS = ["Samia", "Karim", "Fatoumata", "Julien", "Nadia", "Moussa", "Inès", "Yacine", "Aïcha", "Thomas", "Léa"]
NOMS = ["Benali", "Traoré", "Diallo", "Martin", "Haddad", "Camara", "Lefèvre", "Cissé", "Nguyen", "Dubois", "Petit"]


class BaseNonVide(Exception):
    pass


@dataclass
class Volumes:
    employeurs: int
    postes: int
    postes_actifs: int
    demandes: int
    cree: dict = field(default_factory=dict)


def volumes(echelle: float) -> Volumes:
    return Volumes(
        employeurs=max(1, round(5000 * echelle)),
        postes=max(1, round(12000 * echelle)),
        postes_actifs=max(1, round(7000 * echelle)),
        demandes=max(7, round(2000 * echelle)),
    )


def _siret(numero: int) -> str:
    base = f"{700000000 + numero:09d}0001"
    return next(base + str(k) for k in range(10) if luhn_valide(base + str(k)))


def _carre(lon: float, lat: float, cote: float = 0.004) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + cote, lat], [lon + cote, lat + cote], [lon, lat + cote], [lon, lat]]],
    }


def generer_quartiers(deps: list[Departement], rng: random.Random, nombre: int = 1584) -> list[QuartierPrioritaire]:
    """Generated QPV (codes QN + département + order + letter), small squares far from each other."""
    quartiers = []
    for i in range(nombre):
        dep = deps[i % len(deps)]
        ordre = i // len(deps) + 1
        code_dep = dep.code.zfill(3) if len(dep.code) == 2 else dep.code
        quartiers.append(
            QuartierPrioritaire(
                code=f"QN{code_dep}{ordre:02d}M",
                nom=f"Quartier généré {dep.code}-{ordre}",
                geographie=Geographie.QPV_2024,
                departement=dep,
                communes=[{"insee": f"{dep.code}{ordre:03d}"[:5], "nom": f"Commune {dep.code}-{ordre}"}],
                geometrie=_carre(-4 + (i % 40) * 0.25, 42 + (i // 40) * 0.2),
            )
        )
    return QuartierPrioritaire.objects.bulk_create(quartiers, batch_size=LOT)


def bareme_de_l_annee(baremes: list[tuple[date, Decimal]], annee: int) -> Decimal | None:
    """The full-time amount of a budget year, as ANCT's register gives it: the barème of 1 July."""
    montant = None
    for date_effet, valeur in baremes:
        if date_effet <= date(annee, 7, 1):
            montant = valeur
    return montant


def generer_financements(conventions: list[Convention], aujourd_hui: date) -> int:
    """One yearly funding record per post and past year under a convention: the year's barème ×
    hours / 35 × share of the year covered, rounded to the cent."""
    baremes = sorted(Bareme.objects.values_list("date_effet", "montant_annuel"))
    montants: dict[tuple[int, int], Decimal] = {}
    for c in conventions:
        for annee in range(c.date_debut.year, min(c.date_fin.year, aujourd_hui.year - 1) + 1):
            bareme = bareme_de_l_annee(baremes, annee)
            if bareme is None:
                continue
            debut, fin = max(c.date_debut, date(annee, 1, 1)), min(c.date_fin, date(annee, 12, 31))
            part = Decimal((fin - debut).days + 1) / Decimal((date(annee, 12, 31) - date(annee, 1, 1)).days + 1)
            cle = (c.poste.pk, annee)
            montants[cle] = montants.get(cle, Decimal(0)) + bareme * c.heures_hebdomadaires / 35 * part
    FinancementAnnuel.objects.bulk_create(
        [
            FinancementAnnuel(
                poste_id=poste, annee=annee, montant=montant.quantize(Decimal("0.01")), code_contrat_ville=f"CV{poste % 900:03d}"
            )
            for (poste, annee), montant in montants.items()
        ],
        batch_size=LOT,
    )
    return len(montants)


def generer_enveloppes(postes: list[Poste], aujourd_hui: date) -> int:
    """Envelopes of the last three years and the current one: 10 % above the posts in exercise."""
    bareme = Bareme.objects.filter(date_effet__lte=aujourd_hui).order_by("-date_effet").first()
    actifs: dict[int, int] = {}
    for p in postes:
        if p.statut == StatutPoste.ACTIF:
            actifs[p.departement_id] = actifs.get(p.departement_id, 0) + 1
    enveloppes = [
        Enveloppe(
            departement_id=dep, annee=annee, nombre_postes=(n := round(nombre * 1.1) + 1), montant=bareme.montant_annuel * n
        )
        for dep, nombre in actifs.items()
        for annee in range(aujourd_hui.year - 3, aujourd_hui.year + 1)
    ]
    Enveloppe.objects.bulk_create(enveloppes, batch_size=LOT)
    return len(enveloppes)


@transaction.atomic
def generer(echelle: float = 1, graine: int = 2026, aujourd_hui: date | None = None, quartiers_officiels=None) -> dict:
    if Poste.objects.exists() or Employeur.objects.exists():
        raise BaseNonVide("La base contient déjà des postes ou des employeurs : utilisez une base vide.")
    aujourd_hui = aujourd_hui or timezone.localdate()
    rng = random.Random(graine)
    v = volumes(echelle)
    deps = [d for d in Departement.objects.order_by("code") if d.code not in ("975", "977", "986", "988")]

    if quartiers_officiels is not None:
        quartiers_officiels()
    if not QuartierPrioritaire.objects.filter(geographie=Geographie.QPV_2024).exists():
        generer_quartiers(deps, rng)
    qpv_par_dep: dict[int, list[int]] = {}
    for pk, dep_id in QuartierPrioritaire.objects.filter(geographie=Geographie.QPV_2024).values_list("pk", "departement"):
        qpv_par_dep.setdefault(dep_id, []).append(pk)
    deps = [d for d in deps if d.pk in qpv_par_dep]

    formes = sorted(FORMES_ELIGIBLES) + [FormeJuridique.SOCIETE_COMMERCIALE]
    employeurs = Employeur.objects.bulk_create(
        [
            Employeur(
                siret=_siret(i),
                raison_sociale=f"Structure de médiation n° {i + 1}",
                forme_juridique=formes[i % len(formes)] if i % 50 else FormeJuridique.SOCIETE_COMMERCIALE,
                departement=deps[i % len(deps)],
                commune=f"Commune {i % 997}",
            )
            for i in range(v.employeurs)
        ],
        batch_size=LOT,
    )
    eligibles = [e for e in employeurs if e.forme_juridique != FormeJuridique.SOCIETE_COMMERCIALE]

    # Posts: the first `postes_actifs` are in exercise; the others were closed (fermeture) after
    # one to three conventions. Posts in exercise started up to ten years ago.
    sequences: dict[tuple[str, int], int] = {}
    postes, debuts, fermetures = [], [], []
    for i in range(v.postes):
        employeur = eligibles[i % len(eligibles)]
        actif = i < v.postes_actifs
        debut = (aujourd_hui - timedelta(days=rng.randint(30, 10 * 365) if actif else rng.randint(6 * 365, 11 * 365))).replace(
            day=1
        )
        fermeture = (
            None if actif else min(aujourd_hui - timedelta(days=30), debut + timedelta(days=rng.randint(3 * 365, 10 * 365)))
        )
        cle = (employeur.departement.code, debut.year)
        sequences[cle] = sequences.get(cle, 0) + 1
        code = employeur.departement.code.zfill(3) if len(employeur.departement.code) == 2 else employeur.departement.code
        postes.append(
            Poste(
                identifiant=f"{code}{debut.year % 100:02d}R{sequences[cle]:04d}01",
                employeur=employeur,
                departement=employeur.departement,
                heures_hebdomadaires=rng.choice(HEURES),
                statut=StatutPoste.ACTIF if actif else StatutPoste.FERME,
                intitule="Adulte-relais – médiateur social",
                missions="Médiation sociale et accès aux droits des habitants du quartier.",
            )
        )
        debuts.append(debut)
        fermetures.append(fermeture)
    postes = Poste.objects.bulk_create(postes, batch_size=LOT)
    fermeture_de = {p.pk: fermetures[i] for i, p in enumerate(postes)}

    domaines = list(DomaineMediation.objects.values_list("pk", flat=True))
    Poste.quartiers.through.objects.bulk_create(
        [
            Poste.quartiers.through(poste_id=p.pk, quartierprioritaire_id=rng.choice(qpv_par_dep[p.departement_id]))
            for p in postes
        ],
        batch_size=LOT,
    )
    Poste.domaines.through.objects.bulk_create(
        [Poste.domaines.through(poste_id=p.pk, domainemediation_id=d) for p in postes for d in rng.sample(domaines, 2)],
        batch_size=LOT,
    )

    # Conventions: successive 3-year conventions from the post's start, each renewing the previous
    # one, until today (post in exercise) or until the post was closed (terminated or expired).
    conventions, affectations, titulaires = [], [], []
    vague = [(p, debuts[i], None, 1) for i, p in enumerate(postes)]
    while vague:
        nouvelles = []
        for poste, debut, precedente, rang in vague:
            fin = fin_maximale_convention(debut)
            fermeture = fermeture_de[poste.pk]
            statut = StatutConvention.ECHUE if fin < aujourd_hui else StatutConvention.EN_COURS
            resiliation = None
            if fermeture is not None and fin >= fermeture:
                statut, resiliation, fin = StatutConvention.RESILIEE, fermeture, fermeture
            nouvelles.append(
                Convention(
                    poste=poste,
                    numero=f"{poste.identifiant}-{rang}",
                    rang=RangConvention.INITIALE if rang == 1 else RangConvention.RENOUVELLEMENT,
                    precedente_id=precedente,
                    date_debut=debut,
                    date_fin=fin,
                    statut=statut,
                    heures_hebdomadaires=poste.heures_hebdomadaires,
                    date_signature=debut - timedelta(days=15),
                    motif_resiliation=MotifResiliation.INITIATIVE_EMPLOYEUR if resiliation else "",
                    date_resiliation=resiliation,
                )
            )
        Convention.objects.bulk_create(nouvelles, batch_size=LOT)
        conventions.extend(nouvelles)
        suivante = []
        for c in nouvelles:
            # A titulaire per convention, hired a month after its start; a few posts stay vacant.
            if rng.random() < 0.93:
                embauche = c.date_debut + timedelta(days=rng.randint(0, 60))
                if embauche <= c.date_fin:
                    t = Titulaire(
                        nom=rng.choice(NOMS),
                        prenom=rng.choice(PRENOMS),
                        date_naissance=date(embauche.year - rng.randint(26, 60), rng.randint(1, 12), rng.randint(1, 28)),
                        qpv_residence_id=rng.choice(qpv_par_dep[c.poste.departement_id]),
                        situation_avant_embauche=SituationAvantEmbauche.SANS_EMPLOI,
                    )
                    ouverte = c.statut == StatutConvention.EN_COURS
                    titulaires.append(t)
                    affectations.append(
                        (
                            t,
                            Affectation(
                                poste=c.poste,
                                date_debut=embauche,
                                date_fin=None if ouverte else c.date_fin,
                                date_signature_contrat=embauche - timedelta(days=7),
                            ),
                        )
                    )
            if c.statut == StatutConvention.ECHUE:
                suivante.append((c.poste, c.date_fin + timedelta(days=1), c.pk, int(c.numero.rsplit("-", 1)[1]) + 1))
        vague = suivante

    financements = generer_financements(conventions, aujourd_hui)
    enveloppes = generer_enveloppes(postes, aujourd_hui)

    Titulaire.objects.bulk_create(titulaires, batch_size=LOT)
    for t, a in affectations:
        a.titulaire = t
    Affectation.objects.bulk_create([a for _, a in affectations], batch_size=LOT)

    # Requests in every state; an accepted one points to the post it created (the most recent posts).
    etats = list(StatutDemande.values)
    decides = {StatutDemande.ACCEPTEE, StatutDemande.REFUSEE, StatutDemande.CLASSEE_SANS_SUITE}
    recents = iter(sorted((p for p in postes if p.statut == StatutPoste.ACTIF), key=lambda p: p.identifiant[3:5], reverse=True))
    maintenant = timezone.now()
    demandes = []
    for i in range(v.demandes):
        statut = etats[i % len(etats)]
        poste = next(recents, None) if statut == StatutDemande.ACCEPTEE else None
        if statut == StatutDemande.ACCEPTEE and poste is None:
            statut = StatutDemande.EN_INSTRUCTION
        employeur = poste.employeur if poste else eligibles[i % len(eligibles)]
        depot = None if statut == StatutDemande.BROUILLON else maintenant - timedelta(days=30 + i % 300)
        demandes.append(
            Demande(
                employeur=employeur,
                departement=poste.departement if poste else employeur.departement,
                statut=statut,
                projet=f"Projet de médiation n° {i + 1}",
                heures_hebdomadaires=poste.heures_hebdomadaires if poste else Decimal("35"),
                date_debut_souhaitee=aujourd_hui + timedelta(days=90),
                date_depot=depot,
                date_decision=depot + timedelta(days=20) if statut in decides else None,
                motif_decision="Demande non conforme au cahier des charges." if statut == StatutDemande.REFUSEE else "",
                poste=poste,
            )
        )
    Demande.objects.bulk_create(demandes, batch_size=LOT)
    return {
        "departements": len(deps),
        "quartiers": QuartierPrioritaire.objects.count(),
        "employeurs": len(employeurs),
        "postes": len(postes),
        "postes_actifs": v.postes_actifs,
        "conventions": len(conventions),
        "titulaires": len(titulaires),
        "affectations": len(affectations),
        "demandes": v.demandes,
        "financements": financements,
        "enveloppes": enveloppes,
    }
