"""Pages: « Vérifier l’éligibilité », « Enregistrer une embauche » from a post, the titulaire's page with
its diagnoses, a new check — each with each role, scoped with for_user()."""

from datetime import date

import pytest
import requests
import responses
from django.conf import settings
from django.urls import reverse

from tests.factories import AffectationFactory, QuartierFactory
from tests.qpv_communs import CARRE, geocodeur_repond, index_neuf  # noqa: F401 (autouse fixture)
from titulaires.models import Affectation, DiagnosticEligibilite, Titulaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def quartier(db):
    return QuartierFactory(code="QN09301M", nom="Quartier carré", geometrie=CARRE)


VERIFICATION = {
    "date_naissance": "1990-05-17",
    "date_contrat": "2024-09-02",
    "situation": "sans_emploi",
    "code_qpv": "QN09301M",
    "justification": "Attestation de domicile du bailleur.",
}
EMBAUCHE = {**VERIFICATION, "nom": "Benali", "prenom": "Samia", "date_debut": "2024-09-02", "type_contrat": "cdi"}


def pages(monde):
    p93, p69 = monde.poste93, monde.poste69
    return {
        "vérifier": reverse("titulaires:eligibilite"),
        "embauche 93": reverse("conventions:embauche", args=[p93.identifiant]),
        "embauche 69": reverse("conventions:embauche", args=[p69.identifiant]),
        "titulaire 93": reverse("titulaires:detail", args=[monde.affectation93.titulaire_id]),
        "titulaire 69": reverse("titulaires:detail", args=[monde.affectation69.titulaire_id]),
        "vérification 93": reverse("titulaires:nouvelle_verification", args=[monde.affectation93.pk]),
        "vérification 69": reverse("titulaires:nouvelle_verification", args=[monde.affectation69.pk]),
    }


ATTENDU = {
    "agent93": {
        "vérifier": 200,
        "embauche 93": 200,
        "embauche 69": 404,
        "titulaire 93": 200,
        "titulaire 69": 404,
        "vérification 93": 200,
        "vérification 69": 404,
    },
    "agent69": {
        "vérifier": 200,
        "embauche 93": 404,
        "embauche 69": 200,
        "titulaire 93": 404,
        "titulaire 69": 200,
        "vérification 93": 404,
        "vérification 69": 200,
    },
    "membre93": {
        "vérifier": 404,
        "embauche 93": 404,
        "embauche 69": 404,
        "titulaire 93": 200,
        "titulaire 69": 404,
        "vérification 93": 404,
        "vérification 69": 404,
    },
    "membre69": {
        "vérifier": 404,
        "embauche 93": 404,
        "embauche 69": 404,
        "titulaire 93": 404,
        "titulaire 69": 200,
        "vérification 93": 404,
        "vérification 69": 404,
    },
    "admin_national": {
        "vérifier": 200,
        "embauche 93": 200,
        "embauche 69": 200,
        "titulaire 93": 200,
        "titulaire 69": 200,
        "vérification 93": 200,
        "vérification 69": 200,
    },
}


@pytest.mark.parametrize("role", ATTENDU)
def test_chaque_page_avec_chaque_role(client, monde, role):
    client.force_login(getattr(monde, role))
    for nom, url in pages(monde).items():
        assert client.get(url).status_code == ATTENDU[role][nom], f"{role} sur {nom}"


def test_anonyme_renvoye_vers_la_connexion(client, monde):
    for nom, url in pages(monde).items():
        reponse = client.get(url)
        assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:connexion")), nom
    assert client.post(reverse("conventions:embauche", args=[monde.poste93.identifiant]), EMBAUCHE).status_code == 302
    assert not Titulaire.objects.filter(nom="Benali").exists()


def test_un_agent_ne_peut_pas_embaucher_sur_le_poste_d_un_autre_departement(client, monde, quartier):
    client.force_login(monde.agent69)
    reponse = client.post(
        reverse("conventions:embauche", args=[monde.poste93.identifiant]), {**EMBAUCHE, "action": "enregistrer"}
    )
    assert reponse.status_code == 404
    assert not Titulaire.objects.filter(nom="Benali").exists()


def test_lien_de_navigation_pour_les_agents_seulement(client, monde):
    client.force_login(monde.agent93)
    assert "Vérifier l’éligibilité" in client.get(reverse("postes:liste")).content.decode()
    client.force_login(monde.membre93)
    assert "Vérifier l’éligibilité" not in client.get(reverse("espace_employeur")).content.decode()


