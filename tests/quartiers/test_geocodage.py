"""Address → QPV: the geocoder client (recorded-format responses served by `responses`, nothing leaves
the machine), the locator against the contours stored in the database, and its per-process cache."""

import json
from pathlib import Path

import pytest
import requests
import responses
from django.conf import settings

from quartiers import localisation
from quartiers.geocodage import GeocodageImpossible, geocoder
from quartiers.models import QuartierPrioritaire
from quartiers.residence import (
    Mode,
    QuartierInconnu,
    lire_point,
    residence_par_adresse,
    residence_par_code,
    residence_par_point,
)
from tests.conftest import donnees_partagees
from tests.factories import QuartierFactory
from tests.qpv_communs import CARRE, index_neuf  # noqa: F401 (autouse fixture)

DONNEES = Path(__file__).parents[1] / "donnees"
AILLEURS = {"type": "Polygon", "coordinates": [[[2.40, 48.90], [2.41, 48.90], [2.41, 48.91], [2.40, 48.91], [2.40, 48.90]]]}


def reponse(nom):
    return json.loads((DONNEES / nom).read_text(encoding="utf-8"))


@pytest.fixture
def quartiers_reels(dep93):
    """A few real QPV 2024 of ../shared/data/qpv/, with their contours."""
    collection = json.loads(donnees_partagees("qpv/qpv2024_wgs84_derived.geojson").read_text())
    voulus = {"QN09339M", "QN09328M", "QN01354M", "QN07509M"}
    from quartiers.models import Departement, departement_du_code_qpv

    for f in collection["features"]:
        p = f["properties"]
        if p["code_qp"] in voulus:
            QuartierPrioritaire.objects.create(
                code=p["code_qp"],
                nom=p["lib_qp"],
                geographie="2024",
                departement=Departement.objects.get(code=departement_du_code_qpv(p["code_qp"])),
                geometrie=f["geometry"],
            )


# --- Geocoder client ------------------------------------------------------------------------------


@responses.activate
def test_adresse_geocodee_avec_son_libelle_et_son_score():
    responses.get(settings.GEOCODEUR_URL, json=reponse("geocodage_saint_denis.json"))
    trouvee = geocoder("1 Square de l'Ile de France 93200 Saint-Denis")
    assert trouvee.libelle == "1 Square de l'Île de France 93200 Saint-Denis"
    assert trouvee.score == pytest.approx(0.9641)
    assert (trouvee.lon, trouvee.lat) == (2.381631, 48.94259)
    assert responses.calls[0].request.params == {"q": "1 Square de l'Ile de France 93200 Saint-Denis", "limit": "1"}


@responses.activate
def test_score_trop_faible_refuse_avec_le_candidat(settings):
    settings.GEOCODEUR_SCORE_MINIMUM = 0.6
    responses.get(settings.GEOCODEUR_URL, json=reponse("geocodage_score_faible.json"))
    with pytest.raises(GeocodageImpossible) as erreur:
        geocoder("square ile saint denis batiment C escalier 4")
    assert "score de 0,42, sous le minimum de 0,60" in erreur.value.message
    assert "Choisissez le quartier prioritaire à la main" in erreur.value.message
    assert erreur.value.candidat.libelle == "Square de l'Île de France 93200 Saint-Denis"


@responses.activate
def test_le_score_minimum_vient_des_reglages(settings):
    settings.GEOCODEUR_SCORE_MINIMUM = 0.4
    responses.get(settings.GEOCODEUR_URL, json=reponse("geocodage_score_faible.json"))
    assert geocoder("square ile saint denis").score == pytest.approx(0.4213)


@responses.activate
def test_aucune_adresse_trouvee():
    responses.get(settings.GEOCODEUR_URL, json=reponse("geocodage_aucun_resultat.json"))
    with pytest.raises(GeocodageImpossible, match="Aucune adresse ne correspond à « zzz rue inexistante 99999 »"):
        geocoder("zzz rue inexistante 99999")


@responses.activate
def test_service_trop_lent(settings):
    settings.GEOCODEUR_TIMEOUT = 2
    responses.get(settings.GEOCODEUR_URL, body=requests.Timeout("lecture"))
    with pytest.raises(GeocodageImpossible, match="n’a pas répondu dans le délai de 2 secondes"):
        geocoder("1 rue de la Paix Paris")


@responses.activate
def test_service_injoignable():
    responses.get(settings.GEOCODEUR_URL, body=requests.ConnectionError("refusé"))
    with pytest.raises(GeocodageImpossible, match="injoignable"):
        geocoder("1 rue de la Paix Paris")


@responses.activate
@pytest.mark.parametrize(
    ("statut", "attendu"), [(503, "indisponible (erreur 503)"), (429, "trop de demandes"), (400, "n’a pas compris")]
)
def test_erreur_http_du_service(statut, attendu):
    responses.get(settings.GEOCODEUR_URL, status=statut, json={"code": statut, "message": "erreur"})
    with pytest.raises(GeocodageImpossible) as erreur:
        geocoder("1 rue de la Paix Paris")
    assert attendu in erreur.value.message


