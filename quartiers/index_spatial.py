"""Point → QPV with a shapely STRtree over the QPV contours, and the repair of invalid contours.

Pure Python and shapely, no Django: `bench/qpv_lookup.py` builds the same index straight from the
ANCT GeoJSON file. The Django side (cache per process, models) is in `quartiers/localisation.py`.

Coordinates are WGS84 longitude/latitude. Distances are given in metres on a local equirectangular
projection centred on the point: exact to well under 1 % at the scale of a neighbourhood.
"""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from shapely.geometry import Point, Polygon, mapping, shape

RAYON_TERRE_M = 6_371_008.8  # mean Earth radius (IUGG)
METRES_PAR_DEGRE = math.pi * RAYON_TERRE_M / 180
RAYON_VOISINAGE_M = 2_000  # beyond this, "no QPV nearby": the nearest one is not looked for


class GeometrieInvalide(ValueError):
    """A contour that is not a (Multi)Polygon, or that nothing polygonal survives repairing."""


def geometrie_polygonale(geometrie: dict):
    """The shapely geometry of a GeoJSON Polygon or MultiPolygon, repaired when invalid.

    Repair: `shapely.make_valid`, keeping only the polygon parts (self-intersections of rings,
    frequent once coordinates are rounded, give polygons plus stray lines or points).
    Returns (geometry, repaired?)."""
    if not isinstance(geometrie, dict) or geometrie.get("type") not in ("Polygon", "MultiPolygon"):
        type_lu = geometrie.get("type") if isinstance(geometrie, dict) else type(geometrie).__name__
        raise GeometrieInvalide(f"contour de type « {type_lu} » : un Polygon ou un MultiPolygon est attendu")
    try:
        geom = shape(geometrie)
    except (TypeError, ValueError, IndexError, AttributeError, shapely.errors.GEOSException) as erreur:
        raise GeometrieInvalide(f"coordonnées du contour illisibles ({erreur})") from None
    if geom.is_empty:
        raise GeometrieInvalide("contour vide")
    if geom.is_valid:
        return geom, False
    repare = shapely.make_valid(geom)
    polygones = [p for p in _parties(repare) if isinstance(p, Polygon) and not p.is_empty]
    if not polygones:
        raise GeometrieInvalide("contour invalide qu’aucune réparation ne rend polygonal")
    resultat = polygones[0] if len(polygones) == 1 else shapely.unary_union(polygones)
    return resultat, True


def _parties(geom):
    if isinstance(geom, Polygon):
        return [geom]
    return [p for g in getattr(geom, "geoms", []) for p in _parties(g)]


def en_geojson(geom) -> dict:
    """GeoJSON of a shapely geometry as plain lists (what a JSON column gives back)."""
    return json.loads(json.dumps(mapping(geom)))


@dataclass(frozen=True)
class Localisation:
    """Where a point stands: inside QPV `code` (`dedans`), or outside with `code` the nearest QPV.
    `distance_frontiere_m` is the distance from the point to that QPV's boundary, in metres."""

    code: str
    nom: str
    dedans: bool
    distance_frontiere_m: float


def _en_metres(geom, lon: float, lat: float):
    """`geom` on a local equirectangular projection in metres, the point at the origin."""
    kx = METRES_PAR_DEGRE * math.cos(math.radians(lat))
    ky = METRES_PAR_DEGRE
    return shapely.transform(geom, lambda xy: (xy - (lon, lat)) * (kx, ky))


def distance_frontiere_m(geom, lon: float, lat: float) -> float:
    return float(shapely.distance(_en_metres(geom.boundary, lon, lat), Point(0, 0)))


class IndexQuartiers:
    """QPV contours in an STRtree, built once. `contenant()` is the point-in-polygon test;
    `localiser()` adds the distance to the boundary, or the nearest QPV for a point outside."""

    def __init__(self, quartiers: Iterable[tuple[str, str, dict]]):
        self.codes: list[str] = []
        self.noms: list[str] = []
        geometries = []
        self.ignores: list[tuple[str, str]] = []  # (code, reason) of contours that could not be used
        for code, nom, geometrie in quartiers:
            try:
                geom, _ = geometrie_polygonale(geometrie)
            except GeometrieInvalide as erreur:
                self.ignores.append((code, str(erreur)))
                continue
            self.codes.append(code)
            self.noms.append(nom)
            geometries.append(geom)
        self.geometries = geometries
        shapely.prepare(geometries)
        self._arbre = shapely.STRtree(geometries)

    @classmethod
    def depuis_geojson(cls, collection: dict) -> "IndexQuartiers":
        """From an ANCT FeatureCollection (properties `code_qp` and `lib_qp`, or `nom_qp` in 2015)."""
        return cls(
            (f["properties"]["code_qp"], f["properties"].get("lib_qp") or f["properties"].get("nom_qp", ""), f["geometry"])
            for f in collection["features"]
        )

    def __len__(self) -> int:
        return len(self.codes)

    def contenant(self, lon: float, lat: float) -> int | None:
        """Position of the QPV containing the point (boundary included), or None."""
        point = Point(lon, lat)
        candidats = self._arbre.query(point, predicate="intersects")
        if len(candidats) == 0:
            return None
        if len(candidats) == 1:
            return int(candidats[0])
        # Contours rounded to ~10 m may overlap a little: keep the QPV the point is deepest inside.
        return int(max(candidats, key=lambda i: distance_frontiere_m(self.geometries[i], lon, lat)))

    def localiser(self, lon: float, lat: float, rayon_m: float = RAYON_VOISINAGE_M) -> Localisation | None:
        """The QPV containing the point, or the nearest one within `rayon_m`, or None."""
        i = self.contenant(lon, lat)
        if i is not None:
            geom = self.geometries[i]
            return Localisation(self.codes[i], self.noms[i], True, distance_frontiere_m(geom, lon, lat))
        # Degrees of longitude shrink with latitude: widen the search so that no QPV within
        # `rayon_m` is missed, then measure in metres.
        degres = rayon_m / (METRES_PAR_DEGRE * max(math.cos(math.radians(lat)), 0.1))
        proches = self._arbre.query(Point(lon, lat), predicate="dwithin", distance=degres)
        if len(proches) == 0:
            return None
        mesures = [(distance_frontiere_m(self.geometries[j], lon, lat), int(j)) for j in proches]
        distance, j = min(mesures)
        if distance > rayon_m:
            return None
        return Localisation(self.codes[j], self.noms[j], False, distance)
