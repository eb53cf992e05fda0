"""Skip links (liens d’évitement, RGAA 12.7): every page has « Contenu », « Menu » (when the page has
a menu) and « Pied de page », and each one leads to an element of the page. The browser follows them
in tests/navigateur/test_liens_evitement.py."""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from comptes.models import Utilisateur
from tests.navigateur.test_accessibilite import pages_admin, pages_agent, pages_employeur, pages_publiques

LIBELLES_ATTENDUS = {"Contenu", "Menu", "Pied de page"}


class LectureEvitement(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()
        self.liens = []  # (href, label)
        self._dans_evitement = 0
        self._lien = None

    def handle_starttag(self, balise, attributs):
        attributs = dict(attributs)
        if attributs.get("id"):
            self.ids.add(attributs["id"])
        if self._dans_evitement:
            self._dans_evitement += 1
        elif "fr-skiplinks" in (attributs.get("class") or "").split():
            self._dans_evitement = 1
        if self._dans_evitement and balise == "a":
            self._lien = [attributs.get("href", ""), ""]

    def handle_data(self, texte):
        if self._lien is not None:
            self._lien[1] += texte

    def handle_endtag(self, balise):
        if balise == "a" and self._lien is not None:
            self.liens.append((self._lien[0], self._lien[1].strip()))
            self._lien = None
        if self._dans_evitement:
            self._dans_evitement -= 1


def defauts_des_liens_d_evitement(html: str) -> list[str]:
    lecture = LectureEvitement()
    lecture.feed(html)
    defauts = []
    libelles = {libelle for _, libelle in lecture.liens}
    attendus = LIBELLES_ATTENDUS if "navigation-principale" in lecture.ids else LIBELLES_ATTENDUS - {"Menu"}
    if libelles != attendus:
        defauts.append(f"liens d’évitement {sorted(libelles)} au lieu de {sorted(attendus)}")
    for href, libelle in lecture.liens:
        if not href.startswith("#") or href[1:] not in lecture.ids:
            defauts.append(f"« {libelle} » mène à {href!r}, absent de la page")
    return defauts


@pytest.fixture
def demo(db, media):
    call_command("charger_demo", verbosity=0)


def verifier(client, urls):
    defauts = {}
    for url in urls:
        reponse = client.get(url)
        assert reponse.status_code == 200, (url, reponse.status_code)
        if probleme := defauts_des_liens_d_evitement(reponse.content.decode()):
            defauts[url] = probleme
    assert not defauts, defauts


def test_pages_publiques_liens_d_evitement_vers_le_contenu_et_le_pied_de_page(client, demo):
    verifier(client, pages_publiques())


def test_pages_de_l_agent_liens_d_evitement_qui_menent_quelque_part(client, demo):
    client.force_login(Utilisateur.objects.get(email="agent@demo.gouv.fr"))
    verifier(client, pages_agent())


def test_pages_de_l_employeur_liens_d_evitement_qui_menent_quelque_part(client, demo):
    client.force_login(Utilisateur.objects.get(email="employeur@demo.fr"))
    verifier(client, pages_employeur())


def test_pages_de_l_administrateur_national_liens_d_evitement_qui_menent_quelque_part(client, demo):
    client.force_login(Utilisateur.objects.get(email="admin@demo.gouv.fr"))
    verifier(client, pages_admin())


def test_page_d_erreur_liens_d_evitement(client, demo, settings):
    settings.DEBUG = False
    client.force_login(Utilisateur.objects.get(email="agent@demo.gouv.fr"))
    reponse = client.get("/cette-page-n-existe-pas/")
    assert reponse.status_code == 404
    assert defauts_des_liens_d_evitement(reponse.content.decode()) == []


def test_la_verification_voit_un_lien_d_evitement_vide_ou_perdu():
    sans_liens = '<div class="fr-skiplinks"><nav><ul class="fr-skiplinks__list"></ul></nav></div><main id="content"></main>'
    assert defauts_des_liens_d_evitement(sans_liens)
    perdu = (
        '<div class="fr-skiplinks"><nav><ul><li><a href="#content">Contenu</a></li>'
        '<li><a href="#pied">Pied de page</a></li></ul></nav></div><main id="content"></main><footer id="footer"></footer>'
    )
    assert defauts_des_liens_d_evitement(perdu) == ["« Pied de page » mène à '#pied', absent de la page"]
