"""Benchmark of point → QPV: the STRtree index of quartiers/index_spatial.py against a naive scan.

Run from the project root, without a database:

    .venv/bin/python bench/qpv_lookup.py [--donnees ../shared/data/qpv] [--repetitions 5]

Reads the 1,584 QPV 2024 (`qpv2024_wgs84_derived.geojson`) and the 2,845 real addresses of
`liste-fs-20240801_qpv2024_derived.csv`, then prints:
- the time to build the index (contours checked/repaired, prepared, STRtree);
- lookups per second and microseconds per lookup: point-in-polygon alone (`contenant`) and the full
  answer with the distance to the boundary or to the nearest QPV (`localiser`);
- the same point-in-polygon by a naive scan over every polygon, and the ratio;
- agreement with the expected `code_qp_2024` for the points at least 30 m from a boundary.
Target: under 1 ms a lookup, and far ahead of the naive scan.
"""

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from shapely.geometry import Point, shape  # noqa: E402

from quartiers.index_spatial import IndexQuartiers  # noqa: E402

DONNEES = Path(os.environ.get("DONNEES_PARTAGEES", RACINE.parent / "shared" / "data")) / "qpv"


def fr(nombre: float, decimales: int = 0) -> str:
    """12752.4 → « 12 752 » (French figures: thin space for thousands, decimal comma)."""
    return f"{nombre:,.{decimales}f}".replace(",", "\u202f").replace(".", ",")


def chronometre(fonction, points, repetitions):
    """Best of `repetitions` runs over all points: (seconds per lookup, results of the last run)."""
    durees, resultats = [], None
    for _ in range(repetitions):
        debut = time.perf_counter()
        resultats = [fonction(lon, lat) for lon, lat in points]
        durees.append(time.perf_counter() - debut)
    return min(durees) / len(points), resultats


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donnees", type=Path, default=DONNEES, help="dossier des fichiers QPV (../shared/data/qpv)")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--naif", type=int, default=0, help="limiter le balayage naïf (lent) à N adresses ; 0 : toutes")
    args = parser.parse_args()

    geojson = args.donnees / "qpv2024_wgs84_derived.geojson"
    adresses_csv = args.donnees / "liste-fs-20240801_qpv2024_derived.csv"
    for fichier in (geojson, adresses_csv):
        if not fichier.exists():
            sys.exit(f"Fichier absent : {fichier} (dossier ../shared/data/qpv du dépôt de pilotage).")

    debut = time.perf_counter()
    collection = json.loads(geojson.read_text(encoding="utf-8"))
    lecture = time.perf_counter() - debut
    constructions = []
    for _ in range(args.repetitions):
        debut = time.perf_counter()
        index = IndexQuartiers.depuis_geojson(collection)
        constructions.append(time.perf_counter() - debut)

    with adresses_csv.open(encoding="utf-8") as f:
        adresses = list(csv.DictReader(f))
    points = [(float(a["longitude"]), float(a["latitude"])) for a in adresses]

    par_contenant, trouves = chronometre(index.contenant, points, args.repetitions)
    par_localiser, _ = chronometre(index.localiser, points, args.repetitions)

    # Naive scan: every polygon, no index, no preparation, as one would write it without thinking.
    polygones = [(f["properties"]["code_qp"], shape(f["geometry"])) for f in collection["features"]]

    def naif(lon, lat):
        point = Point(lon, lat)
        return next((code for code, polygone in polygones if polygone.intersects(point)), None)

    echantillon = points[: args.naif] if args.naif else points
    par_naif, trouves_naif = chronometre(naif, echantillon, 1)
    trouves_index = [index.codes[i] if i is not None else None for i in trouves[: len(echantillon)]]

    nettes = [(a, i) for a, i in zip(adresses, trouves) if abs(float(a["distance_frontiere_m"])) >= 30]
    accords = sum((index.codes[i] if i is not None else "") == a["code_qp_2024"] for a, i in nettes)
    dans_qpv = sum(1 for a, _ in nettes if a["code_qp_2024"])
    toutes = sum((index.codes[i] if i is not None else "") == a["code_qp_2024"] for a, i in zip(adresses, trouves))

    print(
        f"Quartiers prioritaires 2024 : {len(index)} contours ({len(index.ignores)} ignorés) ; lecture du GeoJSON {fr(lecture * 1000)} ms"
    )
    print(
        f"Construction de l’index (contrôle/réparation, préparation, STRtree) : médiane {fr(statistics.median(constructions) * 1000)} ms, "
        f"meilleure {fr(min(constructions) * 1000)} ms sur {args.repetitions}"
    )
    print(f"Adresses réelles : {len(points)}")
    print(
        f"Index, point dans polygone (contenant) : {fr(1 / par_contenant)} recherches/s, {fr(par_contenant * 1e6, 1)} µs par recherche"
    )
    print(
        f"Index, réponse complète avec distance (localiser) : {fr(1 / par_localiser)} recherches/s, {fr(par_localiser * 1e6, 1)} µs par recherche"
    )
    print(
        f"Balayage naïf des {len(polygones)} polygones ({len(echantillon)} adresses) : {fr(1 / par_naif)} recherches/s, {fr(par_naif * 1e6)} µs par recherche"
    )
    print(f"Rapport naïf / index : {fr(par_naif / par_contenant)} fois plus rapide avec l’index (point dans polygone)")
    print(
        f"Même réponse que le balayage naïf sur l’échantillon : {sum(a == b for a, b in zip(trouves_index, trouves_naif))}/{len(echantillon)}"
    )
    print(
        f"Accord avec code_qp_2024 pour les points à 30 m ou plus d’une limite : {accords}/{len(nettes)} "
        f"({fr(100 * accords / len(nettes), 2)} %), dont {dans_qpv} dans un QPV ; toutes adresses : {toutes}/{len(adresses)}"
    )
    print(f"Objectif < 1 ms par recherche : {'atteint' if par_localiser < 1e-3 else 'NON atteint'}")


if __name__ == "__main__":
    main()
