"""`charger_qpv SOURCE [--geographie 2024]`: loads the official ANCT file, idempotent, repairs contours,
refuses a malformed file with a French message and writes nothing."""

import io
import zipfile
from pathlib import Path

import pytest
import responses
from django.core.management import call_command
from django.core.management.base import CommandError

from quartiers.models import QuartierPrioritaire
from tests.conftest import donnees_partagees
from tests.factories import QuartierFactory

pytestmark = pytest.mark.django_db
DONNEES = Path(__file__).parents[1] / "donnees"


def charger(source, *options):
    sortie = io.StringIO()
    call_command("charger_qpv", str(source), *options, stdout=sortie)
    return sortie.getvalue()


def test_les_1584_qpv_2024_se_chargent_puis_une_seconde_fois_rien_ne_change():
    fichier = donnees_partagees("qpv/qpv2024_wgs84_derived.geojson")
    premiere = charger(fichier)
    assert "1\u202f584 créés, 0 mis à jour, 0 inchangé" in premiere
    assert QuartierPrioritaire.objects.filter(geographie="2024").count() == 1584
    saint_denis = QuartierPrioritaire.objects.get(code="QN09339M")
    assert saint_denis.nom == "Floréal Saussaie Allende"
    assert saint_denis.departement.code == "93"
    assert saint_denis.communes == [{"insee": "93066", "nom": "Saint-Denis"}, {"insee": "93072", "nom": "Stains"}]
    assert QuartierPrioritaire.objects.get(code="QN02A01M").departement.code == "2A"
    assert QuartierPrioritaire.objects.get(code="QN97401I").departement.code == "974"

    seconde = charger(fichier)
    assert "0 créé, 0 mis à jour, 1\u202f584 inchangés" in seconde
    assert "Rien n’a changé" in seconde


def test_fichier_2015_de_l_occitanie_avec_ses_noms_de_proprietes():
    sortie = charger(donnees_partagees("qpv/qp.geojson"), "--geographie", "2015")
    assert "105 créés" in sortie
    assert "32 contours réparés" in sortie
    quartier = QuartierPrioritaire.objects.get(code="QP066007")
    assert quartier.geographie == "2015" and quartier.departement.code == "66"
    assert quartier.nom == "Bas-Vernet Nouveau QPV"
    assert quartier.communes == [{"insee": "66136", "nom": "Perpignan"}]


def test_departement_deduit_du_code_quand_le_fichier_ne_le_donne_pas():
    charger(DONNEES / "qpv_2015_mini.geojson", "--geographie", "2015")
    assert QuartierPrioritaire.objects.get(code="QP02A001").departement.code == "2A"
    assert QuartierPrioritaire.objects.get(code="QP093028").departement.code == "93"


def test_contour_invalide_repare_et_communes_multiples():
    sortie = charger(DONNEES / "qpv_mini.geojson")
    assert "2 créés" in sortie and "1 contour réparé" in sortie
    noeud = QuartierPrioritaire.objects.get(code="QN09302M")
    assert noeud.geometrie["type"] == "MultiPolygon" and len(noeud.geometrie["coordinates"]) == 2
    assert noeud.departement.code == "93"
    assert noeud.communes == [{"insee": "93066", "nom": "Saint-Denis"}, {"insee": "93001", "nom": "Aubervilliers"}]


def test_mise_a_jour_compte_crees_modifies_et_inchanges():
    charger(DONNEES / "qpv_mini.geojson")
    sortie = charger(DONNEES / "qpv_mini_modifie.geojson")
    assert "1 créé, 1 mis à jour, 1 inchangé" in sortie
    assert QuartierPrioritaire.objects.get(code="QN09301M").nom == "Quartier d’essai carré (nom corrigé)"


def test_un_contour_de_demonstration_est_remplace_par_le_contour_officiel(dep93):
    QuartierFactory(code="QN09301M", nom="Quartier d’essai carré", geometrie_demo=True, geometrie=None)
    sortie = charger(DONNEES / "qpv_mini.geojson")
    assert "1 créé, 1 mis à jour" in sortie
    assert not QuartierPrioritaire.objects.get(code="QN09301M").geometrie_demo


def test_les_qpv_absents_du_fichier_restent_en_place(dep93):
    QuartierFactory(code="QN09399M")
    sortie = charger(DONNEES / "qpv_mini.geojson")
    assert "1 quartier de la géographie 2024 hors du fichier, laissés en place" in sortie
    assert QuartierPrioritaire.objects.filter(code="QN09399M").exists()


def refus(source, *options):
    avant = QuartierPrioritaire.objects.count()
    with pytest.raises(CommandError) as erreur:
        charger(source, *options)
    assert QuartierPrioritaire.objects.count() == avant, "rien ne doit être écrit"
    assert erreur.value.returncode != 0
    return str(erreur.value)


def test_fichier_aux_erreurs_multiples_refuse_en_entier_avec_un_message_par_element():
    message = refus(DONNEES / "qpv_erreurs.geojson")
    assert message.startswith("Fichier refusé, rien n’a été enregistré")
    assert "Élément n° 2 : propriété « code_qp » absente." in message
    assert "Élément n° 3 (QN09304M) : contour de type « Point » : un Polygon ou un MultiPolygon est attendu." in message
    assert "Élément n° 4 (QN09301M) : code déjà présent à l’élément n° 1." in message
    assert "Élément n° 5 (QN99901M) : département « 999 » inconnu." in message
    assert "Élément n° 6 (QN09305M) : nom absent" in message
    assert "Élément n° 7 (QN09306M) : contour de type « NoneType »" in message
    assert not QuartierPrioritaire.objects.filter(code="QN09301M").exists()


@pytest.mark.parametrize(
    ("fichier", "attendu"),
    [
        ("qpv_tronque.geojson", "n’est pas du JSON valide"),
        ("qpv_pas_une_collection.geojson", "n’est pas une FeatureCollection"),
        ("qpv_lambert.geojson", "hors de WGS84"),
        ("qpv_projection_declaree.geojson", "prenez la version en WGS84"),
        ("absent.geojson", "Fichier introuvable"),
    ],
)
def test_fichier_mal_forme_refuse_avec_un_message_clair(fichier, attendu):
    assert attendu in refus(DONNEES / fichier)


def test_codes_2015_charges_comme_2024_renvoient_vers_la_bonne_option():
    message = refus(DONNEES / "qpv_2015_mini.geojson")
    assert "relancez avec --geographie 2015" in message


def test_geographie_inconnue_refusee():
    message = refus(DONNEES / "qpv_mini.geojson", "--geographie", "2030")
    assert "Géographie « 2030 » inconnue" in message


def test_une_reprise_du_meme_fichier_apres_erreur_ne_laisse_rien_a_moitie(dep93):
    refus(DONNEES / "qpv_erreurs.geojson")
    assert "2 créés" in charger(DONNEES / "qpv_mini.geojson")


@responses.activate
def test_source_url_et_archive_zip_de_l_anct():
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson", (DONNEES / "qpv_mini.geojson").read_bytes())
        archive.writestr("GEOJSON/LISEZMOI.txt", "Source : ANCT")
    url = "https://www.data.gouv.fr/fr/datasets/r/qpv-2024-geojson.zip"
    responses.get(url, body=tampon.getvalue(), content_type="application/zip")
    assert "2 créés" in charger(url)


@responses.activate
def test_url_injoignable_refusee():
    url = "https://www.data.gouv.fr/fr/datasets/r/absent.geojson"
    responses.get(url, status=404)
    assert "réponse HTTP 404" in refus(url)
