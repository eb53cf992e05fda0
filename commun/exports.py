"""CSV (French Excel dialect) and XLSX downloads of a table, shared by every list and dashboard.

Cells that a spreadsheet would read as a formula (starting with =, +, -, @, or a tab / carriage
return) are prefixed with an apostrophe, so that an exported value can never run in Excel
(CSV/formula injection, OWASP)."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from commun.noms_fichiers import en_piece_jointe

DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
FORMAT_DATE_XLSX = "dd/mm/yyyy"
FORMAT_DATE_HEURE_XLSX = "dd/mm/yyyy hh:mm"
FORMAT_MONTANT_XLSX = "#,##0.00"
LIGNES_POUR_LARGEURS = 200  # column widths are measured on the header and the first rows
LARGEUR_MINIMALE, LARGEUR_MAXIMALE = 8, 60


def heure_de_paris(valeur: datetime) -> datetime:
    """An aware datetime (stored in UTC) as the naive wall-clock time of Europe/Paris (TIME_ZONE),
    what a person in a prefecture reads; a naive datetime is taken as already local."""
    if timezone.is_aware(valeur):
        return timezone.localtime(valeur, timezone.get_default_timezone()).replace(tzinfo=None)
    return valeur


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
        return heure_de_paris(valeur).strftime("%d/%m/%Y %H:%M")
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


def _xlsx_valeur(valeur):
    valeur = neutraliser(valeur)
    if isinstance(valeur, datetime):
        return heure_de_paris(valeur)
    return valeur


def _texte_affiche(valeur) -> str:
    """What a spreadsheet shows for the value, to size its column."""
    if isinstance(valeur, datetime):
        return "00/00/0000 00:00"
    if isinstance(valeur, date):
        return "00/00/0000"
    if isinstance(valeur, Decimal):
        return f"{valeur:,.2f}"
    return max(str(valeur).split("\n"), key=len, default="")


def largeurs_colonnes(entetes: Sequence[str], lignes: Sequence[Sequence]) -> list[float]:
    """A readable width per column: its longest header or cell (first rows), within bounds."""
    largeurs = []
    for i, entete in enumerate(entetes):
        plus_long = max([len(str(entete)), *(len(_texte_affiche(l[i])) for l in lignes if i < len(l))])
        largeurs.append(min(max(plus_long + 2, LARGEUR_MINIMALE), LARGEUR_MAXIMALE))
    return largeurs


def titre_de_feuille(titre: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    propre = "".join(" " if c in "[]:*?/\\" else c for c in titre).strip()
    return propre[:31].strip() or "Export"


def contenu_xlsx(entetes: Sequence[str], lignes: Iterable[Sequence], titre: str = "Export") -> bytes:
    """One sheet: a bold, frozen header row; dates and datetimes as real date cells (dd/mm/yyyy,
    Europe/Paris wall-clock time), amounts with two decimals, columns wide enough to read."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(title=titre_de_feuille(titre))
    lignes = iter(lignes)
    premieres = [[_xlsx_valeur(v) for v in ligne] for ligne in islice(lignes, LIGNES_POUR_LARGEURS)]
    for i, largeur in enumerate(largeurs_colonnes(entetes, premieres), start=1):
        feuille.column_dimensions[get_column_letter(i)].width = largeur
    feuille.freeze_panes = "A2"
    gras = Font(bold=True)

    def cellule(valeur, police=None):
        c = WriteOnlyCell(feuille, value=valeur)
        if isinstance(valeur, datetime):
            c.number_format = FORMAT_DATE_HEURE_XLSX
        elif isinstance(valeur, date):
            c.number_format = FORMAT_DATE_XLSX
        elif isinstance(valeur, Decimal):
            c.number_format = FORMAT_MONTANT_XLSX
        if police is not None:
            c.font = police
        return c

    feuille.append([cellule(neutraliser(e), gras) for e in entetes])
    for valeurs in chain(premieres, ([_xlsx_valeur(v) for v in ligne] for ligne in lignes)):
        feuille.append([cellule(v) for v in valeurs])
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
