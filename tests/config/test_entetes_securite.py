"""Production headers and cookies on every page, strict CSP, no inline script or style, sessions
that end after inactivity."""

import re
from collections import deque
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as reglages
from django.urls import reverse
from django.utils import timezone

from tests.factories import MOT_DE_PASSE

pytestmark = pytest.mark.django_db

RACINE = Path(__file__).resolve().parents[2]
LIEN = re.compile(r'href="(/[^"#]*)"')
SCRIPT_EN_LIGNE = re.compile(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>', re.I)
STYLE_EN_LIGNE = re.compile(r'<style[\s>]|\sstyle="', re.I)


def verifier_entetes(reponse, url):
    csp = reponse.headers.get("Content-Security-Policy", "")
    assert csp, f"pas de CSP sur {url}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    if reponse.headers.get("Content-Disposition", "").startswith("attachment") and url.startswith("/demandes/pieces/"):
        # A file an employer uploaded is served stricter still: nothing loads, sandboxed.
        assert csp == "default-src 'none'; sandbox", url
    else:
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if " " in d.strip())
        assert directives["default-src"] == "'self'", url
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self'", url
        assert directives["object-src"] == "'none'", url
        assert directives["frame-ancestors"] == "'none'", url
        assert directives["base-uri"] == "'none'", url
    assert reponse.headers.get("X-Frame-Options") == "DENY", url
    assert reponse.headers.get("X-Content-Type-Options") == "nosniff", url
    assert reponse.headers.get("Referrer-Policy") == "same-origin", url
    assert reponse.headers.get("Cross-Origin-Opener-Policy") == "same-origin", url
    assert "camera=()" in reponse.headers.get("Permissions-Policy", ""), url
    assert "geolocation=()" in reponse.headers.get("Permissions-Policy", ""), url
    assert reponse.headers.get("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload", url


def parcourir(client, departs, limite=60):
    """Every page reachable by links from `departs` (same site, GET), up to `limite` pages."""
    vues, file, pages = set(departs), deque(departs), []
    while file and len(pages) < limite:
        url = file.popleft()
        reponse = client.get(url, secure=True)
        pages.append((url, reponse))
        if "text/html" in reponse.headers.get("Content-Type", ""):
            for lien in LIEN.findall(reponse.content.decode()):
                lien = lien.replace("&amp;", "&")
                if lien.startswith(("/static/", "/comptes/deconnexion/")) or lien in vues:
                    continue
                vues.add(lien)
                file.append(lien)
    return pages


@pytest.mark.parametrize("role", [None, "agent93", "membre93", "admin_national"])
def test_entetes_de_production_sur_chaque_page(client, monde, role):
    departs = ["/", "/comptes/connexion/", "/comptes/mot-de-passe/oubli/", "/page-qui-n-existe-pas/"]
    if role:
        client.force_login(getattr(monde, role))
        departs += ["/admin/"] if role == "admin_national" else []
    pages = parcourir(client, departs)
    assert len(pages) >= (8 if role else 4)
    for url, reponse in pages:
        verifier_entetes(reponse, url)
        if "text/html" in reponse.headers.get("Content-Type", ""):
            html = reponse.content.decode()
            assert not SCRIPT_EN_LIGNE.search(html), f"script en ligne sur {url}"
            if not url.startswith("/admin/"):
                assert not STYLE_EN_LIGNE.search(html), f"style en ligne sur {url}"


def test_entetes_sur_les_fichiers_statiques_et_les_erreurs(client, db):
    verifier_entetes(client.get("/static/css/application.css", secure=True), "statique")
    verifier_entetes(client.get("/postes/inexistant/", secure=True), "redirection")
    verifier_entetes(client.post("/comptes/connexion/", {}, secure=True), "formulaire")


def test_aucun_script_ni_style_en_ligne_dans_les_gabarits():
    for gabarit in (RACINE / "templates").rglob("*.html"):
        if "pdf" in gabarit.parent.parts:
            continue  # turned into PDF by WeasyPrint, never served as a page
        texte = gabarit.read_text(encoding="utf-8")
        assert not SCRIPT_EN_LIGNE.search(texte), f"script en ligne dans {gabarit}"
        assert not STYLE_EN_LIGNE.search(texte), f"style en ligne dans {gabarit}"


def test_page_refusee_dans_un_cadre(client, db):
    reponse = client.get("/comptes/connexion/", secure=True)
    assert reponse.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in reponse.headers["Content-Security-Policy"]


def test_cookies_securises_httponly_samesite(client, agent93):
    page = client.get("/comptes/connexion/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    reponse = client.post("/comptes/connexion/", {"username": agent93.email, "password": MOT_DE_PASSE}, secure=True)
    assert reponse.status_code == 302
    session = reponse.cookies[reglages.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert not session["max-age"] and not session["expires"]  # ends with the browser too


def test_session_expire_apres_deux_heures_d_inactivite(client, agent93):
    assert reglages.SESSION_COOKIE_AGE == 2 * 60 * 60
    debut = timezone.now()

    def a(minutes):
        return mock.patch("django.utils.timezone.now", return_value=debut + timedelta(minutes=minutes))

    with a(0):
        client.post("/comptes/connexion/", {"username": agent93.email, "password": MOT_DE_PASSE})
    with a(110):  # active again before two hours: the session goes on…
        assert client.get("/postes/").status_code == 200
    with a(220):  # …and is counted from this last activity
        assert client.get("/postes/").status_code == 200
    with a(220 + 121):  # two hours without activity: signed out
        reponse = client.get("/postes/")
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:connexion"))


def test_connexion_renouvelle_l_identifiant_de_session(client, agent93):
    client.get("/comptes/connexion/")
    client.session.save()
    avant = client.session.session_key
    client.post("/comptes/connexion/", {"username": agent93.email, "password": MOT_DE_PASSE})
    assert client.session.session_key != avant


def test_la_session_n_est_pas_reecrite_a_chaque_page_mais_prolongee_chaque_minute(client, agent93):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    debut = timezone.now()

    def ecritures(minutes):
        with mock.patch("django.utils.timezone.now", return_value=debut + timedelta(minutes=minutes)):
            with CaptureQueriesContext(connection) as contexte:
                assert client.get("/postes/").status_code == 200
        return [q["sql"] for q in contexte.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]

    with mock.patch("django.utils.timezone.now", return_value=debut):
        client.post("/comptes/connexion/", {"username": agent93.email, "password": MOT_DE_PASSE})
    assert ecritures(0.5) == []  # within the minute: read only
    assert len(ecritures(1.5)) == 1  # a minute later: the expiry is pushed back
    assert ecritures(2) == []
