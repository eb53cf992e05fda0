"""RGAA: every page of every role passes axe-core (in Debian's Chromium) with no serious or critical
violation. The pages are those of the demo dataset, reached as each demo account."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from employeurs.models import Employeur
from postes.models import Convention, Poste
from tests.navigateur.conftest import se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GRAVES = {"serious", "critical"}


def pages_publiques():
    return [
        reverse("comptes:connexion"),
        reverse("comptes:reinitialisation"),
        reverse("legal:accessibilite"),
        reverse("legal:mentions_legales"),
        reverse("legal:donnees_personnelles"),
    ]


def pages_agent():
    poste = Poste.objects.filter(departement__code="93").order_by("identifiant").first()
    convention = Convention.objects.filter(poste=poste).first()
    return [
        reverse("postes:liste"),
        reverse("postes:liste") + "?q=mediation&statut=actif",
        reverse("postes:detail", args=[poste.identifiant]),
        reverse("postes:conventions"),
        reverse("postes:convention", args=[convention.pk]),
        reverse("employeurs:liste"),
        reverse("employeurs:detail", args=[poste.employeur.siret]),
        reverse("financements:liste"),
        reverse("postes:importer"),
    ]


def pages_employeur():
    association = Employeur.objects.get(raison_sociale="Association Médiation Plaine Commune")
    poste = association.postes.order_by("identifiant").first()
    return [
        reverse("postes:espace_employeur"),
        reverse("postes:detail", args=[poste.identifiant]),
        reverse("employeurs:detail", args=[association.siret]),
    ]


def pages_admin():
    return pages_agent()


def violations_graves(page, url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url)
    resultats = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in resultats.response["violations"]
        if v["impact"] in GRAVES
    ]


@pytest.mark.parametrize(
    "email,pages",
    [
        (None, pages_publiques),
        ("agent@demo.gouv.fr", pages_agent),
        ("employeur@demo.fr", pages_employeur),
        ("admin@demo.gouv.fr", pages_admin),
    ],
    ids=["public", "agent", "employeur", "administrateur"],
)
def test_aucune_violation_grave_d_accessibilite(page, live_server, email, pages):
    call_command("charger_demo", verbosity=0)
    if email:
        se_connecter(page, live_server, email, "demo-adultes-relais")
        page.wait_for_load_state()
    erreurs = {}
    for url in pages():
        graves = violations_graves(page, live_server.url + url)
        if graves:
            erreurs[url] = graves
    assert not erreurs, "\n".join(f"{url} :\n  " + "\n  ".join(v) for url, v in erreurs.items())
