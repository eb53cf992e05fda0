"""A new titulaire by avenant goes through the eligibility check of a hire (art. L5134-102, on the day
the contract is signed): eligible, the diagnosis is stored with the new affectation; not eligible,
nothing is written and the previous holder stays in place."""

from datetime import date

import pytest
from django.urls import reverse

from conventions.models import Avenant
from conventions.services.cycle import TransitionRefusee, avenant_titulaire
from conventions.services.embauche import Embauche, EmbaucheRefusee
from tests.factories import (
    AffectationFactory,
    QuartierFactory,
    TitulaireFactory,
    convention_signee,
    question_eligible,
)
from titulaires.models import DiagnosticEligibilite, Titulaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def quartier(dep93):
    return QuartierFactory(code="QN09301M", nom="Quartier du Parc")


@pytest.fixture
def convention(poste93):
    return convention_signee(poste93)  # running, 01/01/2024 to 31/12/2026


@pytest.fixture
def ancienne(poste93):
    return AffectationFactory(poste=poste93, date_debut=date(2024, 1, 15))


def par_avenant(convention, auteur, question, titulaire=None, date_effet=date(2025, 3, 1)):
    embauche = Embauche(
        nom="Diallo", prenom="Awa", date_debut=date_effet, type_contrat="cdi", question=question, titulaire=titulaire
    )
    return avenant_titulaire(
        convention, embauche=embauche, date_signature=date(2025, 2, 20), auteur=auteur, aujourd_hui=date(2025, 2, 20)
    )


def rien_n_a_change(convention, ancienne):
    ancienne.refresh_from_db()
    return (
        ancienne.date_fin is None
        and not Avenant.objects.exists()
        and not DiagnosticEligibilite.objects.exists()
        and list(Titulaire.objects.all()) == [ancienne.titulaire]
        and convention.history.count() == 1
    )


# --- Service ------------------------------------------------------------------------------------


def test_nouveau_titulaire_eligible_par_avenant_enregistre_son_diagnostic(convention, ancienne, quartier, agent93):
    avenant = par_avenant(convention, agent93, question_eligible(quartier))
    nouvelle = avenant.affectation
    diagnostic = nouvelle.diagnostics.get()
    assert diagnostic.eligible and diagnostic.auteur == agent93 and diagnostic.qpv == quartier
    assert diagnostic.date_contrat == date(2025, 2, 20) == nouvelle.date_signature_contrat
    assert [c["critere"] for c in diagnostic.criteres] == ["age", "situation", "residence"]
    assert (nouvelle.titulaire.nom, nouvelle.titulaire.date_naissance) == ("Diallo", date(1988, 4, 2))
    assert nouvelle.titulaire.qpv_residence == quartier
    ancienne.refresh_from_db()
    assert ancienne.date_fin == date(2025, 2, 28)


def test_age_minimum_26_ans_pour_contrat_signe_apres_16_09_2021_refuse_l_avenant(convention, ancienne, quartier, agent93):
    vingt_quatre_ans = question_eligible(quartier, naissance=date(2000, 6, 1))
    with pytest.raises(EmbaucheRefusee) as refus:
        par_avenant(convention, agent93, vingt_quatre_ans)
    assert refus.value.message.startswith("L’avenant n’est pas enregistré")
    assert "non remplies : âge" in refus.value.message
    assert "24 ans le 20/02/2025 : il faut au moins 26 ans pour un contrat signé à partir du 16/09/2021" in refus.value.message
    assert not refus.value.diagnostic.eligible
    assert rien_n_a_change(convention, ancienne)


def test_personne_en_emploi_refusee_par_avenant(convention, ancienne, quartier, agent93):
    with pytest.raises(EmbaucheRefusee, match="non remplies : situation"):
        par_avenant(convention, agent93, question_eligible(quartier, situation="en_emploi"))
    assert rien_n_a_change(convention, ancienne)


def test_titulaire_deja_connu_verifie_a_la_date_de_son_nouveau_contrat(convention, ancienne, quartier, agent93):
    connu = TitulaireFactory(nom="Martin", date_naissance=date(1985, 1, 9))
    avenant = par_avenant(convention, agent93, question_eligible(quartier, naissance=connu.date_naissance), titulaire=connu)
    assert avenant.affectation.titulaire == connu and avenant.affectation.diagnostics.get().eligible
    assert Titulaire.objects.count() == 2


