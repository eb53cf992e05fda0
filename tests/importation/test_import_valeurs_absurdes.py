"""Absurd values in an import (issue 16, fault 3): each one is rejected on its line, naming the
column, or the whole file is refused with a French message; never an exception, and nothing written."""

import io
import json
import zipfile

import pytest

from conventions.models import Convention
from employeurs.models import Employeur
from importation.lecture import FichierIllisible, lire_table
from postes.models import FinancementAnnuel, Poste
from tests.factories import QuartierFactory, departement
from tests.outils_import import csv_octets, deposer_sur_la_page, importer, json_octets, ligne_anct, ligne_poste, xlsx_octets

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quartiers(db):
    QuartierFactory(code="QN09339M", departement=departement("93"))


def rien_ecrit():
    return not (
        Poste.objects.exists() or Employeur.objects.exists() or FinancementAnnuel.objects.exists() or Convention.objects.exists()
    )


def rejet(rapport, colonne):
    assert rapport.rejetes == 1 and not rapport.ecrit, rapport.erreurs
    colonnes = [e.colonne for e in rapport.erreurs]
    assert colonne in colonnes, rapport.erreurs
    assert all(len(e.message) < 400 for e in rapport.erreurs)
    assert rien_ecrit()


MONTANTS = [
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "1E5",
    "sNaN",
    "12345678901234567890",
    "10000000000,00",
    "0x1F",
    "１２３",
]


@pytest.mark.parametrize("montant", MONTANTS)
def test_montant_absurde_en_csv_rejete_sur_sa_ligne(montant):
    rejet(importer(csv_octets([ligne_anct(montant=montant)])), "montant")


@pytest.mark.parametrize("montant", [float("nan"), float("inf"), float("-inf"), 1e300, 10**15])
def test_montant_absurde_en_xlsx_rejete_sur_sa_ligne(montant):
    rejet(importer(xlsx_octets([ligne_anct(montant=montant)]), nom="f.xlsx"), "montant")


@pytest.mark.parametrize("texte", ["NaN", "Infinity", "-Infinity", "1e400", "123456789012345678"])
def test_montant_absurde_en_json_rejete_sur_sa_ligne(texte):
    contenu = json_octets([ligne_anct(montant=0)]).replace(b'"montant": 0', b'"montant": ' + texte.encode())
    rejet(importer(contenu, nom="f.json"), "montant")


@pytest.mark.parametrize("annee", ["9999", "0", "0000", "-2023", "2023.5", "nan", "inf", 9999.0, 1e400])
def test_annee_absurde_rejetee_sur_sa_ligne(annee):
    rejet(importer(csv_octets([ligne_anct(annee=annee)])), "annee")


@pytest.mark.parametrize("champ", ["Début de convention", "Fin de convention", "Signature de la convention"])
@pytest.mark.parametrize("valeur", ["31/12/9999", "01/01/0001", "0000-01-01", "9999-12-31T23:59:59", "01/01/1900"])
def test_date_absurde_rejetee_sur_sa_ligne(champ, valeur):
    rapport = importer(csv_octets([ligne_poste(**{champ: valeur})]))
    rejet(rapport, champ)


@pytest.mark.parametrize("heures", ["NaN", "sNaN", "inf", "1e400", "35" + "0" * 60])
def test_heures_absurdes_rejetees_sur_leur_ligne(heures):
    rejet(importer(csv_octets([ligne_poste(**{"Heures hebdomadaires": heures})])), "Heures hebdomadaires")


@pytest.mark.parametrize(
    "champ",
    [
        "Identifiant",
        "SIRET",
        "Raison sociale",
        "Intitulé",
        "Missions",
        "Département",
        "Quartiers (codes QPV)",
        "Domaines",
        "Heures hebdomadaires",
        "Statut",
        "Convention",
        "Début de convention",
        "Statut de la convention",
        "Forme juridique",
        "Région",
    ],
)
def test_valeur_de_cent_mille_caracteres_rejetee_en_nommant_la_colonne(champ):
    rejet(importer(csv_octets([ligne_poste(**{champ: "9" * 100_000})])), champ)


