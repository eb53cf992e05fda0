"""The checked import waiting between the preview and the confirmation, and its rejected lines, in
the S3 object storage (a real S3 API on the loopback, tests/s3_local.py): the confirmation and the
rejects download read them back from the bucket, whatever instance answers; old deposits are removed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from importation import depot
from importation.lecture import lire_table
from postes.models import Poste
from tests.factories import AgentFactory
from tests.outils_import import SIRET_CLE_FAUSSE, csv_octets, ligne_anct

pytestmark = pytest.mark.django_db

URL = reverse("importation:importer")


def deposer(client, contenu):
    return client.post(URL, {"fichier": SimpleUploadedFile("registre.csv", contenu, content_type="text/csv")})


def test_apercu_confirmation_et_rejets_passent_par_le_compartiment(client, agent93, dep93, stockage_s3):
    client.force_login(agent93)
    contenu = csv_octets([ligne_anct(), ligne_anct(id_poste="09323R000301", code_tiers=SIRET_CLE_FAUSSE)])
    jeton = deposer(client, contenu).context["jeton"]
    dossier = f"imports/{agent93.pk}/{jeton}"
    assert sorted(stockage_s3.objets()) == [f"{dossier}/lignes-rejetees.csv", f"{dossier}/table.json"]

    rejets = client.get(reverse("importation:rejets", args=[jeton]))
    assert rejets.status_code == 200 and rejets.content == stockage_s3.objets()[f"{dossier}/lignes-rejetees.csv"]
    assert [c[0] for _, c in lire_table(rejets.content).lignes] == ["09323R000301"]
    autre = Client()
    autre.force_login(AgentFactory(departements=[dep93]))  # another agent: not their deposit
    assert autre.get(reverse("importation:rejets", args=[jeton])).status_code == 404

    reponse = client.post(URL, {"jeton": jeton, "partiel": "on"})
    assert "Import enregistré" in reponse.content.decode()
    assert Poste.objects.get().identifiant == "09323R000101"
    assert sorted(stockage_s3.objets()) == [f"{dossier}/lignes-rejetees.csv"]  # the table goes, the rejects stay


def test_depots_perimes_supprimes_du_compartiment_au_depot_suivant(client, agent93, stockage_s3, monkeypatch):
    client.force_login(agent93)
    ancien = deposer(client, csv_octets([ligne_anct()])).context["jeton"]
    garde = deposer(client, csv_octets([ligne_anct()])).context["jeton"]
    assert {cle.split("/")[2] for cle in stockage_s3.objets()} == {ancien, garde}  # a day has not passed
    monkeypatch.setattr(depot, "DUREE_CONSERVATION", -60)  # every deposit now older than the retention
    nouveau = deposer(client, csv_octets([ligne_anct()])).context["jeton"]
    assert list(stockage_s3.objets()) == [f"imports/{agent93.pk}/{nouveau}/table.json"]