def test_contrat_signe_avant_la_convention_refuse_l_avenant(convention, ancienne, quartier, agent93):
    with pytest.raises(TransitionRefusee, match="serait signé avant la convention"):
        par_avenant(convention, agent93, question_eligible(quartier, date_contrat=date(2023, 12, 1)))
    with pytest.raises(TransitionRefusee, match="La prise de poste ne peut pas précéder la signature du contrat"):
        par_avenant(convention, agent93, question_eligible(quartier, date_contrat=date(2025, 3, 2)))
    assert rien_n_a_change(convention, ancienne)


# --- Pages --------------------------------------------------------------------------------------


AVENANT = {
    "date_effet": "2025-03-01",
    "date_signature": "2025-02-01",
    "type_contrat": "cdi",
    "nom": "Diallo",
    "prenom": "Awa",
    "date_naissance": "1988-04-02",
    "date_contrat": "2025-02-01",
    "situation": "sans_emploi",
    "code_qpv": "QN09301M",
    "justification": "Attestation du bailleur.",
}


def url_avenant(convention):
    return reverse("conventions:avenant_titulaire", args=[convention.pk])


def test_le_formulaire_d_avenant_demande_les_donnees_de_l_eligibilite(client, convention, quartier, agent93):
    client.force_login(agent93)
    html = client.get(url_avenant(convention)).content.decode()
    for libelle in (
        "Date de naissance",
        "Date de signature du contrat de travail",
        "Situation avant l’embauche",
        "Adresse du logement",
        "code du quartier prioritaire",
        "Dérogation du préfet",
    ):
        assert libelle in html
    assert '<option value="QN09301M">Quartier du Parc</option>' in html


def test_avenant_non_eligible_refuse_avec_le_motif_de_chaque_critere(client, convention, ancienne, quartier, agent93):
    client.force_login(agent93)
    reponse = client.post(url_avenant(convention), {**AVENANT, "date_naissance": "2000-06-01", "situation": "en_emploi"})
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "L’avenant n’est pas enregistré" in html and "Personne non éligible" in html
    assert "24 ans le 01/02/2025 : il faut au moins 26 ans" in html
    assert "En emploi : le poste est réservé aux personnes sans emploi ou en CUI-CAE." in html
    assert rien_n_a_change(convention, ancienne)


def test_avenant_eligible_montre_le_diagnostic_sur_le_titulaire_et_le_poste(client, convention, ancienne, quartier, agent93):
    client.force_login(agent93)
    reponse = client.post(url_avenant(convention), AVENANT)
    assert reponse.status_code == 302
    diagnostic = DiagnosticEligibilite.objects.get()
    assert diagnostic.affectation == convention.avenants.get().affectation and diagnostic.eligible
    page_titulaire = client.get(reverse("titulaires:detail", args=[diagnostic.affectation.titulaire_id])).content.decode()
    assert f'id="diagnostic-{diagnostic.pk}"' in page_titulaire and "Éligible" in page_titulaire
    page_poste = client.get(reverse("conventions:poste", args=[convention.poste.identifiant])).content.decode()
    assert f"#diagnostic-{diagnostic.pk}" in page_poste


def test_titulaire_connu_reprend_sa_date_de_naissance_ou_signale_l_ecart(
    client, convention, ancienne, quartier, agent93, poste93
):
    connu = AffectationFactory(poste=poste93, date_debut=date(2023, 1, 2), date_fin=date(2023, 12, 31)).titulaire
    client.force_login(agent93)
    sans_identite = {**AVENANT, "titulaire": connu.pk, "nom": "", "prenom": ""}
    ecart = client.post(url_avenant(convention), {**sans_identite, "date_naissance": "1980-01-01"})
    assert f"La date de naissance enregistrée pour {connu} est le 17/05/1990" in ecart.content.decode()
    assert not Avenant.objects.exists()
    reponse = client.post(url_avenant(convention), {**sans_identite, "date_naissance": ""})
    assert reponse.status_code == 302
    diagnostic = convention.avenants.get().affectation.diagnostics.get()
    assert diagnostic.entrees["date_naissance"] == "1990-05-17"


def test_titulaire_d_un_autre_departement_ne_peut_pas_etre_choisi(client, convention, ancienne, quartier, agent93, poste69):
    autre = AffectationFactory(poste=poste69, date_debut=date(2023, 1, 2)).titulaire
    client.force_login(agent93)
    reponse = client.post(url_avenant(convention), {**AVENANT, "titulaire": autre.pk})
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert not Avenant.objects.exists()