@pytest.mark.parametrize("champ,longueur", [("Raison sociale", 256), ("Intitulé", 256), ("Convention", 31)])
def test_texte_plus_long_que_la_base_rejete_sur_sa_ligne(champ, longueur):
    rejet(importer(csv_octets([ligne_poste(**{champ: "A" * longueur})])), champ)


def test_contrat_de_ville_plus_long_que_la_base_rejete_sur_sa_ligne():
    rejet(importer(csv_octets([ligne_anct(code_cv="CV" * 20)])), "code_cv")


@pytest.mark.parametrize("valeur", [{"a": 1}, [1, 2], {"x": [[[[{}]]]]}, True])
def test_objet_json_dans_une_cellule_rejete_sur_sa_ligne(valeur):
    rejet(importer(json_octets([ligne_anct(montant=valeur)]), nom="f.json"), "montant")


@pytest.mark.parametrize("colonne", ["raison_sociale", "code_cv", "id_poste", "insee_dep"])
def test_caractere_nul_en_json_rejete_sur_sa_ligne(colonne):
    rejet(importer(json_octets([ligne_anct(**{colonne: "A\u0000B"})]), nom="f.json"), colonne)


@pytest.mark.parametrize("colonne", ["raison_sociale", "code_cv"])
def test_demi_caractere_unicode_en_json_rejete_et_fichier_des_rejets_ecrit(colonne):
    from importation.services import fichier_rejets

    avant, apres = {"code_cv": (b'"CV123"', b'"CV\\ud800"'), "raison_sociale": (b'"ASSOCIATION', b'"\\udc00A')}[colonne]
    contenu = json_octets([ligne_anct()]).replace(avant, apres)
    table = lire_table(contenu, "f.json")
    rapport = importer(contenu, nom="f.json")
    rejet(rapport, colonne)
    assert "Ligne d’origine" in fichier_rejets(table, rapport).decode("utf-8-sig")


@pytest.mark.parametrize(
    "contenu",
    [
        b"\xef\xbb\xbfid_poste;code_tiers\r\n\xff\xfe;x\r\n",
        b"\xff\xfe" + b"i\x00d\x00" + b"\x00\xd8;\x00",
        b"\xff\xfe" + b"i\x00d\x00_",
    ],
)
def test_texte_qui_annonce_un_encodage_sans_le_respecter_refuse_en_francais(contenu):
    with pytest.raises(FichierIllisible, match="mais ne l’est pas"):
        lire_table(contenu)


def test_objet_json_dans_une_colonne_texte_rejete_sur_sa_ligne():
    rejet(importer(json_octets([ligne_anct(raison_sociale={"nom": "x"})]), nom="f.json"), "raison_sociale")


@pytest.mark.parametrize("profondeur", [200, 100_000])
def test_json_profondement_imbrique(profondeur):
    """Deep nesting inside a cell is rejected on its line; deeper than the parser allows, the file is."""
    contenu = (
        '[{"id_poste": "09323R000101", "code_tiers": "77554402601284", "raison_sociale": '
        + "[" * profondeur
        + "]" * profondeur
        + "}]"
    ).encode()
    try:
        rapport = importer(contenu, nom="f.json")
    except FichierIllisible as exc:
        assert "imbriqu" in str(exc)
    else:
        rejet(rapport, "raison_sociale")
    assert rien_ecrit()


def test_entier_json_gigantesque_refuse_avec_un_message():
    contenu = b'[{"id_poste": "09323R000101", "code_tiers": "77554402601284", "montant": ' + b"9" * 5000 + b"}]"
    with pytest.raises(FichierIllisible, match="nombre"):
        lire_table(contenu, "f.json")


@pytest.mark.parametrize("coupe", [0.2, 0.5, 0.8, 0.95])
def test_xlsx_tronque_refuse_avec_un_message(coupe):
    contenu = xlsx_octets([ligne_anct()] * 50)
    with pytest.raises(FichierIllisible, match="Classeur Excel illisible"):
        lire_table(contenu[: int(len(contenu) * coupe)], "f.xlsx")


def test_xlsx_corrompu_refuse_avec_un_message():
    contenu = bytearray(xlsx_octets([ligne_anct()] * 50))
    for i in range(200, len(contenu) - 200, 97):
        contenu[i] ^= 0x5A
    with pytest.raises(FichierIllisible, match="Classeur Excel illisible"):
        lire_table(bytes(contenu), "f.xlsx")


