"""Loading of the official QPV file (ANCT GeoJSON, WGS84) into QuartierPrioritaire.

Read everything first and check it; write only if the whole file is sound, in one transaction.
Properties of the 2024 ANCT file: code_qp, lib_qp, insee_dep, insee_com, lib_com; those of the 2015
file: code_qp, nom_qp, code_departement, code_commune, nom_commune. The département is read from the
code when the file does not give it. Invalid contours are repaired (make_valid, polygon parts kept).
"""

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import requests
from django.db import transaction
from django.utils import timezone

from quartiers.index_spatial import GeometrieInvalide, en_geojson, geometrie_polygonale
from quartiers.localisation import invalider
from quartiers.models import Departement, Geographie, QuartierPrioritaire, departement_du_code_qpv

PROPRIETES = {
    "code": ("code_qp",),
    "nom": ("lib_qp", "nom_qp"),
    "departement": ("insee_dep", "code_departement"),
    "insee": ("insee_com", "code_commune"),
    "communes": ("lib_com", "nom_commune"),
}
FORMAT_CODE = {
    Geographie.QPV_2024: (re.compile(r"^QN[0-9]{2}[0-9AB][0-9]{2}[A-Z]$"), "QN09339M"),
    Geographie.QPV_2015: (re.compile(r"^QP[0-9]{2}[0-9AB][0-9]{3}$"), "QP093028"),
}
ERREURS_AFFICHEES = 20
DELAI_TELECHARGEMENT = 120  # seconds


class FichierInvalide(Exception):
    """The file cannot be loaded. `erreurs`: one French message per problem found."""

    def __init__(self, erreurs: list[str]):
        self.erreurs = erreurs
        lignes = erreurs[:ERREURS_AFFICHEES]
        if len(erreurs) > ERREURS_AFFICHEES:
            lignes.append(f"… et {len(erreurs) - ERREURS_AFFICHEES} autres erreurs.")
        super().__init__("Fichier refusé, rien n’a été enregistré :\n- " + "\n- ".join(lignes))


class SourceIntrouvable(FichierInvalide):
    """The path given names no file: a bad argument rather than a bad file."""


@dataclass
class QuartierLu:
    code: str
    nom: str
    departement: str
    communes: list[dict]
    geometrie: dict
    repare: bool


@dataclass
class Bilan:
    crees: int = 0
    mis_a_jour: int = 0
    inchanges: int = 0
    repares: int = 0
    absents: int = 0  # QPV of this geography in the database but not in the file: left in place
    codes_modifies: list[str] = field(default_factory=list)

    @property
    def rien_change(self) -> bool:
        return self.crees == 0 and self.mis_a_jour == 0


# --- Reading ------------------------------------------------------------------------------------


def lire_source(source: str) -> bytes:
    """Bytes of a local path or an http(s) URL."""
    if re.match(r"^https?://", source, re.IGNORECASE):
        try:
            reponse = requests.get(source, timeout=DELAI_TELECHARGEMENT)
        except requests.RequestException as erreur:
            raise FichierInvalide([f"Téléchargement impossible de {source} : {erreur.__class__.__name__}."]) from None
        if reponse.status_code != 200:
            raise FichierInvalide([f"Téléchargement impossible de {source} : réponse HTTP {reponse.status_code}."])
        return reponse.content
    chemin = Path(source)
    if not chemin.is_file():
        raise SourceIntrouvable([f"Fichier introuvable : {source}."])
    return chemin.read_bytes()


def _membre_geojson(archive: zipfile.ZipFile) -> str:
    """The GeoJSON of an ANCT archive (qpv-2024-geojson.zip holds the WGS84 national file)."""
    noms = [n for n in archive.namelist() if n.lower().endswith((".geojson", ".json")) and not n.startswith("__MACOSX")]
    if len(noms) > 1:
        noms = [n for n in noms if "wgs84" in n.lower()] or noms
    if len(noms) != 1:
        liste = ", ".join(noms) if noms else "aucun fichier .geojson"
        raise FichierInvalide([f"L’archive doit contenir un seul fichier GeoJSON en WGS84 ; elle contient : {liste}."])
    return noms[0]


