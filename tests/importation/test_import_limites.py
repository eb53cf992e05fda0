"""Bounds of the import (issue 16, fault 6; issue 15, import preview): hostile XLSX (entity and comment
bombs, far columns), a million columns, a million messages, lines beyond the page's cap, and the
file read once: the confirmation reuses the checked table, never a second upload or parse."""

import io
import time
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from commun.stockage import lister
from importation import depot, lecture, moteur
from importation.lecture import FichierIllisible, lire_table
from postes.models import Poste
from tests.factories import PosteFactory, departement
from tests.outils_import import (
    SIRET_CLE_FAUSSE,
    confirmer_sur_la_page,
    csv_octets,
    deposer_sur_la_page,
    importer,
    ligne_anct,
    xlsx_octets,
)

pytestmark = pytest.mark.django_db

URL = reverse("importation:importer")


@pytest.fixture(autouse=True)
def _media(media):
    """Every test of this module writes an import's files: a temporary MEDIA_ROOT (tests/conftest.py)."""


def remplacer_membre(contenu: bytes, nom: str, nouveau: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(contenu))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            cible.writestr(info.filename, nouveau if info.filename == nom else source.read(info.filename))
    return tampon.getvalue()


ENTITES = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10))
    + b"]>"
)
FEUILLE = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


@pytest.mark.parametrize("membre", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_bombe_d_entites_xml_refusee_vite_avec_un_message(membre):
    contenu = xlsx_octets([ligne_anct()])
    if membre == "xl/workbook.xml":
        corps = ENTITES + zipfile.ZipFile(io.BytesIO(contenu)).read(membre)
    else:
        corps = ENTITES + FEUILLE + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    contenu = remplacer_membre(contenu, membre, corps)
    debut = time.monotonic()
    with pytest.raises(FichierIllisible, match="Classeur Excel illisible"):
        lire_table(contenu, "bombe.xlsx")
    assert time.monotonic() - debut < 2


def test_bombe_d_entites_dans_les_chaines_partagees_refusee():
    """Excel writes its texts in xl/sharedStrings.xml, which openpyxl reads whole at opening."""
    contenu = xlsx_octets([ligne_anct()])
    corps = ENTITES + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
    source = zipfile.ZipFile(io.BytesIO(contenu))
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            donnees = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                donnees = donnees.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
                )
            cible.writestr(info.filename, donnees)
        cible.writestr("xl/sharedStrings.xml", corps)
    with pytest.raises(FichierIllisible, match="Classeur Excel illisible"):
        lire_table(tampon.getvalue(), "bombe.xlsx")


def test_bombe_de_commentaires_refusee_avant_d_etre_decompressee(monkeypatch):
    monkeypatch.setattr(lecture, "XLSX_DECOMPRESSE_MAX", 1024 * 1024)
    feuille = FEUILLE + b"<!---->" * 300_000 + b"</sheetData></worksheet>"
    contenu = remplacer_membre(xlsx_octets([ligne_anct()]), "xl/worksheets/sheet1.xml", feuille)
    assert len(contenu) < 50_000
    with pytest.raises(FichierIllisible, match="trop volumineux une fois décompressé"):
        lire_table(contenu, "commentaires.xlsx")


def test_un_million_de_colonnes_csv_refuse_vite():
    contenu = (";".join(["id_poste", "code_tiers"] + [f"c{i}" for i in range(1_000_000)]) + "\r\n").encode()
    debut = time.monotonic()
    with pytest.raises(FichierIllisible, match="au plus 100 sont lues"):
        lire_table(contenu)
    assert time.monotonic() - debut < 2


def test_une_ligne_de_donnees_tres_large_est_tronquee_aux_colonnes_de_l_en_tete():
    contenu = csv_octets([ligne_anct()]) + b"09323R000201;77554402601284" + b";x" * 200_000 + b"\r\n"
    table = lire_table(contenu)
    assert all(len(cellules) == len(table.entetes) for _, cellules in table.lignes)


def test_json_a_un_million_de_cles_refuse():
    contenu = ("[{" + ",".join(f'"k{i}": 1' for i in range(200_000)) + ', "id_poste": "x", "code_tiers": "y"}]').encode()
    with pytest.raises(FichierIllisible, match="plus de 100 clés"):
        lire_table(contenu, "f.json")


def test_xlsx_dont_l_en_tete_va_jusqu_a_la_derniere_colonne_refuse():
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["id_poste", "code_tiers"])
    feuille.cell(row=1, column=16384, value="loin")
    tampon = io.BytesIO()
    classeur.save(tampon)
    with pytest.raises(FichierIllisible, match="16\u202f384 colonnes : au plus 100 sont lues"):
        lire_table(tampon.getvalue(), "f.xlsx")


def test_xlsx_cellule_de_donnee_lointaine_ignoree_sans_lire_seize_mille_colonnes():
    classeur = Workbook()
    feuille = classeur.active
    for ligne in ([*ligne_anct()], list(ligne_anct().values())):
        feuille.append(ligne)
    feuille.cell(row=2, column=16384, value="loin")
    tampon = io.BytesIO()
    classeur.save(tampon)
    table = lire_table(tampon.getvalue(), "f.xlsx")
    assert len(table.entetes) == 8 and len(table.lignes[0][1]) == 8


