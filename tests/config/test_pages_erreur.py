"""Every error a person can meet (400, 403, CSRF failure, 404, 500) is a French DSFR page with the
header, a sentence that says what happened and a way back; the 500 page needs no database and no
request. The same pages on the deployed site: tests/config/test_site_deploye.py."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, RequestFactory

from commun.erreurs import erreur_serveur, requete_incorrecte
from tests.factories import AdminNationalFactory, AgentFactory, EmployeurUserFactory, departement

ANGLAIS = ("Not Found", "Forbidden", "Server Error", "Bad Request", "CSRF verification failed", "Page not found")


def verifier_page_erreur(html: str, code: int, titre: str):
    assert '<html lang="fr"' in html
    assert f"<h1>{titre}</h1>" in html
    assert f"Erreur {code}" in html
    assert 'class="fr-header"' in html, "la page d’erreur n’a pas l’en-tête du DSFR"
    assert "dsfr.min" in html, "la page d’erreur n’a pas la feuille du DSFR"
    assert "Retourner à l’accueil" in html
    for mot in ANGLAIS:
        assert mot not in html, mot


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


@pytest.mark.django_db
def test_page_introuvable_en_francais_pour_une_personne_non_connectee(client):
    reponse = client.get("/cette-page-n-existe-pas/")
    assert reponse.status_code == 404
    verifier_page_erreur(reponse.content.decode(), 404, "Page introuvable")
    assert "Se connecter" in reponse.content.decode()


@pytest.mark.django_db
def test_page_introuvable_garde_l_en_tete_de_la_personne_connectee(client):
    agent = AgentFactory(departements=[departement("93")])
    client.force_login(agent)
    reponse = client.get("/postes/00000R000000/")
    assert reponse.status_code == 404
    html = reponse.content.decode()
    verifier_page_erreur(html, 404, "Page introuvable")
    assert "Se déconnecter" in html and 'id="navigation-principale"' in html


@pytest.mark.django_db
def test_formulaire_sans_jeton_csrf_page_francaise():
    client = Client(enforce_csrf_checks=True)
    reponse = client.post("/comptes/connexion/", {"username": "x@exemple.fr", "password": "y"})
    assert reponse.status_code == 403
    html = reponse.content.decode()
    verifier_page_erreur(html, 403, "Formulaire expiré")
    assert "jeton de sécurité" in html


@pytest.mark.django_db
def test_hote_inconnu_requete_incorrecte_en_francais(client):
    reponse = client.get("/comptes/connexion/", HTTP_HOST="pirate.exemple.com")
    assert reponse.status_code == 400
    verifier_page_erreur(reponse.content.decode(), 400, "Requête incorrecte")


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_erreurs")
def test_erreur_du_serveur_page_francaise(client):
    client.raise_request_exception = False
    reponse = client.get("/panne-simulee/")
    assert reponse.status_code == 500
    verifier_page_erreur(reponse.content.decode(), 500, "Erreur inattendue")


def test_page_500_sans_base_de_donnees_ni_contexte_de_requete():
    # No `db` fixture: any query here would fail the test (pytest-django blocks the database).
    reponse = erreur_serveur(RequestFactory().get("/"))
    assert reponse.status_code == 500
    verifier_page_erreur(reponse.content.decode(), 500, "Erreur inattendue")
    assert "Se connecter" in reponse.content.decode()


def test_page_400_sans_base_de_donnees():
    reponse = requete_incorrecte(RequestFactory().get("/"), None)
    assert reponse.status_code == 400
    verifier_page_erreur(reponse.content.decode(), 400, "Requête incorrecte")


# --- /admin/ for people who are not national administrators (it used to redirect forever) -------


def suivre(client, url, limite=10):
    """Follow redirects by hand, failing on a loop (the browser gives up after about twenty)."""
    vues = []
    reponse = client.get(url)
    while reponse.status_code in (301, 302) and len(vues) < limite:
        vues.append(url)
        url = reponse["Location"]
        reponse = client.get(url)
    assert reponse.status_code not in (301, 302), f"boucle de redirections : {vues}"
    return reponse


@pytest.mark.django_db
@pytest.mark.parametrize("fabrique", [lambda: AgentFactory(departements=[departement("93")]), EmployeurUserFactory])
def test_administration_refusee_en_francais_a_l_agent_et_a_l_employeur(client, fabrique):
    client.force_login(fabrique())
    for url in ("/admin/", "/admin/postes/poste/"):
        reponse = suivre(client, url)
        assert reponse.status_code == 403, url
        html = reponse.content.decode()
        verifier_page_erreur(html, 403, "Accès refusé")
        assert "réservée aux administrateurs nationaux" in html


@pytest.mark.django_db
def test_administration_ouverte_a_l_administrateur_national(client):
    client.force_login(AdminNationalFactory())
    reponse = suivre(client, "/admin/")
    assert reponse.status_code == 200
    assert "Données de référence et comptes" in reponse.content.decode()


@pytest.mark.django_db
def test_page_de_connexion_de_l_administration_renvoie_l_administrateur_national_deja_connecte(client):
    client.force_login(AdminNationalFactory())
    assert client.get("/admin/login/?next=/admin/postes/poste/")["Location"] == "/admin/postes/poste/"
    assert client.get("/admin/login/?next=https://pirate.exemple.com/")["Location"] == "/admin/"


@pytest.mark.django_db
def test_administration_envoie_la_personne_non_connectee_vers_la_connexion(client):
    reponse = client.get("/admin/", follow=True)
    assert reponse.status_code == 200
    adresse = urlsplit(reponse.redirect_chain[-1][0])
    assert adresse.path == "/comptes/connexion/" and parse_qs(adresse.query)["next"] == ["/admin/"]


def test_les_anciennes_adresses_d_administration_des_modeles_deplaces_redirigent(client, admin_national):
    """Issue 17 moved models between apps: a bookmarked /admin/postes/convention/… still leads to its page."""
    client.force_login(admin_national)
    reponse = client.get("/admin/postes/convention/12/change/?_changelist_filters=statut%3Dsignee")
    assert reponse.status_code == 301
    assert reponse["Location"] == "/admin/conventions/convention/12/change/?_changelist_filters=statut%3Dsignee"
    assert client.get("/admin/financements/financementannuel/").headers["Location"] == "/admin/postes/financementannuel/"
