"""What a person's browser gets from the deployed site (README's deploy section, `site_deploye`):
the DSFR really applied (computed styles, not only the HTML), and skip links that lead somewhere.

Chromium talks to gunicorn on http://localhost behind a simulated TLS front server (every request
carries `X-Forwarded-Proto: https`); it accepts Secure cookies on localhost."""

import re

import pytest

from tests.deploye import EN_TETES_FRONTAL, connecter_dans_le_navigateur

pytestmark = pytest.mark.browser

PAGES_PAR_ROLE = {
    None: ["/comptes/connexion/", "/mentions-legales/", "/accessibilite/"],
    "agent@demo.gouv.fr": ["/postes/", "/demandes/", "/conventions/", "/financements/tableau-de-bord/", "/employeurs/"],
    "employeur@demo.fr": ["/espace-employeur/", "/demandes/mes-demandes/"],
    "admin@demo.gouv.fr": ["/postes/", "/financements/tableau-de-bord/", "/comptes/verrouillages/"],
}

MESURE_DES_STYLES = """async () => {
    await document.fonts.ready;
    const style = s => { const e = document.querySelector(s); return e && getComputedStyle(e); };
    const racine = getComputedStyle(document.documentElement);
    const bouton = [...document.querySelectorAll('main .fr-btn')].find(b =>
        !/fr-btn--(secondary|tertiary|tertiary-no-outline|close)/.test(b.className) && b.offsetParent);
    return {
        police: getComputedStyle(document.body).fontFamily,
        marianne_chargee: [...document.fonts].some(f => f.family.replace(/"/g, '') === 'Marianne' && f.status === 'loaded'),
        variable_bleu: racine.getPropertyValue('--background-action-high-blue-france').trim(),
        entete_ombre: style('.fr-header').filter,
        entete_fond: style('.fr-header').backgroundColor,
        titre_graisse: style('.fr-header__service-title').fontWeight,
        bouton: bouton ? bouton.textContent.trim() : null,
        bouton_fond: bouton ? getComputedStyle(bouton).backgroundColor : null,
    };
}"""


def defauts_de_style(mesure: dict) -> list[str]:
    """What shows that the DSFR stylesheet is not applied; empty when it is."""
    defauts = []
    if not mesure["police"].startswith("Marianne"):
        defauts.append(f"police du corps : {mesure['police']}")
    if not mesure["marianne_chargee"]:
        defauts.append("police Marianne non chargée")
    if mesure["variable_bleu"].lower() != "#000091":
        defauts.append(f"--background-action-high-blue-france : {mesure['variable_bleu']!r}")
    if "drop-shadow" not in mesure["entete_ombre"]:
        defauts.append(f"ombre de l’en-tête : {mesure['entete_ombre']}")
    if mesure["entete_fond"] != "rgb(255, 255, 255)":
        defauts.append(f"fond de l’en-tête : {mesure['entete_fond']}")
    if mesure["titre_graisse"] != "700":
        defauts.append(f"graisse du nom du service : {mesure['titre_graisse']}")
    if mesure["bouton"] is not None and mesure["bouton_fond"] != "rgb(0, 0, 145)":
        defauts.append(f"fond du bouton « {mesure['bouton']} » : {mesure['bouton_fond']}")
    return defauts


@pytest.fixture
def contexte_deploye(navigateur):
    contexte = navigateur.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    contexte.set_extra_http_headers(EN_TETES_FRONTAL)
    yield contexte
    contexte.close()


@pytest.mark.parametrize("email", list(PAGES_PAR_ROLE))
def test_styles_du_dsfr_appliques_sur_le_site_deploye(site_deploye, contexte_deploye, email):
    page = contexte_deploye.new_page()
    connecter_dans_le_navigateur(page, site_deploye.url, email)
    defauts = {}
    for chemin in PAGES_PAR_ROLE[email]:
        reponse = page.goto(site_deploye.url + chemin)
        assert reponse.status == 200, (chemin, reponse.status)
        if probleme := defauts_de_style(page.evaluate(MESURE_DES_STYLES)):
            defauts[chemin] = probleme
    assert not defauts, defauts


