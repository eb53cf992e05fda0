"""Error pages of the deployed site (README's deploy section): French DSFR pages, styled (their
stylesheets answer 200 with an exact integrity), even when the database server is down."""

import re

import requests

from tests.config.test_pages_erreur import verifier_page_erreur
from tests.config.test_site_deploye import SessionDerriereLeFrontal, session_connectee, verifier_ressources_servies
from tests.deploye import EN_TETES_FRONTAL


def verifier_feuilles_servies(site, html: str):
    assert verifier_ressources_servies(site, html) >= 4, "la page d’erreur ne charge pas les feuilles du DSFR"


def suivre(session, url, limite=10):
    """Redirects followed one by one (the cookies are Secure, see SessionDerriereLeFrontal)."""
    for _ in range(limite):
        reponse = session.get(url, timeout=30, allow_redirects=False)
        if reponse.status_code not in (301, 302):
            return reponse
        url = requests.compat.urljoin(url, reponse.headers["Location"])
    raise AssertionError(f"boucle de redirections depuis {url}")


def test_page_introuvable_francaise_sur_le_site_deploye(site_deploye):
    reponse = site_deploye.get("/cette-page-n-existe-pas/")
    assert reponse.status_code == 404
    verifier_page_erreur(reponse.text, 404, "Page introuvable")
    verifier_feuilles_servies(site_deploye, reponse.text)


def test_formulaire_sans_jeton_page_csrf_francaise_sur_le_site_deploye(site_deploye):
    session = SessionDerriereLeFrontal()
    session.headers.update({**EN_TETES_FRONTAL, "Origin": site_deploye.url, "Referer": site_deploye.url + "/"})
    reponse = session.post(site_deploye.url + "/comptes/connexion/", data={"username": "a@b.fr", "password": "x"}, timeout=30)
    assert reponse.status_code == 403
    verifier_page_erreur(reponse.text, 403, "Formulaire expiré")
    verifier_feuilles_servies(site_deploye, reponse.text)


def test_administration_refusee_en_francais_sur_le_site_deploye(site_deploye):
    for email in ("agent@demo.gouv.fr", "employeur@demo.fr"):
        session = session_connectee(site_deploye, email)
        reponse = suivre(session, site_deploye.url + "/admin/")
        assert reponse.status_code == 403, email
        verifier_page_erreur(reponse.text, 403, "Accès refusé")
        assert "réservée aux administrateurs nationaux" in reponse.text
        verifier_feuilles_servies(site_deploye, reponse.text)


def test_hote_inconnu_requete_incorrecte_en_francais_sur_le_site_deploye(site_deploye):
    reponse = site_deploye.get("/comptes/connexion/", headers={"Host": "pirate.exemple.com"})
    assert reponse.status_code == 400
    verifier_page_erreur(reponse.text, 400, "Requête incorrecte")
    verifier_feuilles_servies(site_deploye, reponse.text)


def test_page_500_francaise_quand_la_base_de_donnees_est_arretee(site_deploye_sans_base):
    site = site_deploye_sans_base
    # A signed-in person (session cookie): the session cannot be read.
    reponse = requests.get(
        site.url + "/postes/", headers={**EN_TETES_FRONTAL, "Cookie": "sessionid=session-de-quelqu-un"}, timeout=30
    )
    assert reponse.status_code == 500
    verifier_page_erreur(reponse.text, 500, "Erreur inattendue")
    verifier_feuilles_servies(site, reponse.text)
    # Someone signing in: the account cannot be read.
    session = SessionDerriereLeFrontal()
    session.headers.update({**EN_TETES_FRONTAL, "Origin": site.url, "Referer": site.url + "/comptes/connexion/"})
    page = session.get(site.url + "/comptes/connexion/", timeout=30)
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    reponse = session.post(
        site.url + "/comptes/connexion/",
        data={"csrfmiddlewaretoken": jeton, "username": "agent@demo.gouv.fr", "password": "x"},
        timeout=30,
    )
    assert reponse.status_code == 500
    verifier_page_erreur(reponse.text, 500, "Erreur inattendue")
