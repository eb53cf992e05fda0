"""In Chromium: an agent signs in through the fake ProConnect, a framed page is refused, the strict
CSP blocks nothing the pages need (the DSFR's JavaScript runs), a national administrator enrols
their second factor."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import MOT_DE_PASSE, AdminNationalFactory, AgentFactory, PosteFactory, departement
from tests.navigateur.conftest import se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations_csp(page):
    messages = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def test_agent_se_connecte_par_le_faux_proconnect_puis_se_deconnecte(page, live_server, proconnect):
    agent = AgentFactory(departements=[departement("93")], email="dominique.agent@seine-saint-denis.gouv.fr")
    poste = PosteFactory(departement=departement("93"))
    proconnect.vouer(agent.email)
    violations = violations_csp(page)
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    page.wait_for_url(f"{live_server.url}/postes/")
    assert page.get_by_role("heading", name="Postes adultes-relais").is_visible()
    assert poste.identifiant in page.locator("main").inner_text()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{live_server.url}/comptes/connexion/?state=*")
    assert proconnect.deconnexions, "la session ProConnect n’a pas été terminée"
    assert violations == []


def test_agent_inconnu_voit_le_message_sur_la_page_de_connexion(page, live_server, proconnect):
    proconnect.vouer("inconnu@interieur.gouv.fr")
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    page.wait_for_url(f"{live_server.url}/comptes/connexion/")
    assert "Aucun compte agent actif ne correspond à l’adresse inconnu@interieur.gouv.fr" in page.locator("main").inner_text()


def test_page_refusee_dans_un_cadre(page, live_server, db):
    # Another origin (127.0.0.1 rather than localhost) frames the sign-in page.
    cible = f"{live_server.url}/comptes/connexion/"
    page.goto(f"{live_server.url.replace('localhost', '127.0.0.1')}/static/css/application.css")
    page.set_content(f'<iframe src="{cible}" title="cadre"></iframe>')
    time.sleep(1.5)
    cadre = next(f for f in page.frames if f != page.main_frame)
    assert "Se connecter à Adultes-relais" not in cadre.content()


def test_aucune_violation_csp_et_le_javascript_du_dsfr_fonctionne(page, live_server, db):
    agent = AgentFactory(departements=[departement("93")])
    PosteFactory(departement=departement("93"))
    violations = violations_csp(page)
    se_connecter(page, live_server, agent.email, MOT_DE_PASSE)
    page.wait_for_url(f"{live_server.url}/postes/")
    for url in ["/postes/", "/conventions/", "/employeurs/", "/comptes/mot-de-passe/oubli/"]:
        page.goto(f"{live_server.url}{url}")
        # The DSFR marks the document once its JavaScript has started.
        page.wait_for_selector("html[data-fr-js='true']", state="attached")
    assert violations == []


def test_administrateur_active_son_second_facteur_puis_atteint_l_administration(page, live_server, db):
    admin = AdminNationalFactory(email="admin.national@interieur.gouv.fr")
    violations = violations_csp(page)
    se_connecter(page, live_server, admin.email, MOT_DE_PASSE)
    page.wait_for_url(f"{live_server.url}{reverse('comptes:double_facteur_enrolement')}*")
    assert page.locator(".ar-qr-code svg").is_visible()
    appareil = TOTPDevice.objects.get(user=admin)
    code = TOTP(appareil.bin_key, appareil.step, appareil.t0, appareil.digits, appareil.drift).token()
    page.get_by_label("Code à 6 chiffres").fill(f"{code:06d}")
    page.get_by_role("button", name="Activer").click()
    page.goto(f"{live_server.url}/admin/")
    assert page.get_by_role("heading", name="Données de référence et comptes").is_visible()
    assert violations == []
