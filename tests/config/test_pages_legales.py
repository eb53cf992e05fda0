import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "nom,titre",
    [
        ("legal:accessibilite", "Déclaration d’accessibilité"),
        ("legal:mentions_legales", "Mentions légales"),
        ("legal:donnees_personnelles", "Données personnelles"),
    ],
)
def test_pages_legales_publiques_et_liees_dans_le_pied_de_page(client, nom, titre):
    reponse = client.get(reverse(nom))
    assert reponse.status_code == 200
    assert f"<h1>{titre}</h1>" in reponse.content.decode()
    pied = client.get(reverse("comptes:connexion")).content.decode()
    assert reverse(nom) in pied


def test_declaration_d_accessibilite_donne_l_etat_de_conformite(client):
    html = client.get(reverse("legal:accessibilite")).content.decode()
    assert "partiellement conforme" in html and "Défenseur des droits" in html


def test_donnees_personnelles_annoncent_la_duree_de_conservation(client, settings):
    settings.RETENTION_TITULAIRES_ANNEES = 7
    html = client.get(reverse("legal:donnees_personnelles")).content.decode()
    assert "7 ans après la fin de l’affectation" in html