def test_messages_gardes_plafonnes_mais_comptes_et_tous_les_motifs_dans_le_fichier_des_rejets(monkeypatch):
    monkeypatch.setattr(moteur, "MESSAGES_MAX", 10)
    lignes = [ligne_anct(id_poste=f"09323R{i:04d}01", code_tiers=SIRET_CLE_FAUSSE) for i in range(1, 26)]
    lignes += [ligne_anct(id_poste=f"09323R{i:04d}01", insee_dep="") for i in range(100, 125)]
    table = lire_table(csv_octets(lignes))
    from importation.moteur import Perimetre
    from importation.services import fichier_rejets, importer_postes

    rapport = importer_postes(table, Perimetre(), dry_run=True)
    assert (len(rapport.erreurs), rapport.erreurs_total, rapport.rejetes) == (10, 25, 25)
    assert (len(rapport.avertissements), rapport.avertissements_total) == (10, 25)
    assert rapport.as_dict()["erreurs_total"] == 25 and len(rapport.as_dict()["erreurs"]) == 10
    assert len(lire_table(fichier_rejets(table, rapport)).lignes) == 25


def test_commande_dit_combien_de_messages_ne_sont_pas_affiches(monkeypatch, tmp_path):
    from django.core.management import call_command

    monkeypatch.setattr(moteur, "MESSAGES_MAX", 3)
    chemin = tmp_path / "f.csv"
    chemin.write_bytes(csv_octets([ligne_anct(id_poste=f"09323R{i:04d}01", code_tiers=SIRET_CLE_FAUSSE) for i in range(1, 8)]))
    sortie = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("importer_postes", str(chemin), "--dry-run", stdout=sortie)
    assert "… et 4 autres erreurs non affichées" in sortie.getvalue()


def test_page_refuse_un_fichier_de_plus_de_lignes_que_son_plafond(client, agent93, settings):
    settings.IMPORT_POSTES_LIGNES_MAX = 3
    client.force_login(agent93)
    imp, reponse = deposer_sur_la_page(client, csv_octets([ligne_anct(id_poste=f"09323R{i:04d}01") for i in range(1, 5)]))
    imp.refresh_from_db()
    assert imp.en_echec and not Poste.objects.exists()
    assert "Le fichier compte plus de 3 lignes, le maximum sur cette page" in reponse.content.decode()


def test_page_dit_ses_limites(client, agent93):
    client.force_login(agent93)
    html = client.get(URL).content.decode()
    assert "50\u202f000 lignes, 100 colonnes, 5\u202f000 caractères par cellule" in html


def test_la_confirmation_reprend_le_tableau_verifie_sans_relire_le_fichier(client, agent93, monkeypatch):
    client.force_login(agent93)
    imp, _ = deposer_sur_la_page(client, xlsx_octets([ligne_anct()]), "registre.xlsx")
    assert lister(depot._dossier(agent93, imp.jeton)) == ([], ["table.json"])  # the upload itself is not kept

    def interdit(*args, **kwargs):
        raise AssertionError("le fichier est relu à la confirmation")

    for nom in ("lire_table", "lire_xlsx", "lire_csv", "lire_json"):
        monkeypatch.setattr(lecture, nom, interdit)
    monkeypatch.setattr("importation.suivi.lire_table", interdit)
    reponse = confirmer_sur_la_page(client, imp)
    assert "Import enregistré" in reponse.content.decode()
    poste = Poste.objects.get()
    assert poste.identifiant == "09323R000101" and poste.financements.get().montant == Decimal("22555.73")


def test_l_apercu_dit_ce_que_la_confirmation_fera_et_offre_les_rejets(client, agent93):
    client.force_login(agent93)
    PosteFactory(identifiant="09323R000201", departement=departement("93"))
    contenu = csv_octets(
        [ligne_anct(), ligne_anct(id_poste="09323R000201"), ligne_anct(id_poste="09323R000301", code_tiers=SIRET_CLE_FAUSSE)]
    )
    imp, reponse = deposer_sur_la_page(client, contenu)
    html = reponse.content.decode()
    assert "Si vous confirmez, 1 ligne créera un poste, 1 mettra à jour des données existantes" in html
    assert "1 ligne rejetée ne sera pas importée" in html
    assert "sans nouveau dépôt" in html
    lien = reverse("importation:rejets", args=[imp.pk])
    assert f'href="{lien}"' in html
    rejets = client.get(lien)
    assert rejets.status_code == 200
    assert [c[0] for _, c in lire_table(rejets.content).lignes] == ["09323R000301"]
    assert "Motifs du rejet" in rejets.content.decode("utf-8-sig")
    # Confirming without the option writes nothing, and offers the confirmation again, same table.
    reponse = confirmer_sur_la_page(client, imp)
    html = reponse.content.decode()
    assert "Rien n’a été importé" in html and 'id="confirmation-import"' in html and 'name="partiel"' in html
    assert Poste.objects.count() == 1
    reponse = confirmer_sur_la_page(client, imp, partiel=True)
    assert "Import enregistré" in reponse.content.decode() and Poste.objects.count() == 2


def test_la_confirmation_dit_quand_la_base_a_change_depuis_l_apercu(client, agent93):
    client.force_login(agent93)
    imp, _ = deposer_sur_la_page(client, csv_octets([ligne_anct()]))
    importer(csv_octets([ligne_anct()]))  # someone else imported the same line meanwhile
    reponse = confirmer_sur_la_page(client, imp)
    assert reponse.context["rapport"].inchanges == 1
    assert "La base a changé depuis l’aperçu" in reponse.content.decode()


def test_openpyxl_lit_le_xml_par_defusedxml():
    """Without defusedxml, openpyxl hands the XML to the standard parser, which expands entities: the
    entity-bomb tests above then depend on expat's own limits. The dependency is the protection."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