def test_la_mesure_des_styles_voit_une_page_sans_la_feuille_du_dsfr(site_deploye, contexte_deploye):
    """The check above fails on the page a person got when the browser blocked the stylesheet."""
    page = contexte_deploye.new_page()
    page.goto(site_deploye.url + "/comptes/connexion/")
    assert defauts_de_style(page.evaluate(MESURE_DES_STYLES)) == []
    contexte_deploye.route(re.compile(r"/static/dsfr/dist/dsfr/dsfr\.min\.[0-9a-f]+\.css$"), lambda route: route.abort())
    page.goto(site_deploye.url + "/comptes/connexion/")
    defauts = defauts_de_style(page.evaluate(MESURE_DES_STYLES))
    assert len(defauts) >= 5, defauts


# --- Skip links ---------------------------------------------------------------------------------

SUIVRE = """() => {
    const actif = document.activeElement;
    return {libelle: actif.textContent.trim(), href: actif.getAttribute('href'),
            dans_evitement: !!actif.closest('.fr-skiplinks'), visible: actif.getBoundingClientRect().height > 0};
}"""
ARRIVEE = """cible => {
    // Where Tab must land after following the link: the first focusable element inside the target,
    // or after it when the target has none (the browser moved its focus starting point there).
    const e = document.getElementById(cible);
    const r = e.getBoundingClientRect();
    const focalisables = [...document.querySelectorAll(
        'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])'
    )].filter(f => f.getClientRects().length && getComputedStyle(f).visibility !== 'hidden');
    const attendu = focalisables.find(f => e.contains(f) || (e.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING));
    return {hash: location.hash, dans_la_fenetre: r.bottom > 0 && r.top < innerHeight,
            focus_attendu: document.activeElement === attendu,
            focus: document.activeElement.outerHTML.slice(0, 120)};
}"""


def suivre_les_liens_d_evitement(page, url) -> list[str]:
    """From the top of the page: Tab to each skip link, Enter, check where the page went and that the
    next Tab lands in the target (or just after it, when the target holds nothing focusable)."""
    page.goto(url)
    liens = page.locator(".fr-skiplinks a").all()
    assert liens, f"aucun lien d’évitement sur {url}"
    defauts = []
    for rang in range(len(liens)):
        page.goto(url)
        for _ in range(rang + 1):
            page.keyboard.press("Tab")
        lien = page.evaluate(SUIVRE)
        if not lien["dans_evitement"] or not lien["visible"]:
            defauts.append(f"Tab n° {rang + 1} ne mène pas à un lien d’évitement visible : {lien}")
            continue
        cible = lien["href"].lstrip("#")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        arrivee = page.evaluate(ARRIVEE, cible)
        if arrivee["hash"] != lien["href"] or not arrivee["dans_la_fenetre"] or not arrivee["focus_attendu"]:
            defauts.append(f"« {lien['libelle']} » : {arrivee}")
    return defauts


@pytest.mark.parametrize("email", list(PAGES_PAR_ROLE))
def test_liens_d_evitement_suivis_au_clavier(site_deploye, contexte_deploye, email):
    page = contexte_deploye.new_page()
    connecter_dans_le_navigateur(page, site_deploye.url, email)
    defauts = {}
    for chemin in PAGES_PAR_ROLE[email]:
        if probleme := suivre_les_liens_d_evitement(page, site_deploye.url + chemin):
            defauts[chemin] = probleme
    assert not defauts, defauts
    libelles = [lien.inner_text().strip() for lien in page.locator(".fr-skiplinks a").all()]
    assert libelles == (["Contenu", "Pied de page"] if email is None else ["Contenu", "Menu", "Pied de page"])