def test_verification_affiche_chaque_critere_avec_badge_motif_et_article(client, agent93, quartier):
    client.force_login(agent93)
    html = client.post(reverse("titulaires:eligibilite"), VERIFICATION).content.decode()
    assert "Personne éligible" in html
    assert html.count('fr-badge--success">Rempli') == 3
    assert "34 ans le 02/09/2024 : au moins 26 ans pour un contrat signé à partir du 16/09/2021." in html
    assert "art. L5134-102 et D5134-155 du code du travail" in html
    assert "Quartier carré (QN09301M, géographie 2024) – choisi à la main" in html
    assert not DiagnosticEligibilite.objects.exists()  # the check alone is not kept


def test_verification_non_eligible_dit_pourquoi(client, agent93, quartier):
    client.force_login(agent93)
    html = client.post(reverse("titulaires:eligibilite"), {**VERIFICATION, "situation": "en_emploi"}).content.decode()
    assert "Personne non éligible" in html
    assert 'fr-badge--error">Non rempli' in html
    assert "En emploi : le poste est réservé aux personnes sans emploi ou en CUI-CAE." in html


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({**VERIFICATION, "date_naissance": "2024-09-03"}, "La date de naissance doit précéder la date de signature du contrat."),
        ({**VERIFICATION, "date_contrat": "2023-02-30"}, "Saisissez une date valide."),
        ({**VERIFICATION, "point": "2.3, 48.9"}, "Indiquez la résidence d’une seule façon"),
        (
            {**VERIFICATION, "code_qpv": "", "justification": ""},
            "Indiquez la résidence (adresse, code du quartier ou coordonnées)",
        ),
        ({**VERIFICATION, "justification": ""}, "Justifiez le choix manuel du quartier prioritaire."),
        ({**VERIFICATION, "code_qpv": "QN09399Z"}, "Aucun quartier prioritaire ne porte le code « QN09399Z »."),
        ({**VERIFICATION, "code_qpv": "", "point": "652000, 6862000"}, "hors des coordonnées WGS84"),
    ],
)
def test_saisie_invalide_message_francais_sur_le_champ(client, agent93, quartier, donnees, message):
    client.force_login(agent93)
    reponse = client.post(reverse("titulaires:eligibilite"), donnees)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()


@responses.activate
def test_adresse_localisee_dans_son_quartier(client, agent93, quartier):
    geocodeur_repond("10 Rue du Carré 93200 Saint-Denis", 0.93)
    client.force_login(agent93)
    donnees = {**VERIFICATION, "code_qpv": "", "justification": "", "adresse": "10 rue du carre saint denis"}
    html = client.post(reverse("titulaires:eligibilite"), donnees).content.decode()
    assert "Personne éligible" in html
    assert "10 Rue du Carré 93200 Saint-Denis (score 0,93)" in html
    assert "Distance à la limite du quartier" in html and "365 m à l’intérieur" in html  # 0.005° of longitude at 48.9° N


@responses.activate
def test_service_d_adresses_en_panne_l_agent_choisit_a_la_main(client, agent93, quartier):
    responses.get(settings.GEOCODEUR_URL, body=requests.ConnectionError("panne"))
    client.force_login(agent93)
    donnees = {**VERIFICATION, "code_qpv": "", "justification": "", "adresse": "10 rue du carre saint denis"}
    reponse = client.post(reverse("titulaires:eligibilite"), donnees)
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Le service d’adresses est injoignable." in html
    assert "Choisissez le quartier prioritaire à la main, en justifiant ce choix" in html
    assert "Personne éligible" not in html
    # The agent then picks the QPV by hand, with a justification.
    assert "Personne éligible" in client.post(reverse("titulaires:eligibilite"), VERIFICATION).content.decode()


@responses.activate
def test_score_trop_faible_propose_le_quartier_du_meilleur_candidat(client, agent93, quartier):
    geocodeur_repond("Rue du Carré 93200 Saint-Denis", 0.41, type_="street")
    client.force_login(agent93)
    donnees = {**VERIFICATION, "code_qpv": "", "justification": "", "adresse": "carre bat C"}
    html = client.post(reverse("titulaires:eligibilite"), donnees).content.decode()
    assert "score de 0,41, sous le minimum de 0,60" in html
    assert "Piste pour le choix manuel" in html and "dans le quartier Quartier carré (QN09301M)" in html


