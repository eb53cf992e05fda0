"""Agent sign-in with ProConnect, against the fake provider of tests/faux_proconnect.py."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from comptes.proconnect import MESSAGE_AGENT_INCONNU, MESSAGE_COMPTE_EMPLOYEUR, MESSAGE_ECHEC
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def passer_par_proconnect(client, suite=None):
    """The browser's round trip: to ProConnect, signed in there, back to the application."""
    depart = client.get(reverse("comptes:proconnect"), {"next": suite} if suite else {})
    assert depart.status_code == 302
    chez_proconnect = requests.get(depart.url, allow_redirects=False, timeout=5)
    assert chez_proconnect.status_code == 302, chez_proconnect.text
    retour = urlsplit(chez_proconnect.headers["Location"])
    assert retour.path == reverse("comptes:proconnect_retour")
    return client.get(f"{retour.path}?{retour.query}")


def utilisateur_connecte(client):
    return client.get(reverse("accueil")).wsgi_request.user


def test_agent_connu_se_connecte_par_proconnect_de_bout_en_bout(client, proconnect, agent93, poste93):
    proconnect.vouer(agent93.email.upper())  # e-mail matched without regard to case
    reponse = passer_par_proconnect(client, suite=reverse("postes:liste"))
    assert reponse.status_code == 302 and reponse.url == reverse("postes:liste")
    assert utilisateur_connecte(client) == agent93
    assert poste93.identifiant in client.get(reverse("postes:liste")).content.decode()
    demande = proconnect.demandes[-1]
    assert demande["scope"].split()[:2] == ["openid", "email"]
    assert demande["nonce"] and demande["state"] and demande["code_challenge_method"] == "S256"


def test_agent_inconnu_refuse_avec_un_message_clair(client, proconnect, db):
    proconnect.vouer("inconnu@interieur.gouv.fr")
    reponse = passer_par_proconnect(client)
    assert reponse.url == reverse("comptes:connexion")
    page = client.get(reponse.url).content.decode()
    assert MESSAGE_AGENT_INCONNU.format(email="inconnu@interieur.gouv.fr") in page
    assert not utilisateur_connecte(client).is_authenticated


def test_aucun_compte_cree_par_proconnect(client, proconnect, django_user_model):
    proconnect.vouer("nouvel.agent@interieur.gouv.fr")
    avant = django_user_model.objects.count()
    passer_par_proconnect(client)
    assert django_user_model.objects.count() == avant


def test_agent_desactive_refuse(client, proconnect, dep93):
    agent = AgentFactory(departements=[dep93], is_active=False)
    proconnect.vouer(agent.email)
    passer_par_proconnect(client)
    assert not utilisateur_connecte(client).is_authenticated


def test_compte_employeur_refuse_et_renvoye_vers_le_mot_de_passe(client, proconnect, membre93):
    proconnect.vouer(membre93.email)
    reponse = passer_par_proconnect(client)
    page = client.get(reponse.url).content.decode()
    assert MESSAGE_COMPTE_EMPLOYEUR.format(email=membre93.email) in page
    assert not utilisateur_connecte(client).is_authenticated


def test_jeton_destine_a_un_autre_client_refuse(client, proconnect, agent93):
    proconnect.vouer(agent93.email)
    proconnect.audience = "une-autre-application"
    reponse = passer_par_proconnect(client)
    assert reponse.url == reverse("comptes:connexion")
    assert MESSAGE_ECHEC in client.get(reponse.url).content.decode()
    assert not utilisateur_connecte(client).is_authenticated


def test_code_rejoue_refuse(client, proconnect, agent93):
    proconnect.vouer(agent93.email)
    depart = client.get(reverse("comptes:proconnect"))
    retour = urlsplit(requests.get(depart.url, allow_redirects=False, timeout=5).headers["Location"])
    client.get(f"{retour.path}?{retour.query}")
    client.post(reverse("comptes:deconnexion"))
    # The same state and code a second time: the state is gone from the session.
    rejoue = client.get(f"{retour.path}?{retour.query}")
    assert rejoue.status_code in (302, 400)
    assert not utilisateur_connecte(client).is_authenticated


def test_refus_de_l_agent_chez_proconnect(client, proconnect, agent93):
    depart = client.get(reverse("comptes:proconnect"))
    state = parse_qs(urlsplit(depart.url).query)["state"][0]
    reponse = client.get(reverse("comptes:proconnect_retour"), {"error": "access_denied", "state": state})
    assert reponse.url == reverse("comptes:connexion")
    assert MESSAGE_ECHEC in client.get(reponse.url).content.decode()


def test_deconnexion_termine_aussi_la_session_proconnect(client, proconnect, agent93):
    proconnect.vouer(agent93.email)
    passer_par_proconnect(client)
    reponse = client.post(reverse("comptes:deconnexion"))
    assert reponse.url.startswith(f"{proconnect.url}/session/end?")
    params = parse_qs(urlsplit(reponse.url).query)
    assert params["id_token_hint"][0].count(".") == 2
    assert params["post_logout_redirect_uri"][0].endswith(reverse("comptes:connexion"))
    assert not utilisateur_connecte(client).is_authenticated


def test_bouton_proconnect_sur_la_page_de_connexion(client, proconnect):
    page = client.get(reverse("comptes:connexion")).content.decode()
    assert "S’identifier avec" in page and "ProConnect" in page
    assert reverse("comptes:proconnect") in page


def test_sans_configuration_ni_bouton_ni_url(client, db, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    page = client.get(reverse("comptes:connexion")).content.decode()
    assert "ProConnect" not in page
    assert client.get(reverse("comptes:proconnect")).status_code == 404
    assert client.get(reverse("comptes:proconnect_retour"), {"code": "x", "state": "y"}).status_code == 404


def test_administrateur_national_par_proconnect_doit_encore_donner_son_code(
    client_sans_double_facteur, proconnect, admin_national
):
    client = client_sans_double_facteur
    proconnect.vouer(admin_national.email)
    passer_par_proconnect(client)
    assert utilisateur_connecte(client) == admin_national
    reponse = client.get(reverse("postes:liste"))
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:double_facteur_enrolement"))
