"""The « Importer des postes » page: upload, preview computed by the worker (nothing written),
confirmation, write by the worker, rejected lines; each import is its uploader's alone."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from commun.vues import RAFRAICHIR_S
from importation import services, suivi
from importation.lecture import lire_table
from importation.models import ImportPostes, StatutImport
from postes.models import FinancementAnnuel, Poste
from tests.conftest import ClientDeTest
from tests.factories import AgentFactory
from tests.outils_import import (
    SIRET_CLE_FAUSSE,
    URL_PAGE,
    confirmer_sur_la_page,
    csv_octets,
    deposer_sur_la_page,
    ligne_anct,
)

pytestmark = pytest.mark.django_db

URL = URL_PAGE


@pytest.fixture(autouse=True)
def _media(media):
    """Every test of this module writes an import's files: a temporary MEDIA_ROOT (tests/conftest.py)."""


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


def test_le_depot_ne_lit_pas_le_fichier_et_ecrit_une_ligne_et_sa_tache(client, agent93, monkeypatch):
    def interdit(*args, **kwargs):
        raise AssertionError("le fichier est vérifié pendant la requête")

    monkeypatch.setattr(services, "importer_postes", interdit)
    monkeypatch.setattr(suivi, "lire_table", interdit)
    client.force_login(agent93)
    reponse = client.post(URL, {"fichier": _fichier(fichier_mixte())})
    imp = ImportPostes.objects.get()
    assert reponse.status_code == 302 and reponse.url == reverse("importation:suivi", args=[imp.pk])
    assert (imp.demandeur, imp.statut, imp.nom) == (agent93, StatutImport.EN_ATTENTE, "registre.csv")
    taches = ProcrastinateJob.objects.filter(task_name="importation.analyser_import")
    assert list(taches.values_list("args", "status")) == [({"import_id": imp.pk}, "todo")]


def _fichier(contenu, nom="registre.csv"):
    return SimpleUploadedFile(nom, contenu, content_type="text/csv")


def test_la_page_de_l_import_se_rafraichit_et_montre_l_avancement(client, agent93):
    client.force_login(agent93)
    client.post(URL, {"fichier": _fichier(fichier_mixte())})
    imp = ImportPostes.objects.get()
    page = reverse("importation:suivi", args=[imp.pk])
    html = client.get(page).content.decode()
    assert f'data-suivi="{RAFRAICHIR_S}"' in html and "js/suivi" in html and "Vérification en attente" in html
    assert 'http-equiv="refresh"' not in html  # RGAA 13.1: the progress zone is updated in place
    ImportPostes.objects.filter(pk=imp.pk).update(
        statut=StatutImport.ANALYSE, etape="Lecture des lignes", faites=1000, total=2500
    )
    html = client.get(page).content.decode()
    assert "Vérification en cours</strong> — Lecture des lignes\u00a0: 1\u202f000 lignes sur 2\u202f500." in html
    assert 'max="2500" value="1000">1\u202f000 sur 2\u202f500</progress>' in html
    suivi.analyser(imp.pk)
    html = client.get(page).content.decode()
    assert "data-suivi" not in html and "Aperçu de l’import" in html


def test_les_nombres_de_l_avancement_ont_une_espace_fine_des_mille(client, agent93):
    client.force_login(agent93)
    client.post(URL, {"fichier": _fichier(fichier_mixte())})
    imp = ImportPostes.objects.get()
    ImportPostes.objects.filter(pk=imp.pk).update(
        statut=StatutImport.ANALYSE, etape="Vérification des lignes en base", faites=30000, total=50000
    )
    html = client.get(reverse("importation:suivi", args=[imp.pk])).content.decode()
    assert "30\u202f000 lignes sur 50\u202f000." in html and "30000 lignes" not in html


def test_la_barre_de_progression_a_pour_nom_la_phrase_de_l_avancement(client, agent93):
    client.force_login(agent93)
    client.post(URL, {"fichier": _fichier(fichier_mixte())})
    imp = ImportPostes.objects.get()
    page = reverse("importation:suivi", args=[imp.pk])
    for faites in (0, 10):  # waiting (no value: indeterminate), then counting
        ImportPostes.objects.filter(pk=imp.pk).update(statut=StatutImport.ANALYSE, faites=faites, total=20)
        html = client.get(page).content.decode()
        assert '<p id="progression-import-texte">' in html
        assert html.count('<progress class="ar-progression" aria-labelledby="progression-import-texte"') == 1


