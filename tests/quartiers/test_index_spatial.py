"""Point → QPV with the STRtree index, without a database: small hand-made contours, then the 1,584
QPV 2024 and the 2,845 real addresses of ../shared/data/qpv/."""

import csv
import json
from pathlib import Path

import pytest

from quartiers.index_spatial import GeometrieInvalide, IndexQuartiers, geometrie_polygonale
from tests.conftest import donnees_partagees

DONNEES = Path(__file__).parents[1] / "donnees"


@pytest.fixture(scope="module")
def index_mini():
    return IndexQuartiers.depuis_geojson(json.loads((DONNEES / "qpv_mini.geojson").read_text()))


@pytest.fixture(scope="module")
def index_2024():
    collection = json.loads(donnees_partagees("qpv/qpv2024_wgs84_derived.geojson").read_text())
    return IndexQuartiers.depuis_geojson(collection)


@pytest.fixture(scope="module")
def adresses():
    with donnees_partagees("qpv/liste-fs-20240801_qpv2024_derived.csv").open(encoding="utf-8") as f:
        return {ligne["id_fs"]: ligne for ligne in csv.DictReader(f)}


def test_point_dans_un_carre_avec_sa_distance_a_la_limite_en_metres(index_mini):
    # Square 2.30–2.31 × 48.90–48.91; the point is 0.001° of latitude (111 m) from the south side.
    localisation = index_mini.localiser(2.305, 48.901)
    assert localisation.code == "QN09301M" and localisation.dedans
    assert localisation.distance_frontiere_m == pytest.approx(111.2, abs=0.5)


def test_point_hors_qpv_donne_le_plus_proche_et_sa_distance(index_mini):
    localisation = index_mini.localiser(2.305, 48.8995)  # 0.0005° south of the square: 55.6 m
    assert not localisation.dedans
    assert localisation.code == "QN09301M"
    assert localisation.distance_frontiere_m == pytest.approx(55.6, abs=0.5)
    assert index_mini.contenant(2.305, 48.8995) is None


def test_point_loin_de_tout_qpv(index_mini):
    assert index_mini.localiser(5.0, 45.0) is None


def test_contour_en_noeud_papillon_repare_garde_ses_deux_triangles(index_mini):
    geom, repare = geometrie_polygonale(json.loads((DONNEES / "qpv_mini.geojson").read_text())["features"][1]["geometry"])
    assert repare and geom.is_valid and geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    assert index_mini.codes[index_mini.contenant(2.3225, 48.905)] == "QN09302M"  # left triangle
    assert index_mini.codes[index_mini.contenant(2.3275, 48.905)] == "QN09302M"  # right triangle


def test_geometrie_qui_n_est_pas_un_polygone_refusee():
    with pytest.raises(GeometrieInvalide, match="Point"):
        geometrie_polygonale({"type": "Point", "coordinates": [2.3, 48.9]})
    with pytest.raises(GeometrieInvalide):
        geometrie_polygonale({"type": "Polygon", "coordinates": [[[2.3, 48.9], [2.4]]]})


def test_les_1584_qpv_2024_sont_indexes(index_2024):
    assert len(index_2024) == 1584
    assert index_2024.ignores == []


@pytest.mark.parametrize(
    ("id_fs", "code"),
    [("668", "QN09339M"), ("1091", "QN01354M"), ("798", "QN97111M"), ("941", "QN07509M")],
)
def test_adresses_reelles_dans_leur_qpv(index_2024, adresses, id_fs, code):
    ligne = adresses[id_fs]
    localisation = index_2024.localiser(float(ligne["longitude"]), float(ligne["latitude"]))
    assert localisation.dedans and localisation.code == code


def test_toutes_les_adresses_a_plus_de_30_m_d_une_limite_tombent_dans_le_qpv_attendu(index_2024, adresses):
    nettes = [a for a in adresses.values() if abs(float(a["distance_frontiere_m"])) >= 30]
    assert len(nettes) > 2700
    ecarts = []
    for a in nettes:
        i = index_2024.contenant(float(a["longitude"]), float(a["latitude"]))
        trouve = index_2024.codes[i] if i is not None else ""
        if trouve != a["code_qp_2024"]:
            ecarts.append((a["id_fs"], a["code_qp_2024"], trouve))
    assert ecarts == []
