"""The « Importer des postes » page: upload, preview (nothing written), confirmation, rejected lines."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from importation.lecture import lire_table
from postes.models import FinancementAnnuel, Poste
from tests.factories import AgentFactory
from tests.outils_import import SIRET_CLE_FAUSSE, csv_octets, ligne_anct

pytestmark = pytest.mark.django_db

URL = reverse("importation:importer")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def deposer(client, contenu, nom="registre.csv"):
    return client.post(URL, {"fichier": SimpleUploadedFile(nom, contenu, content_type="text/csv")})


def fichier_mixte():
    return csv_octets(
        [
            ligne_anct(),
            ligne_anct(id_poste="06923R000101", insee_dep="69", insee_reg="84"),
            ligne_anct(id_poste="09323R000201", code_tiers=SIRET_CLE_FAUSSE),
        ]
    )


@pytest.mark.parametrize(
    "qui,statut",
    [("anonyme", 302), ("membre93", 404), ("agent93", 200), ("agent69", 200), ("admin_national", 200)],
)
def test_page_reservee_aux_agents_et_administrateurs(client, request, qui, statut):
    if qui != "anonyme":
        client.force_login(request.getfixturevalue(qui))
    assert client.get(URL).status_code == statut


def test_lien_dans_la_navigation_des_agents(client, agent93):
    client.force_login(agent93)
    assert f'href="{URL}"' in client.get(reverse("postes:liste")).content.decode()


def test_apercu_compte_et_liste_les_erreurs_sans_rien_ecrire(client, agent93):
    client.force_login(agent93)
    reponse = deposer(client, fichier_mixte())
    html = reponse.content.decode()
    assert reponse.status_code == 200 and not Poste.objects.exists()
    assert reponse.context["rapport"].crees == 1 and reponse.context["rapport"].rejetes == 2
    assert "Le département 69 est hors de votre périmètre" in html
    assert "<td>4</td><td>code_tiers</td>" in html
    assert "Importer les lignes valides" in html


def test_confirmation_sans_option_n_ecrit_rien_si_une_ligne_est_rejetee(client, agent93):
    client.force_login(agent93)
    jeton = deposer(client, fichier_mixte()).context["jeton"]
    reponse = client.post(URL, {"jeton": jeton})
    assert "Rien n’a été importé" in reponse.content.decode() and not Poste.objects.exists()


def test_importer_les_lignes_valides_puis_telecharger_les_rejets(client, agent93, agent69):
    client.force_login(agent93)
    jeton = deposer(client, fichier_mixte()).context["jeton"]
    reponse = client.post(URL, {"jeton": jeton, "partiel": "on"})
    assert "Import enregistré" in reponse.content.decode()
    assert list(Poste.objects.values_list("identifiant", flat=True)) == ["09323R000101"]
    assert FinancementAnnuel.objects.get().poste.identifiant == "09323R000101"
    assert Poste.objects.get().history.first().history_user == agent93
    lien = reverse("importation:rejets", args=[jeton])
    rejets = client.get(lien)
    assert rejets.status_code == 200 and rejets["Content-Disposition"].endswith('lignes-rejetees.csv"')
    table = lire_table(rejets.content)
    assert [cellules[0] for _, cellules in table.lignes] == ["06923R000101", "09323R000201"]
    # The file is the uploader's alone.
    client.force_login(agent69)
    assert client.get(lien).status_code == 404
    # The confirmed upload is gone: confirming twice is refused.
    client.force_login(agent93)
    assert client.post(URL, {"jeton": jeton, "partiel": "on"}).status_code == 400


def test_import_sans_erreur_confirme_puis_reimporte_inchange(client, agent93):
    client.force_login(agent93)
    contenu = csv_octets([ligne_anct()])
    jeton = deposer(client, contenu).context["jeton"]
    assert client.post(URL, {"jeton": jeton}).context["rapport"].crees == 1
    apercu = deposer(client, contenu).context["rapport"]
    assert (apercu.crees, apercu.mis_a_jour, apercu.inchanges) == (0, 0, 1)


def test_jeton_d_un_autre_utilisateur_refuse(client, agent93, dep93):
    client.force_login(agent93)
    jeton = deposer(client, csv_octets([ligne_anct()])).context["jeton"]
    collegue = Client()
    collegue.force_login(AgentFactory(departements=[dep93]))
    assert collegue.post(URL, {"jeton": jeton}).status_code == 400
    assert collegue.get(reverse("importation:rejets", args=[jeton])).status_code == 404
    assert client.post(URL, {"jeton": "../../etc"}).status_code == 400
    assert not Poste.objects.exists()


def test_fichier_illisible_message_sur_le_champ(client, agent93):
    client.force_login(agent93)
    reponse = deposer(client, b"%PDF-1.4", "note.pdf")
    assert reponse.status_code == 400
    assert "Fichier illisible : Un PDF ne peut pas être importé" in reponse.content.decode()


def test_la_taille_maximale_est_dite_avant_le_depot(client, agent93, settings):
    settings.IMPORT_POSTES_TAILLE_MAX = 5 * 1024 * 1024
    client.force_login(agent93)
    html = client.get(URL).content.decode()
    assert "Taille maximale : 5\u00a0Mo" in html and "Limites de cette page : 5\u00a0Mo par fichier" in html


def test_fichier_trop_gros_refuse_en_disant_sa_taille_et_la_limite(client, agent93, settings):
    settings.IMPORT_POSTES_TAILLE_MAX = 1024
    client.force_login(agent93)
    contenu = csv_octets([ligne_anct(id_poste=f"09323R{i:04d}01") for i in range(1, 40)])
    assert 2048 < len(contenu) < 4096
    reponse = deposer(client, contenu, "registre 2023.csv")
    html = reponse.content.decode()
    assert reponse.status_code == 400 and not Poste.objects.exists()
    taille = f"{len(contenu) / 1024:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    assert f"Le fichier « registre 2023.csv » pèse {taille}\u00a0Ko : la taille maximale sur cette page est de 1\u00a0Ko." in html
