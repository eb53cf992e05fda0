"""Reading an uploaded table: CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM or Windows-1252; `;`, `,`
or tab separated), XLSX (first sheet), or a JSON array of objects (ANCT's register).

Line numbers are those a spreadsheet shows: the header is line 1, the first data row line 2 (a CSV
record spanning several physical lines counts as one line). In a JSON array, object n (from 1) is
line n. Empty rows are skipped but keep their number.

Bounds (README, « Importer des postes ») so that no file can make a worker burn CPU or memory:
at most COLONNES_MAX columns, `lignes_max` data lines when the caller gives one (the page does), a
CSV cell of at most csv.field_size_limit() characters, an XLSX whose members unpack to at most
XLSX_DECOMPRESSE_MAX bytes; XML is parsed by openpyxl through defusedxml (no entity expansion, no
external entity). A JSON object or array inside a cell is kept as a `NonScalaire` marker only.
"""

import codecs
import csv
import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import time, timedelta

from commun.nombres import nombre
from importation.valeurs import NonScalaire

logger = logging.getLogger(__name__)

COLONNES_MAX = 100
XLSX_DECOMPRESSE_MAX = 200 * 1024 * 1024


class FichierIllisible(Exception):
    """The file cannot be read as a table; the message (in French) says why."""


def _trop_de_colonnes(n: int) -> FichierIllisible:
    return FichierIllisible(
        f"Le fichier a {nombre(n)} colonnes : au plus {COLONNES_MAX} sont lues (celles des postes en comptent une vingtaine)."
    )


def _trop_de_lignes(lignes_max: int) -> FichierIllisible:
    return FichierIllisible(
        f"Le fichier compte plus de {nombre(lignes_max)} lignes, le maximum sur cette page : découpez-le, ou faites-le "
        "importer par la commande importer_postes."
    )


@dataclass
class Table:
    format: str  # "csv", "xlsx" or "json"
    entetes: list[str]
    lignes: list[tuple[int, list]] = field(default_factory=list)  # (line number, cells in header order)
    encodage: str = ""
    separateur: str = ""

    def __len__(self):
        return len(self.lignes)


def _vide(cellules) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cellules)


def decoder(contenu: bytes) -> tuple[str, str]:
    """Text and encoding name. A BOM decides; otherwise strict UTF-8, then Windows-1252."""
    try:
        if contenu.startswith(codecs.BOM_UTF8):
            return contenu[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
        if contenu.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return contenu.decode("utf-16"), "utf-16"
    except UnicodeDecodeError as exc:
        raise FichierIllisible(
            f"Le fichier commence comme un texte {'UTF-8' if contenu.startswith(codecs.BOM_UTF8) else 'UTF-16'} mais "
            f"ne l’est pas (octet {exc.start + 1}) : enregistrez-le de nouveau au format « CSV UTF-8 »."
        ) from exc
    try:
        return contenu.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return contenu.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise FichierIllisible(
            "Le fichier n’est ni en UTF-8 ni en Windows-1252 : enregistrez-le au format « CSV UTF-8 »."
        ) from exc


def separateur(premiere_ligne: str) -> str:
    """The separator used by the header line: the most frequent of `;`, `,` and tab (`;` on a tie)."""
    comptes = {sep: premiere_ligne.count(sep) for sep in (";", ",", "\t")}
    meilleur = max(comptes.values())
    if meilleur == 0:
        return ";"
    return next(sep for sep in (";", ",", "\t") if comptes[sep] == meilleur)


def lire_csv(contenu: bytes, lignes_max: int | None = None) -> Table:
    texte, encodage = decoder(contenu)
    if "\x00" in texte:
        raise FichierIllisible("Le fichier contient des octets nuls : ce n’est pas un fichier CSV.")
    premiere = texte.lstrip("\r\n").split("\n", 1)[0]
    sep = separateur(premiere)
    if premiere.count(sep) >= COLONNES_MAX:
        raise _trop_de_colonnes(premiere.count(sep) + 1)
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=sep)
    entetes = None
    table = Table("csv", [], encodage=encodage, separateur=sep)
    numero = 0
    try:
        for numero, cellules in enumerate(lecteur, start=1):
            if entetes is None:
                if _vide(cellules):
                    continue
                if len(cellules) > COLONNES_MAX:
                    raise _trop_de_colonnes(len(cellules))
                entetes = [c.strip() for c in cellules]
                table.entetes = entetes
                continue
            if _vide(cellules):
                continue
            if lignes_max is not None and len(table.lignes) >= lignes_max:
                raise _trop_de_lignes(lignes_max)
            table.lignes.append((numero, cellules[: max(len(entetes), 1)]))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise FichierIllisible(
                f"Une cellule dépasse {nombre(csv.field_size_limit())} caractères (ligne {numero + 1}) : "
                "ce fichier n’est pas un tableau de postes."
            ) from exc
        raise FichierIllisible(f"CSV mal formé à la ligne {numero + 1} (guillemet ou caractère inattendu).") from exc
    if entetes is None:
        raise FichierIllisible("Le fichier est vide.")
    return table