def _remplacer_membre(contenu: bytes, nom: str, nouveau: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(contenu))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            cible.writestr(info.filename, nouveau if info.filename == nom else source.read(info.filename))
    return tampon.getvalue()


def test_xlsx_dont_une_feuille_n_est_pas_du_xml_refuse_avec_un_message():
    contenu = _remplacer_membre(xlsx_octets([ligne_anct()]), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row")
    with pytest.raises(FichierIllisible, match="Classeur Excel illisible"):
        lire_table(contenu, "f.xlsx")


def test_csv_avec_une_cellule_plus_grande_que_le_lecteur_csv_refuse_en_francais():
    contenu = csv_octets([ligne_anct(raison_sociale="x" * 200_000)])
    try:
        rapport = importer(contenu)
    except FichierIllisible as exc:
        assert "caractères" in str(exc) and "field" not in str(exc)
    else:
        rejet(rapport, "raison_sociale")


def test_commande_fichier_xlsx_tronque_sortie_2_en_francais(tmp_path):
    from django.core.management import call_command

    chemin = tmp_path / "f.xlsx"
    chemin.write_bytes(xlsx_octets([ligne_anct()] * 50)[:3000])
    erreur = io.StringIO()
    with pytest.raises(SystemExit) as sortie:
        call_command("importer_postes", str(chemin), stderr=erreur)
    assert sortie.value.code == 2 and "Classeur Excel illisible" in erreur.getvalue()
    assert rien_ecrit()


def test_commande_json_imbrique_sortie_2_en_francais(tmp_path):
    from django.core.management import call_command

    chemin = tmp_path / "f.json"
    chemin.write_text("[" * 100_000 + "]" * 100_000)
    erreur = io.StringIO()
    with pytest.raises(SystemExit) as sortie:
        call_command("importer_postes", str(chemin), stderr=erreur)
    assert sortie.value.code == 2 and "imbriqu" in erreur.getvalue()


def test_une_ligne_absurde_n_empeche_pas_les_autres_en_partiel():
    rapport = importer(csv_octets([ligne_anct(), ligne_anct(id_poste="09323R000201", montant="NaN")]), partiel=True)
    assert rapport.ecrit and rapport.crees == 1 and rapport.rejetes == 1
    assert list(Poste.objects.values_list("identifiant", flat=True)) == ["09323R000101"]


def test_json_avec_des_valeurs_non_finies_lu_comme_tableau():
    table = lire_table(json.dumps([ligne_anct(montant=float("nan"))]).encode(), "f.json")
    assert len(table.lignes) == 1


@pytest.mark.parametrize("montant", ["NaN", "1e400", "12345678901234567890"])
def test_page_montant_absurde_rejete_sur_sa_ligne_sans_erreur_500(client, agent93, media, montant):
    client.force_login(agent93)
    _, reponse = deposer_sur_la_page(client, csv_octets([ligne_anct(montant=montant)]), "f.csv")
    assert reponse.status_code == 200 and reponse.context["rapport"].rejetes == 1
    assert "<td>2</td><td>montant</td>" in reponse.content.decode()
    assert rien_ecrit()


def test_page_valeur_de_cent_mille_caracteres_rejetee_sur_sa_ligne(client, agent93, media):
    client.force_login(agent93)
    _, reponse = deposer_sur_la_page(client, csv_octets([ligne_anct(raison_sociale="x" * 100_000)]), "f.csv")
    assert reponse.status_code == 200 and "Valeur trop longue (100\u202f000 caractères" in reponse.content.decode()
    assert len(reponse.content) < 200_000  # the value is not echoed back


@pytest.mark.parametrize(
    "nom,contenu",
    [
        ("f.xlsx", xlsx_octets([ligne_anct()] * 50)[:3000]),
        ("f.json", b"[" * 100_000 + b"]" * 100_000),
    ],
)
def test_page_fichier_illisible_erreur_en_francais_sur_la_page_de_l_import(client, agent93, media, nom, contenu):
    client.force_login(agent93)
    imp, reponse = deposer_sur_la_page(client, contenu, nom)
    imp.refresh_from_db()
    assert imp.en_echec and "Fichier illisible : " in reponse.content.decode()
    assert rien_ecrit()
