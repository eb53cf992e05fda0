"""An import's files in the S3 object storage (a real S3 API on the loopback, tests/s3_local.py): the
uploaded file, then the checked table and its rejected lines; the worker's steps, the confirmation
and the rejects download read them back from the bucket, whatever instance answers; old deposits are
removed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from importation import depot, suivi
from importation.lecture import lire_table
from importation.models import ImportPostes
from postes.models import Poste
from tests.conftest import ClientDeTest
from tests.factories import AgentFactory
from tests.outils_import import SIRET_CLE_FAUSSE, URL_PAGE, confirmer_sur_la_page, csv_octets, deposer_sur_la_page, ligne_anct

pytestmark = pytest.mark.django_db


def test_depot_apercu_confirmation_et_rejets_passent_par_le_compartiment(client, agent93, dep93, stockage_s3):
    client.force_login(agent93)
    contenu = csv_octets([ligne_anct(), ligne_anct(id_poste="09323R000301", code_tiers=SIRET_CLE_FAUSSE)])
    client.post(URL_PAGE, {"fichier": SimpleUploadedFile("registre.csv", contenu, content_type="text/csv")})
    imp = ImportPostes.objects.get()
    dossier = f"imports/{agent93.pk}/{imp.jeton}"
    assert stockage_s3.objets() == {f"{dossier}/fichier-depose.csv": contenu}  # what the worker will read
    suivi.analyser(imp.pk)
    assert sorted(stockage_s3.objets()) == [f"{dossier}/lignes-rejetees.csv", f"{dossier}/table.json"]

    rejets = client.get(reverse("importation:rejets", args=[imp.pk]))
    assert rejets.status_code == 200 and rejets.content == stockage_s3.objets()[f"{dossier}/lignes-rejetees.csv"]
    assert [c[0] for _, c in lire_table(rejets.content).lignes] == ["09323R000301"]
    autre = ClientDeTest()
    autre.force_login(AgentFactory(departements=[dep93]))  # another agent: not their import
    assert autre.get(reverse("importation:rejets", args=[imp.pk])).status_code == 404

    reponse = confirmer_sur_la_page(client, imp, partiel=True)
    assert "Import enregistré" in reponse.content.decode()
    assert Poste.objects.get().identifiant == "09323R000101"
    assert sorted(stockage_s3.objets()) == [f"{dossier}/lignes-rejetees.csv"]  # the table goes, the rejects stay


def test_depots_perimes_supprimes_du_compartiment_au_depot_suivant(client, agent93, stockage_s3, monkeypatch):
    client.force_login(agent93)
    ancien = deposer_sur_la_page(client, csv_octets([ligne_anct()]))[0].jeton
    garde = deposer_sur_la_page(client, csv_octets([ligne_anct()]))[0].jeton
    assert {cle.split("/")[2] for cle in stockage_s3.objets()} == {ancien, garde}  # a day has not passed
    monkeypatch.setattr(depot, "DUREE_CONSERVATION", -60)  # every deposit now older than the retention
    nouveau = deposer_sur_la_page(client, csv_octets([ligne_anct()]))[0].jeton
    assert list(stockage_s3.objets()) == [f"imports/{agent93.pk}/{nouveau}/table.json"]


def test_les_imports_de_plus_d_un_jour_partent_avec_leurs_fichiers(client, agent93, stockage_s3, monkeypatch):
    client.force_login(agent93)
    deposer_sur_la_page(client, csv_octets([ligne_anct()]))
    monkeypatch.setattr(depot, "DUREE_CONSERVATION", -60)
    assert suivi.supprimer_imports_anciens() == 1
    assert not ImportPostes.objects.exists() and stockage_s3.objets() == {}
