"""CSV (French Excel dialect) and XLSX downloads of a table, shared by every list and dashboard.

Cells that a spreadsheet would read as a formula (starting with =, +, -, @, or a tab / carriage
return) are prefixed with an apostrophe, so that an exported value can never run in Excel
(CSV/formula injection, OWASP)."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify

from commun.noms_fichiers import en_piece_jointe

DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


def neutraliser(valeur):
    """Make a cell safe for a spreadsheet; numbers and dates stay as they are."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, (int, float, Decimal, date, datetime)):
        return valeur
    texte = str(valeur)
    if texte.startswith(DEBUTS_DANGEREUX):
        return "'" + texte
    return texte


def _csv_cellule(valeur):
    valeur = neutraliser(valeur)
    if isinstance(valeur, Decimal):
        return format(valeur, "f").replace(".", ",")
    if isinstance(valeur, float):
        return repr(valeur).replace(".", ",")
    if isinstance(valeur, datetime):
        return valeur.strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    return valeur


def contenu_csv(entetes: Sequence[str], lignes: Iterable[Sequence]) -> bytes:
    """French Excel dialect: `;` separator, decimal comma, dd/mm/yyyy dates, UTF-8 with BOM."""
    tampon = io.StringIO()
    writer = csv.writer(tampon, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutraliser(e) for e in entetes])
    for ligne in lignes:
        writer.writerow([_csv_cellule(v) for v in ligne])
    return ("\ufeff" + tampon.getvalue()).encode("utf-8")


def contenu_xlsx(entetes: Sequence[str], lignes: Iterable[Sequence], titre: str = "Export") -> bytes:
    from openpyxl import Workbook

    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(title=titre[:31] or "Export")
    feuille.append([neutraliser(e) for e in entetes])
    for ligne in lignes:
        cellules = []
        for v in ligne:
            v = neutraliser(v)
            if isinstance(v, datetime) and v.tzinfo is not None:
                v = v.replace(tzinfo=None)
            cellules.append(v)
        feuille.append(cellules)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def reponse_export(nom: str, entetes: Sequence[str], lignes: Iterable[Sequence], format: str) -> HttpResponse:
    """An attachment download of the table in `format` ("csv" or "xlsx")."""
    fichier = slugify(nom)
    if format == "xlsx":
        reponse = HttpResponse(
            contenu_xlsx(entetes, lignes, titre=nom),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        return en_piece_jointe(reponse, fichier, ".xlsx", defaut="export")
    reponse = HttpResponse(contenu_csv(entetes, lignes), content_type="text/csv; charset=utf-8")
    return en_piece_jointe(reponse, fichier, ".csv", defaut="export")
