"""The cost of a search is bounded: at most RECHERCHE_MOTS_MAX words and RECHERCHE_LONGUEUR_MAX
characters, said under the field, refused beyond with a French form error (issue 16, fault 1;
measure: bench/recherche.py)."""

import pytest
from django.urls import reverse

from commun.recherche import (
    RECHERCHE_LONGUEUR_MAX,
    RECHERCHE_MOTS_MAX,
    rechercher,
    valider_recherche,
)
from conventions.filtres import ConventionFiltre
from demandes.filtres import DemandeFiltre, MesDemandesFiltre
from demandes.forms import RechercheQuartierForm
from employeurs.filtres import EmployeurFiltre
from employeurs.models import Employeur
from pilotage.filtres import FinancementFiltre
from postes.filtres import PosteFiltre
from tests.factories import DemandeFactory

pytestmark = pytest.mark.django_db

LONGUE = " ".join(["mediation"] * 300)  # 2,999 characters, 300 words


def nombre_de_like(queryset) -> int:
    return str(queryset.query).upper().count(" LIKE ")


def test_un_mot_garde_une_seule_clause_par_colonne():
    qs = rechercher(Employeur.objects.all(), "médiation", ["raison_sociale", "siret", "commune"])
    assert nombre_de_like(qs) == 3


def test_la_recherche_ne_lit_jamais_plus_de_mots_que_la_borne():
    qs = rechercher(Employeur.objects.all(), LONGUE, ["raison_sociale", "siret", "commune"])
    assert nombre_de_like(qs) == 3 * RECHERCHE_MOTS_MAX


def test_bornes_dites_en_francais():
    from django.core.exceptions import ValidationError

    valider_recherche("a " * RECHERCHE_MOTS_MAX)
    valider_recherche("a" * RECHERCHE_LONGUEUR_MAX)
    with pytest.raises(
        ValidationError, match=f"Recherche trop longue : {RECHERCHE_MOTS_MAX + 1} mots, {RECHERCHE_MOTS_MAX} au plus."
    ):
        valider_recherche("a " * (RECHERCHE_MOTS_MAX + 1))
    with pytest.raises(ValidationError, match=f"{RECHERCHE_LONGUEUR_MAX + 1} caractères, {RECHERCHE_LONGUEUR_MAX} au plus."):
        valider_recherche("a" * (RECHERCHE_LONGUEUR_MAX + 1))


@pytest.mark.parametrize(
    ("filtre", "champs"),
    [
        (PosteFiltre, ["q", "employeur"]),
        (ConventionFiltre, ["q", "employeur"]),
        (EmployeurFiltre, ["q"]),
        (DemandeFiltre, ["q", "employeur", "quartier"]),
        (MesDemandesFiltre, ["q"]),
        (FinancementFiltre, ["q", "employeur"]),
    ],
)
def test_chaque_champ_de_recherche_des_listes_est_borne(filtre, champs):
    for nom in champs:
        champ = filtre.base_filters[nom].field
        assert valider_recherche in champ.validators, f"{filtre.__name__}.{nom}"
        assert f"{RECHERCHE_MOTS_MAX} mots et {RECHERCHE_LONGUEUR_MAX} caractères au plus" in str(champ.help_text)
        assert champ.widget.attrs.get("maxlength") == RECHERCHE_LONGUEUR_MAX


def test_recherche_des_quartiers_de_la_demande_bornee():
    assert RechercheQuartierForm({"q": "quartier nord"}).is_valid()
    form = RechercheQuartierForm({"q": "a b c d e f g h"})
    assert not form.is_valid()
    assert "Recherche trop longue : 8 mots" in form.errors["q"][0]


def test_longue_recherche_refusee_sur_la_page_avec_la_borne_affichee(client, agent93, employeur93):
    client.force_login(agent93)
    html = client.get(reverse("employeurs:liste"), {"q": LONGUE}).content.decode()
    assert f"Recherche trop longue : {len(LONGUE)} caractères, {RECHERCHE_LONGUEUR_MAX} au plus." in html
    html = client.get(reverse("employeurs:liste")).content.decode()
    assert f"{RECHERCHE_MOTS_MAX} mots et {RECHERCHE_LONGUEUR_MAX} caractères au plus." in html
    assert f'maxlength="{RECHERCHE_LONGUEUR_MAX}"' in html


def test_recherche_de_six_mots_toujours_servie(client, agent93, employeur93):
    employeur93.raison_sociale = "Association de médiation sociale du quartier nord"
    employeur93.save()
    client.force_login(agent93)
    reponse = client.get(reverse("employeurs:liste"), {"q": "association de mediation sociale quartier nord"})
    assert employeur93.siret in reponse.content.decode()
    assert "Recherche trop longue" not in reponse.content.decode()


def test_longue_recherche_refusee_sur_la_liste_des_demandes_de_l_employeur(client, membre93, employeur93):
    DemandeFactory(employeur=employeur93)
    client.force_login(membre93)
    html = client.get(reverse("demandes:mes_demandes"), {"q": "un deux trois quatre cinq six sept"}).content.decode()
    assert "Recherche trop longue : 7 mots, 6 au plus." in html
