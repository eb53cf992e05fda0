"""Point → QPV against the contours stored in the database, with one spatial index per process.

The index (`quartiers.index_spatial.IndexQuartiers`) holds the QPV of the geography in force that
have a contour. It is rebuilt when those rows change: each lookup reads a fingerprint (number of rows
and latest `modifie_le`), one small aggregate query, so a load made by another process (the
`charger_qpv` command) is seen by every web worker. `invalider()` forces a rebuild.
"""

import threading

from django.db.models import Count, Max

from quartiers.index_spatial import IndexQuartiers, Localisation
from quartiers.models import QuartierPrioritaire

_verrou = threading.Lock()
_cache: dict = {"empreinte": None, "index": None}


def _quartiers_indexes():
    return QuartierPrioritaire.objects.en_vigueur().filter(geometrie__isnull=False)


def empreinte() -> tuple:
    resume = _quartiers_indexes().aggregate(nombre=Count("pk"), dernier=Max("modifie_le"))
    return resume["nombre"], resume["dernier"]


def index_quartiers() -> IndexQuartiers:
    """The index of the QPV in force, built once and reused while the contours do not change."""
    actuelle = empreinte()
    with _verrou:
        if _cache["index"] is None or _cache["empreinte"] != actuelle:
            lignes = _quartiers_indexes().values_list("code", "nom", "geometrie")
            _cache["index"] = IndexQuartiers(lignes.iterator(chunk_size=200))
            _cache["empreinte"] = actuelle
        return _cache["index"]


def invalider() -> None:
    with _verrou:
        _cache["index"] = None
        _cache["empreinte"] = None


def localiser_point(lon: float, lat: float) -> tuple[QuartierPrioritaire | None, Localisation | None]:
    """The QPV in force containing the point (None outside), and where the point stands: distance to
    that QPV's boundary, or to the nearest QPV within 2 km for a point outside."""
    localisation = index_quartiers().localiser(lon, lat)
    if localisation is None or not localisation.dedans:
        return None, localisation
    return QuartierPrioritaire.objects.select_related("departement").get(code=localisation.code), localisation
