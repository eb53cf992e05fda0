"""Throttling of failed sign-ins: per account, per address, French message, unlock by a national
administrator."""

import pytest
from django.urls import reverse

from comptes.verrouillage import adresse_parmi_proxys
from tests.factories import MOT_DE_PASSE, AgentFactory

pytestmark = pytest.mark.django_db

CONNEXION = "/comptes/connexion/"


def essayer(client, email, mot_de_passe, adresse="198.51.100.7"):
    return client.post(CONNEXION, {"username": email, "password": mot_de_passe}, REMOTE_ADDR=adresse)


def connecte(client):
    return client.get(reverse("accueil")).wsgi_request.user.is_authenticated


def test_sixieme_essai_refuse_meme_avec_le_bon_mot_de_passe(client, agent93):
    for _ in range(5):
        assert essayer(client, agent93.email, "mauvais-mot-de-passe").status_code in (200, 429)
    reponse = essayer(client, agent93.email, MOT_DE_PASSE)
    assert reponse.status_code == 429
    assert not connecte(client)
    page = reponse.content.decode()
    assert "Trop de tentatives de connexion ont échoué" in page and "30 minutes" in page


def test_quatre_echecs_puis_bon_mot_de_passe_accepte(client, agent93):
    for _ in range(4):
        essayer(client, agent93.email, "mauvais-mot-de-passe")
    assert essayer(client, agent93.email, MOT_DE_PASSE).status_code == 302
    assert connecte(client)


def test_blocage_par_compte_quelle_que_soit_l_adresse_et_la_casse(client, agent93):
    for n in range(5):
        essayer(client, agent93.email.upper() if n % 2 else agent93.email, "faux", adresse=f"203.0.113.{n}")
    assert essayer(client, agent93.email, MOT_DE_PASSE, adresse="192.0.2.200").status_code == 429


def test_blocage_par_adresse_au_dela_de_la_limite_par_adresse(client, settings, dep93):
    settings.CONNEXION_ECHECS_MAX_PAR_ADRESSE = 8
    for n in range(8):  # 8 different accounts, one failure each: no account reaches 5
        essayer(client, f"essai{n}@exemple.fr", "faux", adresse="198.51.100.50")
    agent = AgentFactory(departements=[dep93])
    assert essayer(client, agent.email, MOT_DE_PASSE, adresse="198.51.100.50").status_code == 429
    # From another address, the same agent signs in.
    assert essayer(client, agent.email, MOT_DE_PASSE, adresse="198.51.100.51").status_code == 302


def test_adresse_inconnue_bloquee_comme_une_adresse_connue(client, agent93):
    """A lockout must not reveal which addresses have an account."""
    for _ in range(5):
        essayer(client, "personne@nulle-part.fr", "faux")
        essayer(client, agent93.email, "faux")
    inconnu = essayer(client, "personne@nulle-part.fr", "faux")
    connu = essayer(client, agent93.email, "faux")
    assert inconnu.status_code == connu.status_code == 429


def test_administrateur_national_debloque_un_compte(client, agent93, admin_national):
    for _ in range(5):
        essayer(client, agent93.email, "faux")
    client.force_login(admin_national)
    page = client.get(reverse("comptes:verrouillages")).content.decode()
    assert agent93.email in page and "Débloquer" in page
    reponse = client.post(reverse("comptes:debloquer"), {"genre": "compte", "valeur": agent93.email}, follow=True)
    assert f"Le compte {agent93.email} est débloqué." in reponse.content.decode()
    client.post(reverse("comptes:deconnexion"))
    assert essayer(client, agent93.email, MOT_DE_PASSE).status_code == 302


def test_administrateur_national_debloque_une_adresse(client, settings, admin_national, agent93):
    settings.CONNEXION_ECHECS_MAX_PAR_ADRESSE = 3
    for n in range(3):
        essayer(client, f"essai{n}@exemple.fr", "faux", adresse="198.51.100.60")
    client.force_login(admin_national)
    assert "198.51.100.60" in client.get(reverse("comptes:verrouillages")).content.decode()
    client.post(reverse("comptes:debloquer"), {"genre": "adresse", "valeur": "198.51.100.60"})
    client.post(reverse("comptes:deconnexion"))
    assert essayer(client, agent93.email, MOT_DE_PASSE, adresse="198.51.100.60").status_code == 302


@pytest.mark.parametrize("role", ["agent93", "membre93"])
def test_page_des_blocages_reservee_aux_administrateurs_nationaux(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("comptes:verrouillages")).status_code == 404
    assert client.post(reverse("comptes:debloquer"), {"genre": "compte", "valeur": "x@y.fr"}).status_code == 404


def test_page_des_blocages_anonyme_renvoye_a_la_connexion(client, db):
    reponse = client.get(reverse("comptes:verrouillages"))
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:connexion"))


def test_lien_comptes_bloques_dans_la_navigation_de_l_administrateur(client, admin_national):
    client.force_login(admin_national)
    assert reverse("comptes:verrouillages") in client.get(reverse("postes:liste")).content.decode()


def test_adresse_du_client_derriere_un_proxy():
    assert adresse_parmi_proxys("10.0.0.2", "", 0) == "10.0.0.2"
    # Without trusted proxies, X-Forwarded-For (written by anyone) is ignored.
    assert adresse_parmi_proxys("203.0.113.9", "1.2.3.4", 0) == "203.0.113.9"
    # Behind one proxy: the address it appended, not what the client wrote before it.
    assert adresse_parmi_proxys("10.0.0.2", "1.2.3.4, 203.0.113.9", 1) == "203.0.113.9"
    assert adresse_parmi_proxys("10.0.0.2", "203.0.113.9, 10.0.0.1", 2) == "203.0.113.9"
    assert adresse_parmi_proxys("10.0.0.2", "", 1) == "10.0.0.2"