def test_les_comptes_de_l_apercu_ont_une_espace_fine_des_mille(client, agent93):
    client.force_login(agent93)
    imp, _ = deposer_sur_la_page(client, csv_octets([ligne_anct()]))
    imp.refresh_from_db()
    apercu = {**imp.apercu, "lignes": 50000, "crees": 48500, "mis_a_jour": 1200, "inchanges": 0, "rejetes": 300}
    ImportPostes.objects.filter(pk=imp.pk).update(apercu=apercu)
    html = client.get(reverse("importation:suivi", args=[imp.pk])).content.decode()
    assert "Si vous confirmez, 48\u202f500 lignes créeront un poste, 1\u202f200 mettront à jour" in html
    cellules = re.findall(r'<td class="ar-montant">([^<]*)</td>', html)  # numbers: right-aligned
    assert cellules[:5] == ["50\u202f000", "48\u202f500", "1\u202f200", "0", "300"]


def test_l_apercu_met_au_singulier_zero_ligne(client, agent93):
    client.force_login(agent93)
    imp, reponse = deposer_sur_la_page(client, csv_octets([ligne_anct()]))
    html = reponse.content.decode()
    assert "1 ligne créera un poste, 0 mettra à jour des données existantes, 0 ne changera rien." in html


def test_le_nom_du_fichier_ne_se_separe_pas_de_ses_guillemets(client, agent93):
    client.force_login(agent93)
    imp, reponse = deposer_sur_la_page(client, csv_octets([ligne_anct()]), "registre 2024.csv")
    assert "<h1>Import de «\u00a0registre 2024.csv\u00a0»</h1>" in reponse.content.decode()


def test_le_champ_du_fichier_a_le_style_du_dsfr(client, agent93):
    client.force_login(agent93)
    assert 'class="fr-upload"' in client.get(URL).content.decode()


def test_apercu_compte_et_liste_les_erreurs_sans_rien_ecrire(client, agent93):
    client.force_login(agent93)
    imp, reponse = deposer_sur_la_page(client, fichier_mixte())
    html = reponse.content.decode()
    assert reponse.status_code == 200 and not Poste.objects.exists()
    assert reponse.context["rapport"].crees == 1 and reponse.context["rapport"].rejetes == 2
    assert "Le département 69 est hors de votre périmètre" in html
    assert "<td>4</td><td>code_tiers</td>" in html
    assert "Importer les lignes valides" in html


def test_confirmation_sans_option_n_ecrit_rien_si_une_ligne_est_rejetee(client, agent93):
    client.force_login(agent93)
    imp, _ = deposer_sur_la_page(client, fichier_mixte())
    reponse = confirmer_sur_la_page(client, imp)
    assert "Rien n’a été importé" in reponse.content.decode() and not Poste.objects.exists()


def test_importer_les_lignes_valides_puis_telecharger_les_rejets(client, agent93, agent69):
    client.force_login(agent93)
    imp, _ = deposer_sur_la_page(client, fichier_mixte())
    reponse = confirmer_sur_la_page(client, imp, partiel=True)
    assert "Import enregistré" in reponse.content.decode()
    assert list(Poste.objects.values_list("identifiant", flat=True)) == ["09323R000101"]
    assert FinancementAnnuel.objects.get().poste.identifiant == "09323R000101"
    assert Poste.objects.get().history.first().history_user == agent93
    lien = reverse("importation:rejets", args=[imp.pk])
    rejets = client.get(lien)
    assert rejets.status_code == 200 and rejets["Content-Disposition"].endswith('lignes-rejetees.csv"')
    table = lire_table(rejets.content)
    assert [cellules[0] for _, cellules in table.lignes] == ["06923R000101", "09323R000201"]
    # The file is the uploader's alone.
    client.force_login(agent69)
    assert client.get(lien).status_code == 404
    # Confirming twice is refused, and nothing more is written.
    client.force_login(agent93)
    reponse = client.post(reverse("importation:suivi", args=[imp.pk]), {"partiel": "on"})
    assert reponse.status_code == 400 and "n’attend plus de confirmation" in reponse.content.decode()
    assert Poste.objects.count() == 1


def test_import_sans_erreur_confirme_puis_reimporte_inchange(client, agent93):
    client.force_login(agent93)
    contenu = csv_octets([ligne_anct()])
    imp, _ = deposer_sur_la_page(client, contenu)
    assert confirmer_sur_la_page(client, imp).context["rapport"].crees == 1
    apercu = deposer_sur_la_page(client, contenu)[1].context["rapport"]
    assert (apercu.crees, apercu.mis_a_jour, apercu.inchanges) == (0, 0, 1)


