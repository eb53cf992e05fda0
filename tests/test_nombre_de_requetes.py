"""Query budget: every list, detail, dashboard and export page runs a constant number of SQL queries
whatever the number of rows (no N+1). Each page is measured on a small and on a larger dataset."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def requetes(client, url):
    # A first visit fills what is shared between requests, at a cost that does not depend on the
    # rows shown: the dashboard's budget cache (pilotage/cache_budget.py, one computation per
    # département whose data changed) and the session's expiry, pushed back at most once a minute
    # (comptes/sessions.py). The measured visit is the page itself.
    client.get(url)
    with CaptureQueriesContext(connection) as contexte:
        reponse = client.get(url)
    assert reponse.status_code == 200, url
    return len(contexte.captured_queries)


def premiere_demande(employeur):
    return Demande.objects.filter(employeur=employeur).order_by("pk").first()


def premier_titulaire(employeur):
    return Affectation.objects.filter(poste__employeur=employeur).order_by("pk").first().titulaire_id


LISTES = [reverse("postes:liste"), reverse("conventions:liste"), reverse("employeurs:liste"), reverse("demandes:liste")]
PAGES_AGENT = [
    lambda p: reverse("postes:liste"),
    lambda p: reverse("postes:liste") + "?q=mediation&statut=en_attente",
    lambda p: reverse("conventions:poste", args=[p.identifiant]),
    lambda p: reverse("conventions:liste"),
    lambda p: reverse("conventions:detail", args=[p.conventions.first().pk]),
    lambda p: reverse("employeurs:liste"),
    lambda p: reverse("employeurs:detail", args=[p.employeur.siret]),
    lambda p: reverse("demandes:liste"),
    lambda p: reverse("demandes:detail", args=[premiere_demande(p.employeur).pk]),
    lambda p: reverse("pilotage:financements"),
    lambda p: reverse("pilotage:financements") + "?annee=2023",
    lambda p: reverse("titulaires:detail", args=[premier_titulaire(p.employeur)]),
    lambda p: reverse("pilotage:tableau_de_bord"),
    lambda p: reverse("pilotage:tableau_de_bord") + "?export=csv&tableau=departements",
    lambda p: reverse("financements:simulateur") + SIMULATION,
    *[(lambda liste, fmt: lambda p: f"{liste}?format={fmt}")(liste, fmt) for liste in LISTES for fmt in ("csv", "xlsx")],
    lambda p: reverse("pilotage:financements") + "?format=csv&annee=2023",
    lambda p: reverse("pilotage:financements") + "?format=xlsx&annee=2023",
]


def mesurer(client, url_de, employeur, agent):
    poste = peupler(employeur, 2, agent)
    petit = requetes(client, url_de(poste))
    poste = peupler(employeur, 12, agent)
    grand = requetes(client, url_de(poste))
    assert grand == petit, f"{url_de(poste)} : {petit} requêtes pour le petit jeu de données, {grand} pour le grand"
    assert petit <= 25, f"{url_de(poste)} : {petit} requêtes"


@pytest.mark.parametrize("page", range(len(PAGES_AGENT)))
def test_pages_agent_en_nombre_de_requetes_constant(client, agent93, employeur93, page):
    EnveloppeFactory()
    client.force_login(agent93)
    mesurer(client, PAGES_AGENT[page], employeur93, agent93)


PAGES_ADMIN = [
    lambda p: reverse("pilotage:tableau_de_bord"),
    lambda p: reverse("pilotage:tableau_de_bord") + "?export=xlsx&tableau=departements",
    lambda p: reverse("postes:liste"),
    lambda p: reverse("demandes:liste"),
    lambda p: reverse("comptes:verrouillages"),
]


@pytest.mark.parametrize("page", range(len(PAGES_ADMIN)))
def test_pages_admin_national_en_nombre_de_requetes_constant(client, admin_national, agent93, employeur93, page):
    EnveloppeFactory()
    client.force_login(admin_national)
    mesurer(client, PAGES_ADMIN[page], employeur93, agent93)


PAGES_EMPLOYEUR = [
    lambda p: reverse("espace_employeur"),
    lambda p: reverse("demandes:mes_demandes"),
    lambda p: reverse("demandes:detail", args=[premiere_demande(p.employeur).pk]),
    lambda p: reverse("conventions:poste", args=[p.identifiant]),
    lambda p: reverse("employeurs:detail", args=[p.employeur.siret]),
]


@pytest.mark.parametrize("page", range(len(PAGES_EMPLOYEUR)))
def test_pages_employeur_en_nombre_de_requetes_constant(client, membre93, agent93, employeur93, page):
    client.force_login(membre93)
    mesurer(client, PAGES_EMPLOYEUR[page], employeur93, agent93)
