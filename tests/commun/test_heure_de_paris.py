"""Every date and time a person reads is the wall-clock time of Paris (Europe/Paris), in French
formats: a request filed at 23:30 UTC on 14 January is filed on 15 January at 00:30 in Paris."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commun.exports import contenu_xlsx, heure_de_paris
from demandes.models import EvenementDemande
from tests.factories import DemandeFactory

pytestmark = pytest.mark.django_db

DEPOT_UTC = datetime(2026, 1, 14, 23, 30, tzinfo=UTC)


@pytest.fixture
def demande(employeur93):
    return DemandeFactory(employeur=employeur93, statut="deposee", date_depot=DEPOT_UTC)


def test_heure_de_paris_en_hiver_et_en_ete():
    assert heure_de_paris(DEPOT_UTC) == datetime(2026, 1, 15, 0, 30)
    assert heure_de_paris(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == datetime(2026, 4, 1, 1, 30)


def test_export_csv_des_demandes_a_l_heure_de_paris(client, agent93, demande):
    client.force_login(agent93)
    texte = client.get(reverse("demandes:liste"), {"format": "csv"}).content.decode("utf-8")
    lignes = list(csv.DictReader(io.StringIO(texte[1:]), delimiter=";"))
    assert lignes[0]["Déposée le"] == "15/01/2026 00:30"


def test_export_xlsx_des_demandes_vraie_date_a_l_heure_de_paris(client, agent93, demande):
    client.force_login(agent93)
    feuille = load_workbook(io.BytesIO(client.get(reverse("demandes:liste"), {"format": "xlsx"}).content)).active
    entetes = [c.value for c in feuille[1]]
    cellule = feuille.cell(row=2, column=entetes.index("Déposée le") + 1)
    assert cellule.value == datetime(2026, 1, 15, 0, 30) and cellule.is_date
    assert cellule.number_format == "dd/mm/yyyy hh:mm"


def test_page_de_la_demande_a_la_date_de_paris(client, agent93, demande):
    client.force_login(agent93)
    assert "déposée le 15/01/2026" in client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()
    assert "15/01/2026" in client.get(reverse("demandes:liste")).content.decode()


def test_libelle_d_un_evenement_a_la_date_de_paris(demande):
    evenement = EvenementDemande(demande=demande, type="depot", date=DEPOT_UTC)
    assert str(evenement).endswith("le 15/01/2026")


def test_xlsx_dates_en_cellules_de_date_colonnes_lisibles_en_tete_en_gras():
    contenu = contenu_xlsx(
        ["Identifiant", "Début", "Montant (€)", "Raison sociale"],
        [["09324R000101", date(2024, 7, 1), Decimal("22810.61"), "Association de médiation sociale de Plaine Commune"]],
        titre="Postes : export [93]",
    )
    classeur = load_workbook(io.BytesIO(contenu))
    feuille = classeur.active
    assert feuille.title == "Postes   export  93"[:31].strip()
    debut = feuille["B2"]
    assert debut.is_date and debut.number_format == "dd/mm/yyyy" and debut.value == datetime(2024, 7, 1)
    assert feuille["C2"].number_format == "#,##0.00"
    assert feuille["A1"].font.bold and feuille.freeze_panes == "A2"
    assert feuille.column_dimensions["D"].width >= len("Association de médiation sociale de Plaine Commune")
    assert feuille.column_dimensions["B"].width >= len("00/00/0000")