def test_poste_propose_l_embauche_aux_agents_et_montre_les_diagnostics(client, monde):
    client.force_login(monde.agent93)
    html = client.get(reverse("conventions:poste", args=[monde.poste93.identifiant])).content.decode()
    assert reverse("conventions:embauche", args=[monde.poste93.identifiant]) in html
    assert "Éligibilité des titulaires" in html and "Éligible" in html
    assert reverse("titulaires:detail", args=[monde.affectation93.titulaire_id]) in html
    client.force_login(monde.membre93)
    html = client.get(reverse("conventions:poste", args=[monde.poste93.identifiant])).content.decode()
    assert reverse("conventions:embauche", args=[monde.poste93.identifiant]) not in html
    assert "Éligibilité des titulaires" in html


def test_poste_occupe_ne_propose_pas_l_embauche(client, monde):
    client.force_login(monde.agent69)
    html = client.get(reverse("conventions:poste", args=[monde.poste69.identifiant])).content.decode()
    assert "Le poste est occupé" in html
    assert reverse("conventions:embauche", args=[monde.poste69.identifiant]) not in html


def test_enregistrer_une_embauche_depuis_le_poste(client, monde, quartier):
    client.force_login(monde.agent93)
    url = reverse("conventions:embauche", args=[monde.poste93.identifiant])
    verification = client.post(url, {**EMBAUCHE, "action": "verifier"})
    assert "Personne éligible" in verification.content.decode()
    assert not Titulaire.objects.filter(nom="Benali").exists()

    reponse = client.post(url, {**EMBAUCHE, "action": "enregistrer"})
    titulaire = Titulaire.objects.get(nom="Benali")
    assert reponse.status_code == 302 and reponse.url == reverse("titulaires:detail", args=[titulaire.pk])
    affectation = Affectation.objects.get(titulaire=titulaire)
    assert affectation.poste == monde.poste93 and affectation.date_debut == date(2024, 9, 2)
    html = client.get(reponse.url).content.decode()
    assert "Embauche de Samia Benali enregistrée" in html
    assert "Diagnostic du" in html and "Attestation de domicile du bailleur." in html
    assert f"Par {monde.agent93}" in html


def test_embauche_sur_un_poste_occupe_refusee_avec_un_message_francais(client, monde, quartier):
    client.force_login(monde.agent69)
    url = reverse("conventions:embauche", args=[monde.poste69.identifiant])
    QuartierFactory(code="QN06901M", nom="Quartier du Rhône", departement=monde.poste69.departement)
    reponse = client.post(url, {**EMBAUCHE, "code_qpv": "QN06901M", "action": "enregistrer"})
    assert reponse.status_code == 200
    assert "est déjà occupé par" in reponse.content.decode()
    assert not Titulaire.objects.filter(nom="Benali").exists()


def test_embauche_chevauchant_une_affectation_passee_refusee(client, monde, quartier):
    client.force_login(monde.agent93)
    url = reverse("conventions:embauche", args=[monde.poste93.identifiant])
    reponse = client.post(url, {**EMBAUCHE, "date_contrat": "2024-03-01", "date_debut": "2024-03-04", "action": "enregistrer"})
    assert "déjà occupé sur une partie de la période qui commence le 04/03/2024" in reponse.content.decode()
    assert not Titulaire.objects.filter(nom="Benali").exists()


def test_embauche_d_une_personne_non_eligible_refusee(client, monde, quartier):
    client.force_login(monde.agent93)
    url = reverse("conventions:embauche", args=[monde.poste93.identifiant])
    reponse = client.post(url, {**EMBAUCHE, "date_naissance": "1999-09-03", "action": "enregistrer"})
    html = reponse.content.decode()
    assert "L’embauche n’est pas enregistrée" in html and "non remplies : âge" in html
    assert "Personne non éligible" in html
    assert not Titulaire.objects.filter(nom="Benali").exists()


