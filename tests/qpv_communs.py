"""Shared by the QPV and eligibility tests: a square contour, a fresh spatial index around each test,
and a geocoder answer served by `responses`."""

import pytest
import responses
from django.conf import settings

from quartiers import localisation

# Square 2.30–2.31 × 48.90–48.91 (Paris north): its centre is 365 m from the east and west sides.
CARRE = {"type": "Polygon", "coordinates": [[[2.30, 48.90], [2.31, 48.90], [2.31, 48.91], [2.30, 48.91], [2.30, 48.90]]]}


@pytest.fixture(autouse=True)
def index_neuf():
    """The spatial index lives for the process: start and end each test without it."""
    localisation.invalider()
    yield
    localisation.invalider()


def geocodeur_repond(libelle: str, score: float, lon: float = 2.305, lat: float = 48.905, type_: str = "housenumber"):
    """Serve one geocoder answer in the format of the Géoplateforme (call inside @responses.activate)."""
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"label": libelle, "score": score, "type": type_},
    }
    responses.get(settings.GEOCODEUR_URL, json={"type": "FeatureCollection", "features": [feature]})