ILLISIBLE_XLSX = "Classeur Excel illisible : enregistrez-le au format .xlsx ou CSV."


def _cellule_xlsx(valeur):
    """The cell types the engine reads: text, numbers, dates; a time or a duration becomes text."""
    if isinstance(valeur, (time, timedelta)):
        return str(valeur)
    return valeur


def _verifier_archive(contenu: bytes):
    """Refuse a ZIP that is not one, or whose members would unpack beyond XLSX_DECOMPRESSE_MAX
    (a « zip bomb »: the sizes declared here are the ones zipfile enforces while reading)."""
    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise FichierIllisible(ILLISIBLE_XLSX) from exc
    if total > XLSX_DECOMPRESSE_MAX:
        raise FichierIllisible(
            f"Classeur Excel trop volumineux une fois décompressé ({total // (1024 * 1024)} Mo ; au plus "
            f"{XLSX_DECOMPRESSE_MAX // (1024 * 1024)} Mo) : enregistrez-le au format CSV ou découpez-le."
        )


def lire_xlsx(contenu: bytes, lignes_max: int | None = None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency of the project
        raise FichierIllisible("Lecture des classeurs Excel indisponible (defusedxml absent) : importez un CSV.")
    _verifier_archive(contenu)
    # openpyxl parses untrusted XML; whatever a broken file makes it raise (zlib, XML, KeyError…),
    # the person gets one French message, never a traceback.
    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except Exception as exc:
        logger.info("Classeur illisible : %s", exc.__class__.__name__)
        raise FichierIllisible(ILLISIBLE_XLSX) from exc
    try:
        if not classeur.worksheets:
            raise FichierIllisible("Le classeur n’a aucune feuille.")
        feuille = classeur.worksheets[0]
        table = Table("xlsx", [])
        entetes, ligne_entetes = None, 0
        # The header row is read whole (at most 16,384 cells), the data rows only as wide as it.
        for numero, cellules in enumerate(feuille.iter_rows(values_only=True), start=1):
            cellules = list(cellules)
            while cellules and (cellules[-1] is None or str(cellules[-1]).strip() == ""):
                cellules.pop()
            if not cellules:
                continue
            if len(cellules) > COLONNES_MAX:
                raise FichierIllisible(
                    f"Le classeur a {nombre(len(cellules))} colonnes : au plus {COLONNES_MAX} sont lues "
                    "(celles des postes en comptent une vingtaine)."
                )
            entetes, ligne_entetes = ["" if c is None else str(c).strip() for c in cellules], numero
            break
        if entetes is None:
            raise FichierIllisible("Le classeur est vide.")
        table.entetes = entetes
        lignes = feuille.iter_rows(min_row=ligne_entetes + 1, max_col=len(entetes), values_only=True)
        for numero, cellules in enumerate(lignes, start=ligne_entetes + 1):
            cellules = [_cellule_xlsx(c) for c in cellules]
            if _vide(cellules):
                continue
            if lignes_max is not None and len(table.lignes) >= lignes_max:
                raise _trop_de_lignes(lignes_max)
            table.lignes.append((numero, cellules))
    except FichierIllisible:
        raise
    except Exception as exc:
        logger.info("Classeur illisible : %s", exc.__class__.__name__)
        raise FichierIllisible(ILLISIBLE_XLSX) from exc
    finally:
        try:
            classeur.close()
        except Exception:  # pragma: no cover - closing a broken archive
            pass
    return table


# A JSON string may hold lone surrogates (`"\ud800"`), which no UTF-8 text (nor PostgreSQL) can keep:
# they become U+FFFD, which the engine rejects on the line.
SUBSTITUTS = re.compile("[\ud800-\udfff]")


def _texte_json(texte: str) -> str:
    return SUBSTITUTS.sub("\ufffd", texte)


def _cellule_json(valeur):
    if isinstance(valeur, str):
        return _texte_json(valeur)
    if isinstance(valeur, dict):
        return NonScalaire("un objet JSON")
    if isinstance(valeur, list):
        return NonScalaire("une liste JSON")
    return valeur


def lire_json(contenu: bytes, lignes_max: int | None = None) -> Table:
    texte, _ = decoder(contenu)
    try:
        donnees = json.loads(texte)
    except json.JSONDecodeError as exc:
        raise FichierIllisible(f"JSON mal formé (ligne {exc.lineno}, colonne {exc.colno}).") from exc
    except RecursionError as exc:
        raise FichierIllisible("JSON trop profondément imbriqué : le registre est un tableau d’objets simples.") from exc
    except ValueError as exc:  # an integer of more than 4,300 digits (int_max_str_digits)
        raise FichierIllisible("JSON illisible : un nombre a trop de chiffres.") from exc
    if not isinstance(donnees, list) or not all(isinstance(o, dict) for o in donnees):
        raise FichierIllisible("Le fichier JSON doit être un tableau d’objets, comme le registre de l’ANCT.")
    if lignes_max is not None and len(donnees) > lignes_max:
        raise _trop_de_lignes(lignes_max)
    cles: list[str] = []  # the keys as written, in order of first appearance
    connus = set()
    for objet in donnees:
        for nom in objet:
            if nom not in connus:
                connus.add(nom)
                cles.append(nom)
                if len(cles) > COLONNES_MAX:
                    raise FichierIllisible(
                        f"Les objets du fichier ont plus de {COLONNES_MAX} clés différentes : au plus "
                        f"{COLONNES_MAX} colonnes sont lues."
                    )
    table = Table("json", [_texte_json(nom) for nom in cles], encodage="utf-8")
    for numero, objet in enumerate(donnees, start=1):
        table.lignes.append((numero, [_cellule_json(objet.get(nom)) for nom in cles]))
    return table


def lire_table(contenu: bytes, nom: str = "", lignes_max: int | None = None) -> Table:
    """Read a table whatever its format, recognised by its content (the name only helps messages).
    `lignes_max`: refuse a file with more data lines (the page's bound; the command has none)."""
    if not contenu or not contenu.strip():
        raise FichierIllisible("Le fichier est vide.")
    if contenu.startswith(b"PK\x03\x04"):
        return lire_xlsx(contenu, lignes_max)
    if contenu.startswith(b"\xd0\xcf\x11\xe0"):
        raise FichierIllisible("Ancien format Excel (.xls) non pris en charge : enregistrez le classeur au format .xlsx ou CSV.")
    if contenu.startswith(b"%PDF"):
        raise FichierIllisible("Un PDF ne peut pas être importé : fournissez un fichier CSV, XLSX ou JSON.")
    debut = contenu.lstrip(codecs.BOM_UTF8).lstrip()
    if debut.startswith(b"[") or nom.lower().endswith(".json"):
        return lire_json(contenu, lignes_max)
    return lire_csv(contenu, lignes_max)