def test_nouvelle_verification_ajoute_un_diagnostic(client, monde, quartier):
    client.force_login(monde.agent93)
    affectation = monde.affectation93
    url = reverse("titulaires:nouvelle_verification", args=[affectation.pk])
    assert 'value="1990-05-17"' in client.get(url).content.decode()  # prefilled from the titulaire
    donnees = {k: v for k, v in VERIFICATION.items() if k != "date_contrat"}
    reponse = client.post(url, {**donnees, "situation": "en_emploi"})
    nouveau = DiagnosticEligibilite.objects.exclude(pk=monde.diagnostic93.pk).get()
    assert reponse.status_code == 302 and reponse.url.endswith(f"#diagnostic-{nouveau.pk}")
    assert not nouveau.eligible and nouveau.date_contrat == affectation.date_debut
    assert nouveau.auteur == monde.agent93
    monde.diagnostic93.refresh_from_db()
    assert monde.diagnostic93.eligible
    html = client.get(reverse("titulaires:detail", args=[affectation.titulaire_id])).content.decode()
    assert html.count("Diagnostic du") == 2


def test_le_titulaire_ne_montre_que_les_affectations_du_perimetre(client, monde):
    titulaire = monde.affectation93.titulaire
    AffectationFactory(poste=monde.poste69, titulaire=titulaire, date_debut=date(2020, 1, 1), date_fin=date(2020, 12, 31))
    client.force_login(monde.agent93)
    html = client.get(reverse("titulaires:detail", args=[titulaire.pk])).content.decode()
    assert monde.poste93.identifiant in html
    assert monde.poste69.identifiant not in html


def test_l_employeur_voit_le_diagnostic_mais_pas_l_action_de_verification(client, monde):
    client.force_login(monde.membre93)
    html = client.get(reverse("titulaires:detail", args=[monde.affectation93.titulaire_id])).content.decode()
    assert "Diagnostic du" in html
    assert reverse("titulaires:nouvelle_verification", args=[monde.affectation93.pk]) not in html


@responses.activate
def test_service_d_adresses_en_panne_l_adresse_saisie_est_gardee_et_le_choix_manuel_enregistre(client, monde, quartier):
    responses.get(settings.GEOCODEUR_URL, body=requests.ConnectionError("panne"))
    client.force_login(monde.agent93)
    url = reverse("conventions:embauche", args=[monde.poste93.identifiant])
    adresse = "10 rue du Carré, 93200 Saint-Denis"
    sans_qpv = {**EMBAUCHE, "code_qpv": "", "justification": "", "adresse": adresse}
    html = client.post(url, {**sans_qpv, "action": "verifier"}).content.decode()
    assert "Le service d’adresses est injoignable." in html
    assert f'value="{adresse}"' in html  # still in its field
    # The agent adds the QPV by hand, with a justification, without retyping or clearing the address.
    reponse = client.post(url, {**EMBAUCHE, "adresse": adresse, "action": "enregistrer"})
    assert reponse.status_code == 302
    titulaire = Titulaire.objects.get(nom="Benali")
    assert titulaire.adresse == adresse
    assert titulaire.qpv_residence == quartier and titulaire.qpv_choisi_a_la_main
    diagnostic = DiagnosticEligibilite.objects.get(affectation__titulaire=titulaire)
    assert diagnostic.entrees["residence"]["mode"] == "qpv"
    assert diagnostic.entrees["residence"]["adresse"] == adresse
    page = client.get(reverse("titulaires:detail", args=[titulaire.pk])).content.decode()
    assert "choisi à la main par la préfecture" in page and adresse in page
    # A later check starts from both.
    affectation = Affectation.objects.get(titulaire=titulaire)
    formulaire = client.get(reverse("titulaires:nouvelle_verification", args=[affectation.pk])).content.decode()
    assert f'value="{adresse}"' in formulaire and 'value="QN09301M"' in formulaire


def test_quartier_localise_depuis_l_adresse_n_est_pas_marque_choisi_a_la_main(client, monde, quartier):
    client.force_login(monde.agent93)
    url = reverse("conventions:embauche", args=[monde.poste93.identifiant])
    reponse = client.post(
        url, {**EMBAUCHE, "code_qpv": "", "justification": "", "point": "2.305, 48.905", "action": "enregistrer"}
    )
    assert reponse.status_code == 302
    titulaire = Titulaire.objects.get(nom="Benali")
    assert titulaire.qpv_residence == quartier and not titulaire.qpv_choisi_a_la_main
    assert "choisi à la main" not in client.get(reponse.url).content.decode()
