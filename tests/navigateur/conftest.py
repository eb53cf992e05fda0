"""Playwright driving Debian's Chromium (no browser download). Skipped with a reason when Chromium
is absent, except in CI where its absence is a failure."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def navigateur():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium est absent alors que la CI doit exécuter les tests navigateur.")
        pytest.skip("Chromium absent : installez le paquet Debian « chromium » pour les tests navigateur.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _nouvelle_page(navigateur):
    contexte = navigateur.new_context(locale="fr-FR")
    page = contexte.new_page()
    page.set_default_timeout(15000)
    yield page
    contexte.close()


@pytest.fixture
def page(navigateur):
    yield from _nouvelle_page(navigateur)


@pytest.fixture
def seconde_page(navigateur):
    """A second, independent browser session (another user next to the first one)."""
    yield from _nouvelle_page(navigateur)


def se_connecter(page, live_server, email, mot_de_passe):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_role("textbox", name="Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
