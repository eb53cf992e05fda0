"""Query budget: every list, detail, dashboard and export page runs an exact, constant number of SQL
queries whatever the number of rows (no N+1). Each page of each role is measured on a small and on a
larger dataset, and both counts must equal the snapshot of `REQUETES`: a change that adds a query fails
here and updates the number deliberately (a lower number is good news, to be written down too)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.models import Demande, EvenementDemande, NoteInstruction
from demandes.regles import StatutDemande
from postes.models import DomaineMediation, FinancementAnnuel
from tests.factories import (
    AffectationFactory,
    ConventionFactory,
    DiagnosticEligibiliteFactory,
    EmployeurFactory,
    EnveloppeFactory,
    PieceJointeFactory,
    PosteFactory,
    QuartierFactory,
    demande_complete,
)
from titulaires.models import Affectation

# Role → page (key of PAGES below) → exact number of SQL queries of one visit (after a first visit,
# see `requetes`), measured on 2 December 2026. A page the role may not open costs 2 queries
# (session and user; 3 for a national administrator): the rest is the page's own.
REQUETES = {
    "agent": {
        "postes": 9,
        "postes filtrés": 9,
        "poste": 10,
        "conventions": 5,
        "convention": 10,
        "employeurs": 5,
        "employeur": 5,
        "titulaire": 5,
        "demandes": 11,
        "demande": 12,
        "tableau de bord": 10,
        "tableau de bord (CSV)": 9,
        "financements": 6,
        "financements 2023": 6,
        "simulateur": 4,
        "postes (CSV)": 6,
        "postes (XLSX)": 6,
        "conventions (CSV)": 3,
        "conventions (XLSX)": 3,
        "employeurs (CSV)": 3,
        "employeurs (XLSX)": 3,
        "demandes (CSV)": 5,
        "demandes (XLSX)": 5,
        "financements 2023 (CSV)": 3,
        "financements 2023 (XLSX)": 3,
    },
    "admin_national": {
        "postes": 10,
        "poste": 11,
        "conventions": 6,
        "convention": 11,
        "employeurs": 6,
        "employeur": 6,
        "titulaire": 6,
        "demandes": 9,
        "demande": 13,
        "tableau de bord": 11,
        "tableau de bord (XLSX)": 10,
        "financements": 7,
        "simulateur": 5,
        "verrouillages": 5,
    },
    "employeur": {
        "espace employeur": 8,
        "mes demandes": 6,
        "demande": 7,
        "poste": 9,
        "convention": 8,
        "employeur": 4,
        "titulaire": 5,
    },
}

pytestmark = pytest.mark.django_db

SIMULATION = "?debut=2025-01-01&fin=2025-12-31&heures=35&vacances=01%2F03%2F2025+au+31%2F03%2F2025"


def peupler(employeur, nombre, agent):
    """`nombre` posts of one employer (and of a second employer of the same département), each with
    2 QPV, 2 domains, 2 conventions, 2 affectations, a funding record, a filed request with its
    attachments, events and notes; the first request gets as many events, notes and attachments more,
    the first titulaire as many diagnoses more."""
    domaines = list(DomaineMediation.objects.all()[:2])
    postes = []
    for i in range(nombre):
        structure = employeur if i % 2 == 0 else EmployeurFactory(departement=employeur.departement)
        poste = PosteFactory(employeur=structure, departement=employeur.departement)
        quartier = QuartierFactory(departement=poste.departement)
        poste.quartiers.set([quartier, QuartierFactory(departement=poste.departement)])
        poste.domaines.set(domaines)
        postes.append(poste)
        c1 = ConventionFactory(poste=poste, date_debut=date(2021, 1, 1), date_fin=date(2023, 12, 31))
        ConventionFactory(
            poste=poste, date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31), precedente=c1, rang="renouvellement"
        )
        AffectationFactory(poste=poste, date_debut=date(2021, 2, 1), date_fin=date(2023, 12, 31))
        AffectationFactory(poste=poste, date_debut=date(2024, 2, 1))
        FinancementAnnuel.objects.create(poste=poste, annee=2023, montant=22555.73)
        demande = demande_complete(
            employeur, quartier, statut=StatutDemande.EN_INSTRUCTION, instructeur=agent, date_depot=timezone.now()
        )
        EvenementDemande.objects.create(demande=demande, type="depot", statut_apres="deposee", auteur=agent, message="Déposée")
        NoteInstruction.objects.create(demande=demande, auteur=agent, texte="Vu.")
    premiere = Affectation.objects.filter(poste__employeur=employeur).order_by("pk").first()
    demande = premiere_demande(employeur)
    for _ in range(nombre):
        DiagnosticEligibiliteFactory(affectation=premiere, auteur=agent)
        EvenementDemande.objects.create(demande=demande, type="affectation", auteur=agent, message="Relance.")
        NoteInstruction.objects.create(demande=demande, auteur=agent, texte="Relu.")
        PieceJointeFactory(demande=demande)
    return postes[0]  # one of `employeur`


def requetes(client, url, attendu, django_assert_num_queries, info):
    # A first visit fills what is shared between requests, at a cost that does not depend on the
    # rows shown: the dashboard's budget cache (pilotage/cache_budget.py, one computation per
    # département whose data changed) and the session's expiry, pushed back at most once a minute
    # (comptes/sessions.py). The measured visit is the page itself.
    client.get(url)
    with django_assert_num_queries(attendu, info=info):
        reponse = client.get(url)
    assert reponse.status_code == 200, url


def premiere_demande(employeur):
    return Demande.objects.filter(employeur=employeur).order_by("pk").first()


def premier_titulaire(employeur):
    return Affectation.objects.filter(poste__employeur=employeur).order_by("pk").first().titulaire_id


LISTES = {
    "postes": reverse("postes:liste"),
    "conventions": reverse("conventions:liste"),
    "employeurs": reverse("employeurs:liste"),
    "demandes": reverse("demandes:liste"),
    "financements 2023": reverse("pilotage:financements") + "?annee=2023",
}
PAGES = {
    "postes": lambda p: reverse("postes:liste"),
    "postes filtrés": lambda p: reverse("postes:liste") + "?q=mediation&statut=en_attente",
    "poste": lambda p: reverse("conventions:poste", args=[p.identifiant]),
    "conventions": lambda p: reverse("conventions:liste"),
    "convention": lambda p: reverse("conventions:detail", args=[p.conventions.first().pk]),
    "employeurs": lambda p: reverse("employeurs:liste"),
    "employeur": lambda p: reverse("employeurs:detail", args=[p.employeur.siret]),
    "titulaire": lambda p: reverse("titulaires:detail", args=[premier_titulaire(p.employeur)]),
    "demandes": lambda p: reverse("demandes:liste"),
    "demande": lambda p: reverse("demandes:detail", args=[premiere_demande(p.employeur).pk]),
    "mes demandes": lambda p: reverse("demandes:mes_demandes"),
    "espace employeur": lambda p: reverse("espace_employeur"),
    "tableau de bord": lambda p: reverse("pilotage:tableau_de_bord"),
    "tableau de bord (CSV)": lambda p: reverse("pilotage:tableau_de_bord") + "?export=csv&tableau=departements",
    "tableau de bord (XLSX)": lambda p: reverse("pilotage:tableau_de_bord") + "?export=xlsx&tableau=departements",
    "financements": lambda p: reverse("pilotage:financements"),
    "financements 2023": lambda p: LISTES["financements 2023"],
    "simulateur": lambda p: reverse("financements:simulateur") + SIMULATION,
    "verrouillages": lambda p: reverse("comptes:verrouillages"),
    **{
        f"{nom} ({fmt.upper()})": (lambda url: lambda p: url)(f"{url}{'&' if '?' in url else '?'}format={fmt}")
        for nom, url in LISTES.items()
        for fmt in ("csv", "xlsx")
    },
}
UTILISATEURS = {"agent": "agent93", "admin_national": "admin_national", "employeur": "membre93"}


@pytest.mark.parametrize(("role", "page"), [(role, page) for role, pages in REQUETES.items() for page in pages])
def test_nombre_exact_de_requetes_constant_quand_les_lignes_augmentent(
    request, client, django_assert_num_queries, agent93, employeur93, role, page
):
    EnveloppeFactory()
    client.force_login(request.getfixturevalue(UTILISATEURS[role]))
    attendu = REQUETES[role][page]
    poste = peupler(employeur93, 2, agent93)
    requetes(client, PAGES[page](poste), attendu, django_assert_num_queries, f"{role}, {page}, petit jeu de données")
    poste = peupler(employeur93, 12, agent93)
    requetes(client, PAGES[page](poste), attendu, django_assert_num_queries, f"{role}, {page}, grand jeu de données")
