"""Wide tables on a laptop screen (1280 × 800): they scroll horizontally inside the DSFR table wrapper
(`.fr-table__container`), the page itself does not, and the first column stays in view (sticky) over
an opaque background while the rest of the row scrolls under it. Only a browser shows this."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.chargement import MOT_DE_PASSE_DEMO
from tests.navigateur.conftest import se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ECRAN_PORTABLE = {"width": 1280, "height": 800}

MESURE = """() => {
  const tableaux = [...document.querySelectorAll('.fr-table')].map(t => {
    const conteneur = t.querySelector('.fr-table__wrapper .fr-table__container');
    const premiere = t.querySelector('tbody tr > :first-child');
    return {
      dans_le_wrapper: !!(conteneur && conteneur.querySelector('table')),
      defile: conteneur ? conteneur.scrollWidth > conteneur.clientWidth : false,
      position: premiere ? getComputedStyle(premiere).position : null,
    };
  });
  return {tableaux, largeur_page: document.documentElement.scrollWidth, fenetre: window.innerWidth};
}"""

DEFILER = """() => {
  const conteneur = [...document.querySelectorAll('.fr-table__container')].find(c => c.scrollWidth > c.clientWidth);
  const ligne = conteneur.querySelector('tbody tr');
  const [premiere, deuxieme] = ligne.children;
  const avant = {premiere: premiere.getBoundingClientRect().left, deuxieme: deuxieme.getBoundingClientRect().left};
  conteneur.scrollLeft = 200;
  const gauche = conteneur.getBoundingClientRect().left;
  const entete = conteneur.querySelector('thead tr > :first-child');
  return {
    avant,
    apres: {premiere: premiere.getBoundingClientRect().left, deuxieme: deuxieme.getBoundingClientRect().left},
    gauche_conteneur: gauche,
    entete: entete.getBoundingClientRect().left,
    fond: getComputedStyle(premiere).backgroundColor,
    defilement: conteneur.scrollLeft,
  };
}"""


@pytest.fixture
def agent(page, live_server, media):
    call_command("charger_demo", verbosity=0)
    page.set_viewport_size(ECRAN_PORTABLE)
    se_connecter(page, live_server, "agent@demo.gouv.fr", MOT_DE_PASSE_DEMO)
    return page


LISTES = [
    "postes:liste",
    "conventions:liste",
    "employeurs:liste",
    "demandes:liste",
    "pilotage:financements",
    "pilotage:tableau_de_bord",
]


def test_tableaux_dans_le_wrapper_dsfr_sans_defilement_de_la_page(agent, live_server):
    for nom in LISTES:
        agent.goto(live_server.url + reverse(nom))
        mesure = agent.evaluate(MESURE)
        assert mesure["tableaux"], nom
        assert all(t["dans_le_wrapper"] for t in mesure["tableaux"]), nom
        assert all(t["position"] == "sticky" for t in mesure["tableaux"]), nom
        assert mesure["largeur_page"] <= mesure["fenetre"], f"{nom} : la page défile horizontalement"


def test_la_liste_des_postes_defile_dans_son_tableau_et_garde_la_premiere_colonne(agent, live_server):
    agent.goto(live_server.url + reverse("postes:liste"))
    assert any(t["defile"] for t in agent.evaluate(MESURE)["tableaux"]), "le tableau tient à l’écran : rien à vérifier"
    mesure = agent.evaluate(DEFILER)
    assert mesure["defilement"] > 0
    assert mesure["apres"]["deuxieme"] < mesure["avant"]["deuxieme"] - 100  # the rest of the row scrolled
    assert abs(mesure["apres"]["premiere"] - mesure["gauche_conteneur"]) < 2  # the first column stayed
    assert abs(mesure["entete"] - mesure["gauche_conteneur"]) < 2  # and its header too
    assert mesure["fond"] not in ("rgba(0, 0, 0, 0)", "transparent")  # opaque: nothing shows through
