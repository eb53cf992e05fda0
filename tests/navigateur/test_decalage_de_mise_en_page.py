"""Content does not jump while a page loads: on the deployed site (tests/deploye.py), the cumulative
layout shift of each role's main pages stays under 0.1 (Core Web Vitals' « good » limit) on a desktop
and a phone-sized screen, with the web fonts arriving late (each .woff2 answered one second later, as
on a slow phone network: that is when the text, first drawn in a fallback font, swaps to Marianne)."""

import re
import time

import pytest

from tests.deploye import EN_TETES_FRONTAL, connecter_dans_le_navigateur

pytestmark = pytest.mark.browser

SEUIL = 0.1
RETARD_POLICES = 1.0  # seconds
ECRANS = {"ordinateur": {"width": 1366, "height": 768}, "téléphone": {"width": 390, "height": 844}}

# Installed before any script of the page: every layout shift not caused by an input is summed.
OBSERVATEUR = """
window.__decalages = [];
new PerformanceObserver(liste => {
  for (const e of liste.getEntries()) {
    if (!e.hadRecentInput) window.__decalages.push({valeur: e.value, sources: (e.sources || []).map(s => {
      const n = s.node; return n && n.nodeType === 1 ? n.tagName.toLowerCase() + (n.id ? '#' + n.id : '')
        + (n.className && typeof n.className === 'string' ? '.' + n.className.trim().split(/\\s+/).slice(0, 2).join('.') : '') : String(n && n.nodeName);
    })});
  }
}).observe({type: 'layout-shift', buffered: true});
"""
CUMUL = """async () => {
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 500)));
  return window.__decalages;
}"""

PAGES_PAR_ROLE = {
    None: ["/comptes/connexion/"],
    "agent@demo.gouv.fr": ["/postes/", "/demandes/", "/conventions/", "/financements/tableau-de-bord/", "/employeurs/"],
    "employeur@demo.fr": ["/", "/demandes/mes-demandes/"],
    "admin@demo.gouv.fr": ["/postes/", "/financements/tableau-de-bord/"],
}


def pages_de_l_employeur(page, url):
    """The employer's home and requests, a request's page and the first two steps of a draft."""
    page.goto(f"{url}/demandes/mes-demandes/")
    liens = page.locator("a[href^='/demandes/']").evaluate_all("ls => ls.map(l => l.getAttribute('href'))")
    details = [lien for lien in dict.fromkeys(liens) if re.fullmatch(r"/demandes/\d+/", lien)]
    for detail in details:  # a draft's page links to its steps
        page.goto(url + detail)
        if page.locator("a[href*='/modifier/']").count():
            return [detail, f"{detail}modifier/structure/", f"{detail}modifier/projet/"]
    raise AssertionError("aucun brouillon dans les demandes de l’employeur de démonstration")


def polices_en_retard(route):
    time.sleep(RETARD_POLICES)
    route.continue_()


def decalage(page, url) -> tuple[float, list]:
    page.goto(url, wait_until="load")
    entrees = page.evaluate(CUMUL)
    return sum(e["valeur"] for e in entrees), entrees


@pytest.mark.parametrize("ecran", list(ECRANS))
@pytest.mark.parametrize("email", list(PAGES_PAR_ROLE), ids=lambda e: (e or "anonyme").split("@")[0])
def test_pas_de_decalage_de_mise_en_page_au_chargement(navigateur, site_deploye, email, ecran):
    contexte = navigateur.new_context(
        locale="fr-FR", viewport=ECRANS[ecran], is_mobile=ecran == "téléphone", has_touch=ecran == "téléphone"
    )
    contexte.set_extra_http_headers(EN_TETES_FRONTAL)
    try:
        page = contexte.new_page()
        page.set_default_timeout(20000)
        if email:
            connecter_dans_le_navigateur(page, site_deploye.url, email)
        chemins = PAGES_PAR_ROLE[email] + (pages_de_l_employeur(page, site_deploye.url) if email == "employeur@demo.fr" else [])
        page.close()
        contexte.add_init_script(OBSERVATEUR)
        # A first visit: routing disables the browser's cache, and the fonts arrive late.
        contexte.route("**/*.woff2", polices_en_retard)
        trop = {}
        for chemin in chemins:
            page = contexte.new_page()
            page.set_default_timeout(20000)
            total, entrees = decalage(page, site_deploye.url + chemin)
            if total > SEUIL:
                trop[chemin] = (round(total, 3), [(round(e["valeur"], 3), e["sources"][:3]) for e in entrees][:6])
            page.close()
    finally:
        contexte.close()
    assert not trop, f"décalage cumulé au-dessus de {SEUIL} ({ecran}) :\n" + "\n".join(f"{c} : {v}" for c, v in trop.items())


def test_menu_mobile_ouvert_est_une_fenetre_de_dialogue_nommee(navigateur, site_deploye):
    """The menu's markup has no aria-labelledby (invalid on a plain div): DSFR's script names it and gives
    it its dialog role when it opens on a phone."""
    contexte = navigateur.new_context(locale="fr-FR", viewport=ECRANS["téléphone"])
    contexte.set_extra_http_headers(EN_TETES_FRONTAL)
    try:
        page = contexte.new_page()
        connecter_dans_le_navigateur(page, site_deploye.url, "employeur@demo.fr")
        assert page.locator("#menu-mobile").get_attribute("role") is None
        page.get_by_role("button", name="Menu").click()
        menu = page.get_by_role("dialog", name="Menu")
        menu.wait_for()
        assert menu.get_by_role("link", name="Mes demandes").count()
    finally:
        contexte.close()
