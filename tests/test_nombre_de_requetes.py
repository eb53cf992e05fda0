"""Query budget: every list, detail and export page runs a constant number of SQL queries whatever
the number of rows (no N+1). Each page is measured on a small and on a larger dataset."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from financements.models import FinancementAnnuel
from postes.models import DomaineMediation
from tests.factories import AffectationFactory, ConventionFactory, PosteFactory, QuartierFactory

pytestmark = pytest.mark.django_db


def peupler(employeur, nombre):
    """`nombre` posts of one employer, each with 2 QPV, 2 domains, 2 conventions and 2 affectations."""
    domaines = list(DomaineMediation.objects.all()[:2])
    for _ in range(nombre):
        poste = PosteFactory(employeur=employeur)
        poste.quartiers.set([QuartierFactory(departement=poste.departement), QuartierFactory(departement=poste.departement)])
        poste.domaines.set(domaines)
        c1 = ConventionFactory(poste=poste, date_debut=date(2021, 1, 1), date_fin=date(2023, 12, 31))
        ConventionFactory(poste=poste, date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31), precedente=c1, rang="renouvellement")
        AffectationFactory(poste=poste, date_debut=date(2021, 2, 1), date_fin=date(2023, 12, 31))
        AffectationFactory(poste=poste, date_debut=date(2024, 2, 1))
        FinancementAnnuel.objects.create(poste=poste, annee=2023, montant=22555.73)
    return poste


def requetes(client, url):
    with CaptureQueriesContext(connection) as contexte:
        reponse = client.get(url)
    assert reponse.status_code == 200, url
    return len(contexte.captured_queries)


PAGES_AGENT = [
    lambda p: reverse("postes:liste"),
    lambda p: reverse("postes:liste") + "?q=mediation&statut=en_attente",
    lambda p: reverse("postes:detail", args=[p.identifiant]),
    lambda p: reverse("postes:conventions"),
    lambda p: reverse("postes:convention", args=[p.conventions.first().pk]),
    lambda p: reverse("employeurs:liste"),
    lambda p: reverse("employeurs:detail", args=[p.employeur.siret]),
    lambda p: reverse("financements:liste"),
    lambda p: reverse("postes:liste") + "?format=csv",
    lambda p: reverse("postes:conventions") + "?format=xlsx",
    lambda p: reverse("employeurs:liste") + "?format=csv",
    lambda p: reverse("financements:liste") + "?format=csv&annee=2023",
    lambda p: reverse("demandes:liste") + "?format=csv",
]


@pytest.mark.parametrize("page", range(len(PAGES_AGENT)))
def test_pages_agent_en_nombre_de_requetes_constant(client, agent93, employeur93, page):
    client.force_login(agent93)
    poste = peupler(employeur93, 2)
    petit = requetes(client, PAGES_AGENT[page](poste))
    poste = peupler(employeur93, 12)
    grand = requetes(client, PAGES_AGENT[page](poste))
    assert grand == petit, f"{PAGES_AGENT[page](poste)} : {petit} requêtes pour 2 postes, {grand} pour 14"
    assert petit <= 20


def test_espace_employeur_en_nombre_de_requetes_constant(client, membre93, employeur93):
    client.force_login(membre93)
    peupler(employeur93, 2)
    petit = requetes(client, reverse("postes:espace_employeur"))
    peupler(employeur93, 12)
    assert requetes(client, reverse("postes:espace_employeur")) == petit