@pytest.mark.parametrize("qui", ["collegue", "agent69", "admin_national", "membre93"])
def test_l_import_d_un_autre_utilisateur_repond_404(client, agent93, dep93, request, qui):
    client.force_login(agent93)
    imp, _ = deposer_sur_la_page(client, csv_octets([ligne_anct(code_tiers=SIRET_CLE_FAUSSE)]))
    autre = ClientDeTest()
    autre.force_login(AgentFactory(departements=[dep93]) if qui == "collegue" else request.getfixturevalue(qui))
    for url in (reverse("importation:suivi", args=[imp.pk]), reverse("importation:rejets", args=[imp.pk])):
        reponse = autre.get(url)
        assert reponse.status_code == 404 and "Page introuvable" in reponse.content.decode()
    assert autre.post(reverse("importation:suivi", args=[imp.pk]), {"partiel": "on"}).status_code == 404
    imp.refresh_from_db()
    assert imp.statut == StatutImport.APERCU and not Poste.objects.exists()


def test_les_imports_recents_de_l_utilisateur_sont_listes_sous_le_formulaire(client, agent93, agent69):
    client.force_login(agent93)
    imp, _ = deposer_sur_la_page(client, csv_octets([ligne_anct()]), "registre 2024.csv")
    html = client.get(URL).content.decode()
    assert "Vos imports récents" in html and f'href="{reverse("importation:suivi", args=[imp.pk])}">registre 2024.csv' in html
    assert "Aperçu prêt, à confirmer" in html
    client.force_login(agent69)
    assert "registre 2024.csv" not in client.get(URL).content.decode()


def test_fichier_illisible_dit_pourquoi_sur_la_page_de_l_import(client, agent93):
    client.force_login(agent93)
    imp, reponse = deposer_sur_la_page(client, b"%PDF-1.4", "note.pdf")
    html = reponse.content.decode()
    assert "Fichier illisible : Un PDF ne peut pas être importé" in html and "Déposer un fichier" in html
    imp.refresh_from_db()
    assert imp.statut == StatutImport.ECHEC and "data-suivi" not in html


def test_la_taille_maximale_est_dite_avant_le_depot(client, agent93, settings):
    settings.IMPORT_POSTES_TAILLE_MAX = 5 * 1024 * 1024
    client.force_login(agent93)
    html = client.get(URL).content.decode()
    assert "Taille maximale : 5\u00a0Mo" in html and "Limites de cette page\u00a0: 5\u00a0Mo par fichier" in html


def test_fichier_trop_gros_refuse_en_disant_sa_taille_et_la_limite(client, agent93, settings):
    settings.IMPORT_POSTES_TAILLE_MAX = 1024
    client.force_login(agent93)
    contenu = csv_octets([ligne_anct(id_poste=f"09323R{i:04d}01") for i in range(1, 40)])
    assert 2048 < len(contenu) < 4096
    reponse = client.post(URL, {"fichier": _fichier(contenu, "registre 2023.csv")})
    html = reponse.content.decode()
    assert reponse.status_code == 400 and not Poste.objects.exists() and not ImportPostes.objects.exists()
    taille = f"{len(contenu) / 1024:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    assert f"Le fichier « registre 2023.csv » pèse {taille}\u00a0Ko : la taille maximale sur cette page est de 1\u00a0Ko." in html


def test_une_erreur_inattendue_est_reessayee_puis_dite_en_francais_au_dernier_essai(client, agent93, monkeypatch):
    client.force_login(agent93)
    client.post(URL, {"fichier": _fichier(csv_octets([ligne_anct()]))})
    imp = ImportPostes.objects.get()

    def panne(*args, **kwargs):
        raise RuntimeError("base injoignable")

    monkeypatch.setattr(suivi, "importer_postes", panne)
    with pytest.raises(RuntimeError):
        suivi.analyser(imp.pk, dernier_essai=False)
    imp.refresh_from_db()
    assert imp.statut == StatutImport.EN_ATTENTE and imp.message_echec == ""  # the next attempt finds its file
    with pytest.raises(RuntimeError):
        suivi.analyser(imp.pk, dernier_essai=True)
    html = client.get(reverse("importation:suivi", args=[imp.pk])).content.decode()
    assert "La vérification du fichier a échoué (erreur inattendue) : déposez le fichier de nouveau" in html
    assert "base injoignable" not in html


def test_l_ecriture_qui_echoue_au_dernier_essai_n_a_rien_ecrit_et_le_dit(client, agent93, monkeypatch):
    client.force_login(agent93)
    imp, _ = deposer_sur_la_page(client, csv_octets([ligne_anct()]))
    client.post(reverse("importation:suivi", args=[imp.pk]), {})
    monkeypatch.setattr(suivi, "importer_postes", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("panne")))
    with pytest.raises(RuntimeError):
        suivi.ecrire(imp.pk, dernier_essai=False)
    imp.refresh_from_db()
    assert imp.statut == StatutImport.CONFIRME
    with pytest.raises(RuntimeError):
        suivi.ecrire(imp.pk, dernier_essai=True)
    imp.refresh_from_db()
    assert imp.en_echec and "L’écriture de l’import (rien n’a été écrit) a échoué" in imp.message_echec
    assert not Poste.objects.exists()
