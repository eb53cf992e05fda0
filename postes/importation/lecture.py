"""Reading an uploaded table: CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM or Windows-1252; `;`, `,`
or tab separated), XLSX (first sheet), or a JSON array of objects (ANCT's register).

Line numbers are those a spreadsheet shows: the header is line 1, the first data row line 2 (a CSV
record spanning several physical lines counts as one line). In a JSON array, object n (from 1) is
line n. Empty rows are skipped but keep their number.
"""

import codecs
import csv
import io
import json
import zipfile
from dataclasses import dataclass, field


class FichierIllisible(Exception):
    """The file cannot be read as a table; the message (in French) says why."""


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
    if contenu.startswith(codecs.BOM_UTF8):
        return contenu[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if contenu.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return contenu.decode("utf-16"), "utf-16"
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


def lire_csv(contenu: bytes) -> Table:
    texte, encodage = decoder(contenu)
    if "\x00" in texte:
        raise FichierIllisible("Le fichier contient des octets nuls : ce n’est pas un fichier CSV.")
    premiere = texte.lstrip("\r\n").split("\n", 1)[0]
    sep = separateur(premiere)
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=sep)
    entetes = None
    table = Table("csv", [], encodage=encodage, separateur=sep)
    try:
        for numero, cellules in enumerate(lecteur, start=1):
            if entetes is None:
                if _vide(cellules):
                    continue
                entetes = [c.strip() for c in cellules]
                table.entetes = entetes
                continue
            if _vide(cellules):
                continue
            table.lignes.append((numero, cellules))
    except csv.Error as exc:
        raise FichierIllisible(f"CSV mal formé : {exc}.") from exc
    if entetes is None:
        raise FichierIllisible("Le fichier est vide.")
    return table


def lire_xlsx(contenu: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FichierIllisible("Classeur Excel illisible : enregistrez-le au format .xlsx ou CSV.") from exc
    try:
        feuille = classeur.worksheets[0]
        table = Table("xlsx", [])
        entetes = None
        for numero, cellules in enumerate(feuille.iter_rows(values_only=True), start=1):
            cellules = list(cellules)
            if entetes is None:
                if _vide(cellules):
                    continue
                entetes = ["" if c is None else str(c).strip() for c in cellules]
                table.entetes = entetes
                continue
            if _vide(cellules):
                continue
            table.lignes.append((numero, cellules))
    finally:
        classeur.close()
    if entetes is None:
        raise FichierIllisible("Le classeur est vide.")
    return table


def lire_json(contenu: bytes) -> Table:
    texte, _ = decoder(contenu)
    try:
        donnees = json.loads(texte)
    except json.JSONDecodeError as exc:
        raise FichierIllisible(f"JSON mal formé (ligne {exc.lineno}, colonne {exc.colno}).") from exc
    if not isinstance(donnees, list) or not all(isinstance(o, dict) for o in donnees):
        raise FichierIllisible("Le fichier JSON doit être un tableau d’objets, comme le registre de l’ANCT.")
    entetes: list[str] = []
    connus = set()
    for objet in donnees:
        for nom in objet:
            if nom not in connus:
                connus.add(nom)
                entetes.append(nom)
    table = Table("json", entetes, encodage="utf-8")
    for numero, objet in enumerate(donnees, start=1):
        table.lignes.append((numero, [objet.get(nom) for nom in entetes]))
    return table


def lire_table(contenu: bytes, nom: str = "") -> Table:
    """Read a table whatever its format, recognised by its content (the name only helps messages)."""
    if not contenu or not contenu.strip():
        raise FichierIllisible("Le fichier est vide.")
    if contenu.startswith(b"PK\x03\x04"):
        return lire_xlsx(contenu)
    if contenu.startswith(b"\xd0\xcf\x11\xe0"):
        raise FichierIllisible(
            "Ancien format Excel (.xls) non pris en charge : enregistrez le classeur au format .xlsx ou CSV."
        )
    if contenu.startswith(b"%PDF"):
        raise FichierIllisible("Un PDF ne peut pas être importé : fournissez un fichier CSV, XLSX ou JSON.")
    debut = contenu.lstrip(codecs.BOM_UTF8).lstrip()
    if debut.startswith(b"[") or nom.lower().endswith(".json"):
        return lire_json(contenu)
    return lire_csv(contenu)
