"""An agent imports a file from the interface: navigation, upload, preview computed by a real worker
process (the page refreshes itself until it is ready), option « Importer les lignes valides »,
confirmation written by the worker, then downloads the export and finds the post."""

import pytest

from postes.models import Poste
from tests.factories import MOT_DE_PASSE, AgentFactory, departement
from tests.navigateur.conftest import se_connecter
from tests.outils_import import SIRET_CLE_FAUSSE, csv_octets, ligne_anct

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_importe_les_lignes_valides_depuis_la_page(page, live_server, tmp_path, media, worker):
    worker(MEDIA_ROOT=str(media))
    agent = AgentFactory(departements=[departement("93")])
    fichier = tmp_path / "registre.csv"
    fichier.write_bytes(csv_octets([ligne_anct(), ligne_anct(id_poste="09323R000201", code_tiers=SIRET_CLE_FAUSSE)]))
    se_connecter(page, live_server, agent.email, MOT_DE_PASSE)
    page.get_by_role("link", name="Importer des postes").first.click()
    page.get_by_label("Fichier à importer").set_input_files(str(fichier))
    page.get_by_role("button", name="Vérifier le fichier").click()
    assert page.get_by_role("heading", level=1, name="Import de « registre.csv »").is_visible()
    page.get_by_role("heading", name="Aperçu de l’import").wait_for(timeout=30_000)
    assert "la clé de contrôle ne correspond pas" in page.locator("#erreurs-import").inner_text()
    assert not Poste.objects.exists()
    page.get_by_text("Importer les lignes valides").click()
    page.get_by_role("button", name="Confirmer l’import").click()
    page.get_by_role("heading", name="Import enregistré").wait_for(timeout=30_000)
    assert list(Poste.objects.values_list("identifiant", flat=True)) == ["09323R000101"]
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger les lignes rejetées avec leurs motifs (CSV)").click()
    assert "09323R000201" in open(telechargement.value.path(), encoding="utf-8-sig").read()
    page.get_by_role("link", name="Postes", exact=True).first.click()
    with page.expect_download() as export:
        page.get_by_role("link", name="Exporter en CSV").click()
    assert "09323R000101" in open(export.value.path(), encoding="utf-8-sig").read()


def test_fichier_trop_gros_refuse_par_le_navigateur_avant_l_envoi(page, live_server, tmp_path, media, settings):
    settings.IMPORT_POSTES_TAILLE_MAX = 1024
    agent = AgentFactory(departements=[departement("93")])
    fichier = tmp_path / "registre.csv"
    fichier.write_bytes(csv_octets([ligne_anct(id_poste=f"09323R{i:04d}01") for i in range(1, 60)]))
    se_connecter(page, live_server, agent.email, MOT_DE_PASSE)
    page.goto(f"{live_server.url}/postes/importer/")
    assert "Taille maximale : 1\u00a0Ko" in page.locator("#depot-import").inner_text()
    requetes = []
    page.on("request", lambda r: requetes.append(r.method))
    page.get_by_label("Fichier à importer").set_input_files(str(fichier))
    erreur = page.locator("#id_fichier-taille")
    taille = f"{fichier.stat().st_size / 1024:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    assert erreur.inner_text() == (
        f"Le fichier « registre.csv » pèse {taille}\u00a0Ko : la taille maximale sur cette page est de 1\u00a0Ko."
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    assert "POST" not in requetes and not Poste.objects.exists()
