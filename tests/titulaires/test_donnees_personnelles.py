"""RGPD (art. 5-1-c, minimisation): a titulaire's birth date and address are shown to the prefecture
(agents of the département, national administrators), never to the employer, and never written to
the logs (a hire, an eligibility check, a refused request, the eligibility command)."""

import io
import logging
from datetime import date

import pytest
import responses
from django.core.management import call_command
from django.urls import reverse

from tests.conventions.test_convention_pdf import texte
from tests.factories import AffectationFactory, ConventionFactory, DiagnosticEligibiliteFactory, QuartierFactory, TitulaireFactory
from tests.qpv_communs import CARRE, geocodeur_repond, index_neuf  # noqa: F401 (autouse fixture)
from titulaires.models import Titulaire
from titulaires.rgpd import voit_donnees_personnelles

pytestmark = pytest.mark.django_db

NAISSANCE = date(1987, 11, 23)
ADRESSE = "14 rue des Tilleuls 93200 Saint-Denis"
TRACES_NAISSANCE = ("23/11/1987", "1987-11-23", "23 novembre 1987")


@pytest.fixture
def affectation(poste93, agent93):
    ConventionFactory(poste=poste93, statut="en_cours", date_signature=date(2023, 12, 1))
    titulaire = TitulaireFactory(nom="Benali", prenom="Samia", date_naissance=NAISSANCE, adresse=ADRESSE)
    affectation = AffectationFactory(poste=poste93, titulaire=titulaire, date_debut=date(2024, 1, 2))
    DiagnosticEligibiliteFactory(affectation=affectation, auteur=agent93)
    return affectation


def sans_donnees_personnelles(contenu: str):
    for trace in (*TRACES_NAISSANCE, "Tilleuls"):
        assert trace not in contenu, trace


def pages_du_titulaire(affectation):
    poste = affectation.poste
    convention = poste.conventions.get()
    return [
        reverse("titulaires:detail", args=[affectation.titulaire_id]),
        reverse("conventions:poste", args=[poste.identifiant]),
        reverse("conventions:detail", args=[convention.pk]),
        reverse("espace_employeur"),
        reverse("employeurs:detail", args=[poste.employeur.siret]),
    ]


def test_le_membre_de_l_employeur_voit_le_nom_du_titulaire_mais_ni_sa_naissance_ni_son_adresse(client, membre93, affectation):
    client.force_login(membre93)
    fiche = client.get(reverse("titulaires:detail", args=[affectation.titulaire_id]))
    assert fiche.status_code == 200
    assert "Samia Benali" in fiche.content.decode()
    assert "réservées à la préfecture" in fiche.content.decode()
    for url in pages_du_titulaire(affectation):
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        sans_donnees_personnelles(reponse.content.decode())
    pdf = client.get(reverse("conventions:pdf", args=[affectation.poste.conventions.get().pk]))
    assert pdf.status_code == 200
    sans_donnees_personnelles(texte(pdf.content))


def test_les_exports_ne_contiennent_ni_naissance_ni_adresse(client, agent93, affectation):
    client.force_login(agent93)
    for liste in ("postes:liste", "conventions:liste", "employeurs:liste", "pilotage:financements"):
        reponse = client.get(reverse(liste) + "?format=csv")
        assert reponse.status_code == 200, liste
        sans_donnees_personnelles(reponse.content.decode("utf-8-sig"))


@pytest.mark.parametrize("role", ["agent93", "admin_national"])
def test_l_agent_du_departement_et_l_administrateur_national_voient_naissance_et_adresse(client, affectation, role, request):
    client.force_login(request.getfixturevalue(role))
    html = client.get(reverse("titulaires:detail", args=[affectation.titulaire_id])).content.decode()
    assert "23/11/1987" in html and ADRESSE in html
    assert "Données examinées\u00a0: naissance le" in html


def test_seule_la_prefecture_voit_les_donnees_personnelles(agent93, admin_national, membre93, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert voit_donnees_personnelles(agent93) and voit_donnees_personnelles(admin_national)
    assert not voit_donnees_personnelles(membre93)
    assert not voit_donnees_personnelles(AnonymousUser())


def test_l_agent_d_un_autre_departement_n_atteint_pas_la_fiche(client, agent69, affectation):
    client.force_login(agent69)
    assert client.get(reverse("titulaires:detail", args=[affectation.titulaire_id])).status_code == 404


EMBAUCHE = {
    "nom": "Diallo",
    "prenom": "Awa",
    "date_naissance": "1987-11-23",
    "date_contrat": "2024-09-02",
    "date_debut": "2024-09-02",
    "type_contrat": "cdi",
    "situation": "sans_emploi",
    "adresse": ADRESSE,
    "action": "enregistrer",
}


@responses.activate
def test_une_embauche_et_une_verification_n_ecrivent_ni_naissance_ni_adresse_dans_les_journaux(
    client, caplog, agent93, agent69, poste93, dep93
):
    QuartierFactory(code="QN09301M", nom="Quartier carré", geometrie=CARRE)
    ConventionFactory(poste=poste93, statut="en_cours", date_signature=date(2023, 12, 1))
    for _ in range(3):
        geocodeur_repond(ADRESSE, 0.93)
    caplog.set_level(logging.DEBUG)

    client.force_login(agent93)
    verification = {k: v for k, v in EMBAUCHE.items() if k in ("date_naissance", "date_contrat", "situation", "adresse")}
    assert client.post(reverse("titulaires:eligibilite"), verification).status_code == 200
    assert client.post(reverse("conventions:embauche", args=[poste93.identifiant]), EMBAUCHE).status_code == 302
    assert Titulaire.objects.filter(nom="Diallo", date_naissance=NAISSANCE).exists()
    # A refused request (out of scope: 404, logged by Django as a warning) with the same data.
    client.force_login(agent69)
    assert client.post(reverse("conventions:embauche", args=[poste93.identifiant]), EMBAUCHE).status_code == 404
    call_command(
        "eligibilite",
        "--naissance",
        "1987-11-23",
        "--contrat",
        "2024-03-01",
        "--situation",
        "sans_emploi",
        "--qpv",
        "QN09301M",
        stdout=io.StringIO(),
    )

    assert any(r.name == "django.request" for r in caplog.records), "la capture des journaux ne voit rien"
    sans_donnees_personnelles(caplog.text)
    sans_donnees_personnelles("\n".join(str(r.__dict__) for r in caplog.records if r.name != "django.request"))


def test_un_rapport_d_erreur_masque_naissance_et_adresse(rf, agent93):
    from django.views.debug import SafeExceptionReporterFilter

    from titulaires.views import VerifierEligibilite

    requete = rf.post(
        reverse("titulaires:eligibilite"), {"date_naissance": "1987-11-23", "adresse": ADRESSE, "situation": "sans_emploi"}
    )
    requete.user = agent93
    VerifierEligibilite.as_view()(requete)
    masque = SafeExceptionReporterFilter().get_post_parameters(requete)
    assert masque["date_naissance"] != "1987-11-23" and masque["adresse"] != ADRESSE
    assert masque["situation"] == "sans_emploi"