def decoder(contenu: bytes) -> dict:
    """The GeoJSON FeatureCollection of a file's bytes (GeoJSON, or a ZIP archive holding one)."""
    if contenu[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
                contenu = archive.read(_membre_geojson(archive))
        except zipfile.BadZipFile:
            raise FichierInvalide(["Archive ZIP illisible."]) from None
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FichierInvalide(["Le fichier n’est pas encodé en UTF-8 (un GeoJSON l’est toujours)."]) from None
    try:
        donnees = json.loads(texte)
    except json.JSONDecodeError as erreur:
        raise FichierInvalide(
            [f"Le fichier n’est pas du JSON valide : {erreur.msg} (ligne {erreur.lineno}, colonne {erreur.colno})."]
        ) from None
    if not isinstance(donnees, dict) or donnees.get("type") != "FeatureCollection":
        raise FichierInvalide(
            ["Le fichier n’est pas une FeatureCollection GeoJSON (« type » doit valoir « FeatureCollection »)."]
        )
    if not isinstance(donnees.get("features"), list) or not donnees["features"]:
        raise FichierInvalide(["La FeatureCollection ne contient aucun quartier (« features » vide ou absent)."])
    crs = ((donnees.get("crs") or {}).get("properties") or {}).get("name", "")
    if crs and not re.search(r"CRS84|EPSG:+4326|EPSG::4326", crs, re.IGNORECASE):
        raise FichierInvalide(
            [f"Le fichier est dans la projection « {crs} » : prenez la version en WGS84 (longitude, latitude)."]
        )
    return donnees


def _propriete(proprietes: dict, nom: str) -> str:
    for cle in PROPRIETES[nom]:
        valeur = proprietes.get(cle)
        if valeur not in (None, ""):
            return str(valeur).strip()
    return ""


def _liste(valeur: str) -> list[str]:
    return [v.strip() for v in valeur.split(",") if v.strip()]


def _communes(proprietes: dict) -> list[dict]:
    insee, noms = _liste(_propriete(proprietes, "insee")), _liste(_propriete(proprietes, "communes"))
    if insee and len(insee) == len(noms):
        return [{"insee": i, "nom": n} for i, n in zip(insee, noms)]
    if insee:
        return [{"insee": i} for i in insee]
    return [{"nom": n} for n in noms]


def _hors_wgs84(geom) -> bool:
    xmin, ymin, xmax, ymax = geom.bounds
    return xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90


def lire_quartiers(collection: dict, geographie: str, departements: set[str]) -> list[QuartierLu]:
    """Check every feature; all the problems are reported at once (FichierInvalide)."""
    motif, exemple = FORMAT_CODE[geographie]
    erreurs, quartiers, vus, codes_lus = [], [], {}, []
    for numero, feature in enumerate(collection["features"], start=1):
        proprietes = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(proprietes, dict):
            erreurs.append(f"Élément n° {numero} : il n’a pas de propriétés.")
            continue
        code = _propriete(proprietes, "code").upper()
        ou = f"Élément n° {numero} ({code})" if code else f"Élément n° {numero}"
        if not code:
            erreurs.append(f"{ou} : propriété « code_qp » absente.")
            continue
        codes_lus.append(code)
        if not motif.match(code):
            erreurs.append(f"{ou} : code « {code} » hors du format de la géographie {geographie} (par exemple {exemple}).")
            continue
        if code in vus:
            erreurs.append(f"{ou} : code déjà présent à l’élément n° {vus[code]}.")
            continue
        vus[code] = numero
        nom = _propriete(proprietes, "nom")
        if not nom:
            erreurs.append(f"{ou} : nom absent (propriété « lib_qp » ou « nom_qp »).")
        departement = _propriete(proprietes, "departement") or departement_du_code_qpv(code)
        if departement.isdigit() and len(departement) == 1:
            departement = departement.zfill(2)
        if departement not in departements:
            erreurs.append(f"{ou} : département « {departement} » inconnu.")
        try:
            geom, repare = geometrie_polygonale(feature.get("geometry"))
        except GeometrieInvalide as erreur:
            erreurs.append(f"{ou} : {erreur}.")
            continue
        if _hors_wgs84(geom):
            erreurs.append(f"{ou} : coordonnées hors de WGS84 (longitude, latitude) ; le fichier est-il en Lambert-93 ?")
            continue
        geometrie = en_geojson(geom) if repare else feature["geometry"]
        quartiers.append(QuartierLu(code, nom, departement, _communes(proprietes), geometrie, repare))
    if erreurs:
        autres = [g for g in FORMAT_CODE if g != geographie and all(FORMAT_CODE[g][0].match(c) for c in codes_lus)]
        if codes_lus and autres:
            raise FichierInvalide(
                [f"Les codes du fichier sont ceux de la géographie {autres[0]} : relancez avec --geographie {autres[0]}."]
            )
        raise FichierInvalide(erreurs)
    return quartiers


# --- Writing ------------------------------------------------------------------------------------


CHAMPS = ["nom", "geographie", "departement_id", "communes", "geometrie", "geometrie_demo"]


def _champs(lu: QuartierLu, geographie: str, departements: dict) -> dict:
    return {
        "nom": lu.nom,
        "geographie": geographie,
        "departement_id": departements[lu.departement],
        "communes": lu.communes,
        "geometrie": lu.geometrie,
        "geometrie_demo": False,
    }


@transaction.atomic
def enregistrer(quartiers: list[QuartierLu], geographie: str) -> Bilan:
    """Create or update each QPV of the file; leave alone those that are already identical."""
    departements = dict(Departement.objects.values_list("code", "pk"))
    existants = {q.code: q for q in QuartierPrioritaire.objects.select_for_update().filter(code__in=[q.code for q in quartiers])}
    maintenant = timezone.now()
    bilan = Bilan(repares=sum(q.repare for q in quartiers))
    a_creer, a_modifier = [], []
    for lu in quartiers:
        champs = _champs(lu, geographie, departements)
        existant = existants.get(lu.code)
        if existant is None:
            a_creer.append(QuartierPrioritaire(code=lu.code, modifie_le=maintenant, **champs))
        elif any(getattr(existant, nom) != valeur for nom, valeur in champs.items()):
            for nom, valeur in champs.items():
                setattr(existant, nom, valeur)
            existant.modifie_le = maintenant
            a_modifier.append(existant)
        else:
            bilan.inchanges += 1
    QuartierPrioritaire.objects.bulk_create(a_creer, batch_size=200)
    QuartierPrioritaire.objects.bulk_update(a_modifier, [*CHAMPS, "modifie_le"], batch_size=200)
    bilan.crees, bilan.mis_a_jour = len(a_creer), len(a_modifier)
    bilan.codes_modifies = [q.code for q in a_modifier]
    bilan.absents = (
        QuartierPrioritaire.objects.filter(geographie=geographie).exclude(code__in=[q.code for q in quartiers]).count()
    )
    if not bilan.rien_change:
        transaction.on_commit(invalider)
    return bilan


def charger_qpv(source: str, geographie: str = Geographie.QPV_2024) -> Bilan:
    collection = decoder(lire_source(source))
    departements = set(Departement.objects.values_list("code", flat=True))
    return enregistrer(lire_quartiers(collection, geographie, departements), geographie)
