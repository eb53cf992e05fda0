"""The site as deployed (README's deploy section: DEBUG=false, collectstatic with the manifest
storage, gunicorn behind a TLS front server): what a person's browser receives."""

import base64
import hashlib
import re

import pytest
import requests

from demo.chargement import MOT_DE_PASSE_DEMO
from tests.deploye import EN_TETES_FRONTAL

PAGES_PAR_ROLE = {
    None: ["/comptes/connexion/", "/mentions-legales/", "/accessibilite/"],
    "agent@demo.gouv.fr": ["/", "/demandes/", "/postes/", "/conventions/", "/financements/tableau-de-bord/", "/employeurs/"],
    "employeur@demo.fr": ["/", "/demandes/mes-demandes/"],
}


class SessionDerriereLeFrontal(requests.Session):
    """The cookies are Secure (HTTPS ends at the front server): this client talks to gunicorn behind it."""

    def request(self, *args, **kwargs):
        for cookie in self.cookies:
            cookie.secure = False
        return super().request(*args, **kwargs)


def session_connectee(site, email):
    session = SessionDerriereLeFrontal()
    session.headers.update({**EN_TETES_FRONTAL, "Origin": site.url, "Referer": site.url + "/comptes/connexion/"})
    if email:
        page = session.get(site.url + "/comptes/connexion/", timeout=30)
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        reponse = session.post(
            site.url + "/comptes/connexion/",
            data={"csrfmiddlewaretoken": jeton, "username": email, "password": MOT_DE_PASSE_DEMO},
            timeout=30,
            allow_redirects=False,
        )
        assert reponse.status_code == 302, reponse.text[-2000:]
        reponse = session.get(site.url + reponse.headers["Location"], timeout=30)
        assert "Se déconnecter" in reponse.text, f"{email} n’a pas pu se connecter sur le site déployé"
    return session


def empreinte(contenu: bytes, algorithme: str) -> str:
    return f"{algorithme}-" + base64.b64encode(hashlib.new(algorithme, contenu).digest()).decode()


def test_check_deploy_sans_remarque_avec_les_variables_du_readme(site_deploye):
    sortie = next(texte for commande, texte in site_deploye.sorties.items() if "check --deploy" in commande)
    assert "System check identified no issues" in sortie, sortie


def verifier_ressources_servies(site, html: str, page: str = "") -> int:
    """Every stylesheet and script of `html` answers 200, with the integrity it announces; returns how
    many were fetched."""
    vues = 0
    for balise in re.finditer(r"<(?:link|script)\b[^>]*>", html):
        source = re.search(r'(?:href|src)="(/static/[^"]+)"', balise.group(0))
        if not source:
            continue
        fichier = site.get(source.group(1))
        assert fichier.status_code == 200, (page, source.group(1), fichier.status_code)
        vues += 1
        integrite = re.search(r'integrity="([^"]+)"', balise.group(0))
        if integrite:
            algorithme = integrite.group(1).split("-", 1)[0]
            assert integrite.group(1) == empreinte(fichier.content, algorithme), (page, source.group(1))
    return vues


@pytest.mark.parametrize("email", list(PAGES_PAR_ROLE))
def test_feuilles_de_style_et_scripts_servis_avec_une_integrite_exacte(site_deploye, email):
    session = session_connectee(site_deploye, email)
    vus = 0
    for chemin in PAGES_PAR_ROLE[email]:
        page = session.get(site_deploye.url + chemin, timeout=30)
        assert page.status_code == 200, (chemin, page.status_code)
        vus += verifier_ressources_servies(site_deploye, page.text, chemin)
    assert vus >= 5


def test_fichiers_statiques_empreintes_et_mis_en_cache_longtemps(site_deploye):
    page = site_deploye.get("/comptes/connexion/")
    feuille = re.search(r'href="(/static/dsfr/dist/dsfr/dsfr\.min\.[0-9a-f]{12}\.css)"', page.text)
    assert feuille, "la feuille du DSFR n’est pas servie sous son nom empreinté (manifeste)"
    reponse = site_deploye.get(feuille.group(1), headers={"Accept-Encoding": "gzip, br"})
    assert "max-age=315360000" in reponse.headers["Cache-Control"]
    assert reponse.headers.get("Content-Encoding") in {"gzip", "br"}


def test_en_tetes_de_securite_sur_le_site_deploye(site_deploye):
    reponse = site_deploye.get("/comptes/connexion/")
    en_tetes = reponse.headers
    assert "max-age=31536000" in en_tetes["Strict-Transport-Security"]
    assert en_tetes["X-Content-Type-Options"] == "nosniff"
    assert en_tetes["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in en_tetes["Content-Security-Policy"]
    assert "unsafe-inline" not in en_tetes["Content-Security-Policy"]
    assert en_tetes["Referrer-Policy"]
    assert en_tetes["Permissions-Policy"]
    assert "Secure" in en_tetes.get("Set-Cookie", "Secure")


def test_sans_frontal_https_le_site_deploye_redirige_vers_https(site_deploye):
    reponse = requests.get(site_deploye.url + "/comptes/connexion/", allow_redirects=False, timeout=30)
    assert reponse.status_code == 301
    assert reponse.headers["Location"].startswith("https://")


def test_polices_prechargees_celles_de_la_feuille_du_dsfr_en_cache_long(site_deploye):
    """A preload under another name than the style sheet's would download each font twice."""
    page = site_deploye.get("/comptes/connexion/").text
    prechargees = re.findall(r'<link rel="preload" href="([^"]+\.woff2)" as="font" type="font/woff2" crossorigin>', page)
    assert len(prechargees) == 2, prechargees
    feuille = re.search(r'href="(/static/dsfr/dist/dsfr/dsfr\.min\.[0-9a-f]{12}\.css)"', page).group(1)
    css = site_deploye.get(feuille).text
    for police in prechargees:
        assert f"../fonts/{police.rsplit('/', 1)[1]}" in css, police
        reponse = site_deploye.get(police)
        assert reponse.status_code == 200 and "max-age=315360000" in reponse.headers["Cache-Control"], police
