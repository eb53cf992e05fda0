import pytest
from django.core.management import call_command

from postes.models import Poste
from tests.navigateur.conftest import se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_de_demo_se_connecte_et_voit_les_postes_du_93_seulement(page, live_server):
    call_command("charger_demo", verbosity=0)
    se_connecter(page, live_server, "agent@demo.gouv.fr", "demo-adultes-relais")
    page.wait_for_url(f"{live_server.url}/postes/")
    assert page.get_by_role("heading", name="Postes adultes-relais").is_visible()
    texte = page.locator("main").inner_text()
    assert "25 résultats" in texte
    for poste in Poste.objects.filter(departement__code="69"):
        assert poste.identifiant not in texte
    premier = Poste.objects.filter(departement__code="93").order_by("identifiant").first()
    page.get_by_role("link", name=premier.identifiant).click()
    assert page.get_by_role("heading", name=f"Poste {premier.identifiant}").is_visible()