@responses.activate
def test_reponse_illisible():
    responses.get(settings.GEOCODEUR_URL, body="<html>maintenance</html>", content_type="text/html")
    with pytest.raises(GeocodageImpossible, match="illisible"):
        geocoder("1 rue de la Paix Paris")


def test_adresse_trop_courte_sans_appel_au_service():
    with pytest.raises(GeocodageImpossible, match="trop courte"):
        geocoder(" a ")


def test_coordonnees_saisies():
    assert lire_point("2.3873, 48.9177") == (2.3873, 48.9177)
    assert lire_point("-61.348538;16.334915") == (-61.348538, 16.334915)
    with pytest.raises(ValueError, match="longitude, latitude"):
        lire_point("48.9177")
    with pytest.raises(ValueError, match="hors des coordonnées WGS84"):
        lire_point("652000, 6862000")


# --- Address → QPV with the database --------------------------------------------------------------


@responses.activate
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fichier", "code"), [("geocodage_saint_denis.json", "QN09339M"), ("geocodage_marseille.json", "QN01354M")]
)
def test_adresse_reelle_dans_son_qpv(quartiers_reels, fichier, code):
    responses.get(settings.GEOCODEUR_URL, json=reponse(fichier))
    residence = residence_par_adresse("une adresse réelle")
    assert residence.mode == Mode.ADRESSE
    assert residence.qpv.code == code
    assert residence.localisation.dedans and residence.localisation.distance_frontiere_m > 30
    assert residence.en_json()["geocodage"]["score"] > 0.9


@pytest.mark.django_db
def test_adresses_reelles_du_fichier_anct_dans_leur_qpv(quartiers_reels):
    import csv

    with donnees_partagees("qpv/liste-fs-20240801_qpv2024_derived.csv").open(encoding="utf-8") as f:
        lignes = [l for l in csv.DictReader(f) if l["code_qp_2024"] in {"QN09339M", "QN09328M", "QN01354M", "QN07509M"}]
    nettes = [l for l in lignes if float(l["distance_frontiere_m"]) >= 30]
    assert nettes
    for ligne in nettes:
        residence = residence_par_point(float(ligne["longitude"]), float(ligne["latitude"]))
        assert residence.qpv is not None and residence.qpv.code == ligne["code_qp_2024"], ligne["id_fs"]


@pytest.mark.django_db
def test_point_hors_qpv_donne_le_quartier_le_plus_proche(dep93):
    QuartierFactory(code="QN09301M", nom="Carré", geometrie=CARRE)
    residence = residence_par_point(2.305, 48.8999)  # 11 m south of the square
    assert residence.qpv is None
    assert residence.localisation.code == "QN09301M" and not residence.localisation.dedans
    assert "à l’extérieur du quartier Carré (QN09301M), à 11 m de sa limite" in residence.avertissements[0]


@pytest.mark.django_db
def test_contour_de_demonstration_signale(dep93):
    QuartierFactory(code="QN09301M", nom="Carré", geometrie=CARRE, geometrie_demo=True)
    residence = residence_par_point(2.305, 48.905)
    assert residence.qpv.code == "QN09301M"
    assert any("contour de démonstration" in a for a in residence.avertissements)


@pytest.mark.django_db
def test_qpv_choisi_a_la_main_avec_sa_justification(dep93):
    QuartierFactory(code="QN09301M", nom="Carré")
    residence = residence_par_code("qn09301m ", "Attestation de domicile du bailleur.")
    assert residence.qpv.code == "QN09301M" and residence.mode == Mode.QPV
    assert residence.en_json() == {"mode": "qpv", "qpv": "QN09301M", "justification": "Attestation de domicile du bailleur."}
    with pytest.raises(QuartierInconnu, match="Aucun quartier prioritaire ne porte le code « QN09399Z »"):
        residence_par_code("QN09399Z")


@pytest.mark.django_db
def test_index_construit_une_fois_puis_reconstruit_quand_un_contour_change(dep93):
    quartier = QuartierFactory(code="QN09301M", nom="Carré", geometrie=CARRE)
    premier = localisation.index_quartiers()
    assert localisation.index_quartiers() is premier
    assert localisation.localiser_point(2.305, 48.905)[0] == quartier

    quartier.geometrie = AILLEURS
    quartier.save()
    assert localisation.index_quartiers() is not premier
    assert localisation.localiser_point(2.305, 48.905)[0] is None
    assert localisation.localiser_point(2.405, 48.905)[0] == quartier


@pytest.mark.django_db
def test_seuls_les_qpv_de_la_geographie_en_vigueur_sont_indexes(dep93):
    QuartierFactory(code="QP093028", nom="Ancien quartier", geographie="2015", geometrie=CARRE)
    assert localisation.localiser_point(2.305, 48.905) == (None, None)
