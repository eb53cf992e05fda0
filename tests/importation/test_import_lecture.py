"""Reading import files and cells: pure functions, no database."""

import codecs
import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from importation.colonnes import reconnaitre
from importation.lecture import FichierIllisible, lire_table
from importation.valeurs import (
    ValeurInvalide,
    cle,
    departement_de_l_identifiant,
    lire_annee,
    lire_date,
    lire_heures,
    lire_identifiant,
    lire_montant,
    normaliser_departement,
    separer_codes,
    texte,
)

ENTETES = ["id_poste", "code_tiers", "raison_sociale", "annee", "montant"]
LIGNE = ["09324R000101", "77554402601284", "Médiation Évry", "2023", "22 555,73"]


def csv_octets(lignes, sep=";", encodage="utf-8", bom=False):
    tampon = io.StringIO()
    csv.writer(tampon, delimiter=sep, lineterminator="\r\n").writerows(lignes)
    contenu = tampon.getvalue().encode(encodage)
    return (codecs.BOM_UTF8 + contenu) if bom else contenu


@pytest.mark.parametrize("encodage,bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
@pytest.mark.parametrize("sep", [";", ","])
def test_csv_lu_quel_que_soit_l_encodage_et_le_separateur(encodage, bom, sep):
    table = lire_table(csv_octets([ENTETES, LIGNE], sep=sep, encodage=encodage, bom=bom))
    assert table.format == "csv" and table.separateur == sep
    assert table.entetes == ENTETES
    assert table.lignes == [(2, LIGNE)]  # the accents survive every encoding


def test_csv_windows_1252_detecte_quand_l_utf8_echoue():
    contenu = csv_octets([ENTETES, LIGNE], encodage="cp1252")
    with pytest.raises(UnicodeDecodeError):
        contenu.decode("utf-8")
    assert lire_table(contenu).encodage == "cp1252"


def test_csv_utf16_avec_bom_et_tabulations_comme_excel_texte_unicode():
    contenu = "\t".join(ENTETES).encode("utf-16") + "\r\n".join(["", "\t".join(LIGNE)]).encode("utf-16-le")
    table = lire_table(contenu)
    assert table.separateur == "\t" and table.lignes[0][1] == LIGNE


def test_numero_de_ligne_comme_un_tableur_malgre_les_lignes_vides_et_cellules_multilignes():
    contenu = 'identifiant;missions\r\n09324R000101;"accueil\r\norientation"\r\n;\r\n09324R000201;x\r\n'.encode()
    table = lire_table(contenu)
    assert [n for n, _ in table.lignes] == [2, 4]
    assert table.lignes[0][1][1] == "accueil\r\norientation"


def test_xlsx_lu_avec_ses_types():
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["Identifiant", "SIRET", "Début de convention", "Montant"])
    feuille.append(["09324R000101", 77554402601284, datetime(2023, 3, 15), 22555.73])
    feuille.append([None, None, None, None])
    feuille.append(["09324R000201", "77554402601284", "15/03/2023", "22 555,73 €"])
    tampon = io.BytesIO()
    classeur.save(tampon)
    table = lire_table(tampon.getvalue(), "postes.xlsx")
    assert table.format == "xlsx"
    assert [n for n, _ in table.lignes] == [2, 4]
    assert table.lignes[0][1][1] == 77554402601284


def test_json_tableau_d_objets_comme_le_registre_anct():
    donnees = [dict(zip(ENTETES, LIGNE)), {"id_poste": "09324R000201", "insee_dep": "93"}]
    table = lire_table(json.dumps(donnees).encode())
    assert table.format == "json"
    assert table.entetes == [*ENTETES, "insee_dep"]
    assert [n for n, _ in table.lignes] == [1, 2]
    assert table.lignes[1][1][0] == "09324R000201" and table.lignes[1][1][1] is None


@pytest.mark.parametrize(
    "contenu,message",
    [
        (b"", "vide"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"PK\x03\x04pas un classeur", "Classeur Excel illisible"),
        (b'{"id_poste": "x"}', "tableau d’objets"),
        (b'[{"id_poste": "x"', "JSON mal formé"),
        (b"[1, 2]", "tableau d’objets"),
        (b"identifiant\x81\x8d\x8f;siret\n", "ni en UTF-8 ni en Windows-1252"),
        (b"a\x00b;c\n", "octets nuls"),
    ],
)
def test_fichier_illisible_explique_en_francais(contenu, message):
    with pytest.raises(FichierIllisible, match=message):
        lire_table(contenu, "fichier.csv" if not contenu.startswith(b"{") else "fichier.json")


