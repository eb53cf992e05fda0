import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conventions.services.cycle import signer
from financements.models import Enveloppe
from tests.factories import MOT_DE_PASSE, AffectationFactory, ConventionFactory, EmployeurUserFactory
from tests.navigateur.conftest import se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def referentiel(transactional_db):
    """A transactional test empties the tables after it: reload the reference data of the migrations."""
    from commun.referentiel import charger_bareme_smic, charger_domaines, charger_territoires
    from financements.models import Bareme, Smic
    from postes.models import DomaineMediation
    from quartiers.models import Departement, Region

    charger_territoires(Region, Departement)
    charger_bareme_smic(Bareme, Smic)
    charger_domaines(DomaineMediation)


def test_l_employeur_telecharge_sa_convention_signee_en_pdf(page, live_server, poste93, media):
    convention = ConventionFactory(
        poste=poste93, numero="09324R000101-1", date_debut=date(2024, 7, 1), date_fin=date(2027, 6, 30)
    )
    AffectationFactory(poste=poste93, date_debut=date(2024, 7, 1))
    convention = signer(convention, date_signature=date(2024, 6, 20), signataire="Le préfet", aujourd_hui=date(2024, 7, 2))
    membre = EmployeurUserFactory(employeurs=[poste93.employeur])

    se_connecter(page, live_server, membre.email, MOT_DE_PASSE)
    page.wait_for_url(f"{live_server.url}/espace-employeur/")
    page.get_by_role("link", name=convention.numero).click()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger la convention signée (PDF)").click()
    fichier = telechargement.value
    assert fichier.suggested_filename == "convention-09324R000101-1.pdf"
    contenu = Path(fichier.path()).read_bytes()
    assert contenu.startswith(b"%PDF")
    assert hashlib.sha256(contenu).hexdigest() == convention.pdf_sha256


def test_l_agent_voit_le_tableau_de_bord_avec_ses_graphiques(page, live_server, agent93, poste93, dep93):
    from django.utils import timezone

    Enveloppe.objects.create(departement=dep93, annee=timezone.localdate().year, nombre_postes=3, montant=Decimal("60000"))
    ConventionFactory(
        poste=poste93,
        statut="en_cours",
        date_signature=date(2024, 1, 1),
        date_debut=date(2024, 1, 1),
        date_fin=date(2026, 12, 31),
    )
    erreurs = []
    page.on("pageerror", lambda e: erreurs.append(str(e)))
    se_connecter(page, live_server, agent93.email, MOT_DE_PASSE)
    page.wait_for_url(f"{live_server.url}/postes/")
    page.get_by_role("link", name="Tableau de bord").first.click()
    # Chart.js (servi par nos fichiers statiques) a dessiné les deux graphiques, sans erreur JavaScript.
    page.wait_for_function("() => window.Chart && Chart.getChart('graphique-mois') && Chart.getChart('graphique-enveloppes')")
    assert page.eval_on_selector("#graphique-mois", "c => c.width") > 0
    assert page.get_by_role("table", name="Aide par mois en").is_visible()
    assert erreurs == []
