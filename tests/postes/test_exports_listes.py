"""CSV and XLSX downloads of every filtered list: filters, scope, formula neutralisation, round trip."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conventions.services.cycle import actualiser_statut_poste
from postes.models import DomaineMediation, FinancementAnnuel
from tests.factories import ConventionFactory, DemandeFactory, EmployeurFactory, PosteFactory, QuartierFactory
from tests.outils_import import importer

pytestmark = pytest.mark.django_db

LISTES = ["postes:liste", "conventions:liste", "employeurs:liste", "pilotage:financements"]


@pytest.fixture
def a_exporter(monde):
    """On top of the shared world, what the exports must show or neutralise: in the 93 a closed post
    (its convention expired) of an employer whose name is a spreadsheet formula, a QPV and two domains
    on poste93, and annual fundings (2023 for the three posts, 2022 again for poste93)."""
    piege = EmployeurFactory(raison_sociale='=HYPERLINK("http://pirate.example","clic")', departement=monde.dep93)
    poste_piege = PosteFactory(employeur=piege, missions="- accueil\n- orientation")
    ConventionFactory(poste=poste_piege, statut="echue", date_signature=date(2023, 12, 15))
    # A post's status follows its conventions (the import decides it the same way).
    actualiser_statut_poste(poste_piege, date.today())
    monde.poste93.quartiers.add(QuartierFactory(code="QN09339M"))
    monde.poste93.domaines.add(*DomaineMediation.objects.filter(code__in=["mediation-scolaire", "lien-social"]))
    for poste in (monde.poste93, monde.poste69, poste_piege):
        FinancementAnnuel.objects.create(poste=poste, annee=2023, montant=Decimal("22555.73"), code_contrat_ville="CV1")
    FinancementAnnuel.objects.create(poste=monde.poste93, annee=2022, montant=Decimal("21254"))
    return monde


def telecharger(client, nom, format_export, **filtres):
    reponse = client.get(reverse(nom), {**filtres, "format": format_export})
    assert reponse.status_code == 200, reponse.status_code
    if format_export == "xlsx":
        feuille = load_workbook(io.BytesIO(reponse.content)).active
        return [[("" if c is None else str(c)) for c in ligne] for ligne in feuille.iter_rows(values_only=True)]
    texte = reponse.content.decode("utf-8")
    assert texte.startswith("\ufeff")
    import csv

    return list(csv.reader(io.StringIO(texte[1:], newline=""), delimiter=";"))


@pytest.mark.parametrize("format_export", ["csv", "xlsx"])
@pytest.mark.parametrize("nom", LISTES)
def test_export_limite_au_perimetre_de_l_agent(client, monde, a_exporter, nom, format_export):
    client.force_login(monde.agent93)
    lignes = telecharger(client, nom, format_export)
    contenu = "\n".join(";".join(l) for l in lignes)
    assert monde.poste93.employeur.siret in contenu
    assert monde.poste69.employeur.siret not in contenu
    assert monde.poste69.identifiant not in contenu


@pytest.mark.parametrize("format_export", ["csv", "xlsx"])
@pytest.mark.parametrize("nom", LISTES)
def test_export_neutralise_les_formules(client, monde, a_exporter, nom, format_export):
    client.force_login(monde.agent93)
    cellules = [c for ligne in telecharger(client, nom, format_export) for c in ligne]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cellules)
    assert any(c.startswith("'=HYPERLINK") for c in cellules)


@pytest.mark.parametrize(
    "nom,filtres,attendus",
    [
        ("postes:liste", {"statut": "ferme"}, 1),
        ("postes:liste", {"quartier": "QN09339M"}, 1),
        ("conventions:liste", {"q": "pirate"}, 1),
        ("employeurs:liste", {"q": "HYPERLINK"}, 1),
        ("pilotage:financements", {"annee": "2022"}, 1),
        ("pilotage:financements", {"annee": "2023"}, 2),
    ],
)
def test_export_respecte_les_filtres_et_toutes_les_pages(client, monde, a_exporter, nom, filtres, attendus):
    client.force_login(monde.agent93)
    assert len(telecharger(client, nom, "csv", **filtres)) - 1 == attendus


def test_export_de_toutes_les_pages_pas_seulement_la_premiere(client, agent93, employeur93):
    PosteFactory.create_batch(30, employeur=employeur93)
    client.force_login(agent93)
    assert len(telecharger(client, "postes:liste", "csv", page="2")) - 1 == 30


@pytest.mark.parametrize("nom", LISTES)
@pytest.mark.parametrize("qui,statut", [("membre93", 404), ("anonyme", 302)])
def test_export_refuse_hors_role(client, monde, a_exporter, nom, qui, statut):
    if qui != "anonyme":
        client.force_login(getattr(monde, qui))
    assert client.get(reverse(nom), {"format": "csv"}).status_code == statut


@pytest.mark.parametrize("nom", LISTES)
def test_boutons_d_export_sur_chaque_liste(client, monde, a_exporter, nom):
    client.force_login(monde.agent93)
    html = client.get(reverse(nom), {"q": "x y"}).content.decode()
    assert "Exporter en CSV" in html and "Exporter en Excel (.xlsx)" in html
    assert "q=x+y&amp;format=csv" in html


@pytest.mark.parametrize("format_export", ["csv", "xlsx"])
def test_export_des_postes_reimporte_ne_change_rien(client, monde, a_exporter, format_export):
    client.force_login(monde.agent93)
    contenu = client.get(reverse("postes:liste"), {"format": format_export}).content
    rapport = importer(contenu, utilisateur=monde.agent93)
    assert rapport.erreurs == [] and rapport.avertissements == []
    assert (rapport.lignes, rapport.crees, rapport.mis_a_jour, rapport.inchanges) == (2, 0, 0, 2)


@pytest.mark.parametrize("format_export", ["csv", "xlsx"])
def test_export_des_financements_reimporte_ne_change_rien(client, monde, a_exporter, format_export):
    client.force_login(monde.admin_national)
    contenu = client.get(reverse("pilotage:financements"), {"format": format_export}).content
    rapport = importer(contenu, utilisateur=monde.admin_national)
    assert rapport.erreurs == []
    assert (rapport.lignes, rapport.inchanges) == (4, 4)


def test_export_des_postes_colonnes_du_format_d_import(client, monde, a_exporter):
    client.force_login(monde.agent93)
    entetes, *lignes = telecharger(client, "postes:liste", "csv")
    assert entetes[:6] == ["Identifiant", "Intitulé", "SIRET", "Raison sociale", "Forme juridique", "Département"]
    ligne = dict(zip(entetes, next(l for l in lignes if l[0] == monde.poste93.identifiant)))
    assert ligne["Quartiers (codes QPV)"] == "QN09339M"
    assert ligne["Domaines"] == "Médiation scolaire, Lien social et vie de quartier"  # labels, not codes
    assert ligne["Heures hebdomadaires"] == "35,00" and ligne["Début de convention"] == "01/01/2024"
    assert ligne["Statut de la convention"] == "En cours"


def test_liste_des_financements_filtree_et_totalisee(client, monde, a_exporter):
    client.force_login(monde.agent93)
    reponse = client.get(reverse("pilotage:financements"), {"annee": "2023"})
    html = reponse.content.decode()
    assert monde.poste93.identifiant in html and monde.poste69.identifiant not in html
    assert reponse.context["totaux"]["montant"] == Decimal("45111.46")
    assert 'href="/financements/"' in client.get(reverse("postes:liste")).content.decode()


def test_financements_visibles_selon_le_perimetre(monde, a_exporter):
    assert FinancementAnnuel.objects.for_user(monde.agent93).count() == 3
    assert FinancementAnnuel.objects.for_user(monde.agent69).count() == 1
    assert FinancementAnnuel.objects.for_user(monde.membre93).count() == 2
    assert FinancementAnnuel.objects.for_user(monde.admin_national).count() == 4


def test_fiche_du_poste_montre_ses_financements(client, monde, a_exporter):
    for qui in (monde.agent93, monde.membre93):
        client.force_login(qui)
        html = client.get(reverse("conventions:poste", args=[monde.poste93.identifiant])).content.decode()
        assert "Financements annuels" in html and "2022" in html and "CV1" in html


@pytest.mark.parametrize("format_export", ["csv", "xlsx"])
def test_export_de_la_boite_de_reception_des_demandes(client, monde, format_export):
    """Beside the world's requests (filed in the 93 and in the 69, a draft in the 93: never in the
    inbox), an accepted one whose project reads as a formula."""
    maintenant = timezone.now()
    DemandeFactory(
        employeur=monde.employeur93,
        projet="=1+1",
        poste=monde.poste93,
        instructeur=monde.agent93,
        statut="acceptee",
        date_depot=maintenant,
        date_decision=maintenant,
    )
    client.force_login(monde.agent93)
    lignes = telecharger(client, "demandes:liste", format_export)
    contenu = "\n".join(";".join(l) for l in lignes)
    assert lignes[0][:3] == ["Numéro", "Statut", "SIRET"] and len(lignes) - 1 == 2
    assert "'=1+1" in contenu and monde.poste93.identifiant in contenu
    assert monde.employeur69.siret not in contenu
    assert len(telecharger(client, "demandes:liste", format_export, statut="deposee")) - 1 == 1
    assert "Exporter en CSV" in client.get(reverse("demandes:liste")).content.decode()
