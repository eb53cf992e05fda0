"""RGPD minimisation (art. 5-1-c): the employer sees that its titulaire was found eligible, on which
date and by whom; the QPV of residence, the situation before hiring (unemployment) and the rest of
the diagnosis stay with the prefecture (issue 16, fault 9). One rule: `titulaires.rgpd.voit_donnees_personnelles`."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import AffectationFactory, ConventionFactory, DiagnosticEligibiliteFactory, QuartierFactory, TitulaireFactory
from titulaires.rgpd import voit_donnees_personnelles

pytestmark = pytest.mark.django_db

QPV_NOM, QPV_CODE = "Franc-Moisin Bel-Air", "QN09377M"


@pytest.fixture
def affectation(poste93, agent93):
    ConventionFactory(poste=poste93, statut="en_cours", date_signature=date(2023, 12, 1))
    quartier = QuartierFactory(nom=QPV_NOM, code=QPV_CODE, departement=poste93.departement)
    titulaire = TitulaireFactory(nom="Benali", prenom="Samia", qpv_residence=quartier, situation_avant_embauche="cui")
    affectation = AffectationFactory(poste=poste93, titulaire=titulaire, date_debut=date(2024, 1, 2))
    DiagnosticEligibiliteFactory(affectation=affectation, auteur=agent93, date_contrat=date(2024, 1, 2))
    return affectation


def fiche(client, user, affectation) -> str:
    client.force_login(user)
    reponse = client.get(reverse("titulaires:detail", args=[affectation.titulaire_id]))
    assert reponse.status_code == 200
    return reponse.content.decode()


def pages_employeur(affectation):
    poste = affectation.poste
    return [
        reverse("titulaires:detail", args=[affectation.titulaire_id]),
        reverse("conventions:poste", args=[poste.identifiant]),
        reverse("conventions:detail", args=[poste.conventions.get().pk]),
        reverse("espace_employeur"),
        reverse("employeurs:detail", args=[poste.employeur.siret]),
    ]


def test_l_employeur_ne_voit_ni_le_quartier_de_residence_ni_la_situation_avant_embauche(client, membre93, affectation):
    client.force_login(membre93)
    for url in pages_employeur(affectation):
        html = client.get(url).content.decode()
        for trace in (QPV_NOM, QPV_CODE, "Situation avant l’embauche", "CUI", "contrat unique d’insertion"):
            assert trace not in html, f"{trace} sur {url}"


def test_l_employeur_voit_que_la_personne_est_eligible_a_quelle_date_et_par_qui(client, membre93, agent93, affectation):
    html = fiche(client, membre93, affectation)
    diagnostic = affectation.diagnostics.get()
    assert "Éligible" in html
    assert f"Diagnostic du {diagnostic.cree_le.astimezone().strftime('%d/%m/%Y')}" in html
    assert f"Par {agent93}" in html
    assert "le quartier prioritaire de résidence, la situation avant l’embauche" in html  # said why not more


@pytest.mark.parametrize("role", ["agent93", "admin_national"])
def test_l_agent_et_l_administrateur_national_voient_residence_et_situation(client, affectation, role, request):
    html = fiche(client, request.getfixturevalue(role), affectation)
    assert f"{QPV_NOM} ({QPV_CODE})" in html
    assert "Situation avant l’embauche" in html


def test_une_seule_regle_par_role(agent93, membre93, admin_national):
    from django.contrib.auth.models import AnonymousUser

    assert voit_donnees_personnelles(agent93)
    assert voit_donnees_personnelles(admin_national)
    assert not voit_donnees_personnelles(membre93)
    assert not voit_donnees_personnelles(AnonymousUser())