def test_entetes_reconnus_sans_casse_accents_ni_espaces():
    colonnes = reconnaitre(
        ["IDENTIFIANT", "siret", "Raison  sociale", "département", "QUARTIERS (codes qpv)", "Début de convention", "Inconnue"]
    )
    assert set(colonnes.index) == {"identifiant", "siret", "raison_sociale", "departement", "quartiers", "convention_debut"}
    assert colonnes.inconnues == ["Inconnue"]
    anct = reconnaitre(["id_poste", "code_tiers", "raison_sociale", "annee", "montant", "code_cv", "insee_dep", "insee_reg"])
    assert set(anct.index) == {"identifiant", "siret", "raison_sociale", "annee", "montant", "code_cv", "departement", "region"}


def test_colonne_obligatoire_absente_rend_le_fichier_illisible():
    with pytest.raises(FichierIllisible, match="« SIRET » \\(ou « code_tiers » \\)|Colonne obligatoire introuvable : « SIRET »"):
        reconnaitre(["id_poste", "montant"])


def test_cle_de_comparaison():
    assert cle("Raison sociale") == cle("raison_sociale") == cle("RAISON SOCIALE") == "raisonsociale"
    assert cle("Département") == "departement"


@pytest.mark.parametrize(
    "brut,attendu",
    [
        ("22555.73", "22555.73"),
        ("22 555,73", "22555.73"),
        ("22\u00a0555,73", "22555.73"),
        ("22\u202f555,73 €", "22555.73"),
        ("22 555,73 €", "22555.73"),
        ("22.555,73", "22555.73"),
        ("22,555.73", "22555.73"),
        ("1.234.567", "1234567.00"),
        (22555.73, "22555.73"),
        (21254, "21254.00"),
        ("0", "0.00"),
    ],
)
def test_montants_ecrits_a_la_francaise_ou_a_l_anglaise(brut, attendu):
    assert lire_montant(brut) == Decimal(attendu)


@pytest.mark.parametrize(
    "brut,message",
    [("-5", "négatif"), ("abc", "illisible"), ("12,3,4", "illisible"), ("10.123", "deux décimales"), (True, "illisible")],
)
def test_montant_refuse_avec_un_message(brut, message):
    with pytest.raises(ValeurInvalide, match=message):
        lire_montant(brut)


@pytest.mark.parametrize(
    "brut,attendu",
    [
        ("15/03/2023", date(2023, 3, 15)),
        ("5/3/2023", date(2023, 3, 5)),
        ("15-03-2023", date(2023, 3, 15)),
        ("15.03.2023", date(2023, 3, 15)),
        ("2023-03-15", date(2023, 3, 15)),
        ("2023-03-15T00:00:00", date(2023, 3, 15)),
        (datetime(2023, 3, 15, 0, 0), date(2023, 3, 15)),
    ],
)
def test_dates_francaises_et_iso(brut, attendu):
    assert lire_date(brut) == attendu


def test_date_impossible_et_date_illisible_distinguees():
    with pytest.raises(ValeurInvalide, match="Date impossible : le 31/02/2023 n’existe pas"):
        lire_date("31/02/2023")
    with pytest.raises(ValeurInvalide, match="Date illisible"):
        lire_date("mars 2023")


def test_annee_heures_identifiant():
    assert lire_annee(2023.0) == 2023
    with pytest.raises(ValeurInvalide, match="1999"):
        lire_annee("1998")
    assert lire_heures("17,5") == Decimal("17.50")
    with pytest.raises(ValeurInvalide, match="17,5 et 35"):
        lire_heures("40")
    assert lire_identifiant(" 59l13r001803 ") == "59L13R001803"
    assert lire_identifiant("01615RT00102") == "01615RT00102"
    with pytest.raises(ValeurInvalide, match="mal formé"):
        lire_identifiant("93-2024-1")


@pytest.mark.parametrize(
    "identifiant,departement",
    [
        ("00112R000103", "01"),
        ("02A23R000100", "2A"),
        ("02B06RT00105", "2B"),
        ("97118R001001", "971"),
        ("09324R000101", "93"),
        ("59L13R001803", "59"),
        ("59V15R000102", "59"),
    ],
)
def test_departement_lu_dans_l_identifiant(identifiant, departement):
    assert departement_de_l_identifiant(identifiant) == departement


@pytest.mark.parametrize(
    "brut,code",
    [("93", "93"), ("093", "93"), (1, "01"), ("02A", "2A"), ("2a", "2A"), ("971", "971"), ("93 – Seine-Saint-Denis", "93")],
)
def test_departement_normalise(brut, code):
    assert normaliser_departement(brut) == code


def test_listes_et_neutralisation_des_exports_defaite():
    assert separer_codes("QN09339M, qn09340m;QN09341M | QN09342M QN09343M") == [
        "QN09339M",
        "QN09340M",
        "QN09341M",
        "QN09342M",
        "QN09343M",
    ]
    assert texte("'- accueil des familles") == "- accueil des familles"
    assert texte("'l’école") == "'l’école"
