import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from commun.exports import contenu_csv, contenu_xlsx, neutraliser


def test_cellules_commencant_par_un_signe_de_formule_neutralisees():
    for dangereux in ("=SOMME(A1:A2)", "+33 1 23", "-2+3", "@cmd", "\tx"):
        assert neutraliser(dangereux).startswith("'")


def test_nombres_et_dates_laisses_tels_quels():
    assert neutraliser(Decimal("-12.50")) == Decimal("-12.50")
    assert neutraliser(date(2024, 7, 1)) == date(2024, 7, 1)
    assert neutraliser("Association") == "Association"


def test_csv_dialecte_excel_francais():
    texte = contenu_csv(["Poste", "Montant", "Début"], [["093", Decimal("22555.73"), date(2024, 7, 1)]]).decode("utf-8")
    assert texte.startswith("\ufeffPoste;Montant;Début\r\n")
    assert "093;22555,73;01/07/2024" in texte


def test_csv_neutralise_une_formule_dans_une_cellule():
    texte = contenu_csv(["Nom"], [['=HYPERLINK("http://x")']]).decode("utf-8")
    assert "'=HYPERLINK" in texte


def test_xlsx_relu_avec_les_memes_valeurs():
    contenu = contenu_xlsx(["Poste", "Montant"], [["09324R000101", Decimal("1900.88")], ["=1+1", 3]], titre="Postes")
    feuille = load_workbook(io.BytesIO(contenu)).active
    lignes = list(feuille.iter_rows(values_only=True))
    assert lignes[0] == ("Poste", "Montant")
    assert lignes[1][0] == "09324R000101" and float(lignes[1][1]) == 1900.88
    assert lignes[2][0] == "'=1+1"
