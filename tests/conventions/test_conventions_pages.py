"""Convention pages, simulator and dashboard: each view with each role (scope = 404), and the
actions through the interface."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from conventions.archives import preparer
from conventions.models import ArchiveConventions, Convention, StatutArchive
from financements.models import Enveloppe
from tests.factories import ConventionFactory, QuartierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def projet93(monde):
    """Beside the running SIGNEE-93, a draft convention of the same post, for 2027 to 2029."""
    return ConventionFactory(poste=monde.poste93, numero="PROJET-93", date_debut=date(2027, 1, 1), date_fin=date(2029, 12, 31))


def pages(m, projet93):
    s93, s69, p93 = m.convention93.pk, m.convention69.pk, projet93.pk
    return {
        "detail 93": reverse("conventions:detail", args=[s93]),
        "signer 93": reverse("conventions:signer", args=[p93]),
        "résilier 93": reverse("conventions:resilier", args=[s93]),
        "renouveler 93": reverse("conventions:renouveler", args=[s93]),
        "avenant heures 93": reverse("conventions:avenant_heures", args=[s93]),
        "avenant titulaire 93": reverse("conventions:avenant_titulaire", args=[s93]),
        "pdf 93": reverse("conventions:pdf", args=[s93]),
        "pdf projet 93": reverse("conventions:pdf", args=[p93]),
        "résilier 69": reverse("conventions:resilier", args=[s69]),
        "pdf 69": reverse("conventions:pdf", args=[s69]),
        "zip": reverse("conventions:zip"),
        "simulateur": reverse("financements:simulateur"),
        "tableau de bord": reverse("pilotage:tableau_de_bord"),
    }


ATTENDU = {
    "agent93": {"résilier 69": 404, "pdf 69": 404},
    "agent69": {
        "detail 93": 404,
        "signer 93": 404,
        "résilier 93": 404,
        "renouveler 93": 404,
        "avenant heures 93": 404,
        "avenant titulaire 93": 404,
        "pdf 93": 404,
        "pdf projet 93": 404,
    },
    "membre93": {
        "signer 93": 404,
        "résilier 93": 404,
        "renouveler 93": 404,
        "avenant heures 93": 404,
        "avenant titulaire 93": 404,
        "résilier 69": 404,
        "pdf 69": 404,
        "zip": 404,
        "simulateur": 404,
        "tableau de bord": 404,
    },
    "membre69": {
        "detail 93": 404,
        "signer 93": 404,
        "résilier 93": 404,
        "renouveler 93": 404,
        "avenant heures 93": 404,
        "avenant titulaire 93": 404,
        "pdf 93": 404,
        "pdf projet 93": 404,
        "résilier 69": 404,
        "zip": 404,
        "simulateur": 404,
        "tableau de bord": 404,
    },
    "admin_national": {},
}


@pytest.mark.parametrize("role", ATTENDU)
def test_chaque_page_avec_chaque_role(client, monde, role, projet93):
    client.force_login(getattr(monde, role))
    for nom, url in pages(monde, projet93).items():
        attendu = ATTENDU[role].get(nom, 302 if nom == "zip" else 200)  # the ZIP: to its progress page
        assert client.get(url).status_code == attendu, f"{role} sur {nom} ({url})"


def test_anonyme_renvoye_vers_la_connexion(client, monde, projet93):
    for nom, url in pages(monde, projet93).items():
        reponse = client.get(url)
        assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:connexion")), nom


def test_les_actions_hors_perimetre_refusent_aussi_le_post(client, monde, projet93):
    for role in ("agent69", "membre93"):
        client.force_login(getattr(monde, role))
        reponse = client.post(
            reverse("conventions:signer", args=[projet93.pk]),
            {"date_signature": "2024-12-01", "signataire": "Le préfet"},
        )
        assert reponse.status_code == 404
    projet93.refresh_from_db()
    assert projet93.statut == "projet"


def test_l_employeur_ne_voit_pas_les_boutons_d_action(client, monde):
    client.force_login(monde.membre93)
    html = client.get(reverse("conventions:detail", args=[monde.convention93.pk])).content.decode()
    assert "Télécharger la convention signée (PDF)" in html
    assert "Résilier" not in html and "Renouveler" not in html


def test_signer_par_l_interface(client, monde, projet93):
    client.force_login(monde.agent93)
    url = reverse("conventions:signer", args=[projet93.pk])
    assert "Le préfet de la Seine-Saint-Denis" in client.get(url).content.decode()
    reponse = client.post(url, {"date_signature": "2024-12-01", "signataire": "Le préfet, Jeanne Martin", "confirmer": "1"})
    assert reponse.status_code == 302
    convention = Convention.objects.get(pk=projet93.pk)
    assert convention.statut == "signee" and convention.signataire == "Le préfet, Jeanne Martin" and convention.pdf_sha256


def test_refus_affiche_en_francais_sur_le_formulaire(client, monde):
    client.force_login(monde.agent93)
    reponse = client.post(
        reverse("conventions:resilier", args=[monde.convention93.pk]),
        {"motif": "initiative_employeur", "date_notification": "2025-03-15", "date_effet": "2025-04-01", "confirmer": "1"},
    )
    assert reponse.status_code == 200
    assert "deux mois après la notification" in reponse.content.decode()
    assert Convention.objects.get(pk=monde.convention93.pk).statut == "en_cours"


def test_renouveler_par_l_interface_mene_au_renouvellement(client, monde):
    client.force_login(monde.agent93)
    sans_enveloppe = client.post(
        reverse("conventions:renouveler", args=[monde.convention93.pk]), {"date_fin": "2027-12-31", "heures": "35"}
    )
    assert "Aucune enveloppe n’est ouverte pour le département 93 – Seine-Saint-Denis en 2027" in sans_enveloppe.content.decode()
    Enveloppe.objects.create(departement=monde.dep93, annee=2027, nombre_postes=10, montant=Decimal("250000"))
    reponse = client.post(
        reverse("conventions:renouveler", args=[monde.convention93.pk]), {"date_fin": "2027-12-31", "heures": "35"}
    )
    nouvelle = Convention.objects.get(precedente=monde.convention93)
    assert reponse.status_code == 302 and reponse.url == reverse("conventions:detail", args=[nouvelle.pk])
    assert nouvelle.date_debut == date(2027, 1, 1)


def test_avenant_titulaire_par_l_interface(client, monde):
    client.force_login(monde.agent93)
    url = reverse("conventions:avenant_titulaire", args=[monde.convention93.pk])
    incomplet = client.post(url, {"date_effet": "2025-03-01", "date_signature": "2025-02-01", "type_contrat": "cdi"})
    assert "Renseignez ce champ pour une nouvelle personne" in incomplet.content.decode()
    QuartierFactory(code="QN09301M")
    reponse = client.post(
        url,
        {
            "date_effet": "2025-03-01",
            "date_signature": "2025-02-01",
            "type_contrat": "cdd",
            "nom": "Diallo",
            "prenom": "Awa",
            "date_naissance": "1988-04-02",
            "date_contrat": "2025-02-01",
            "situation": "sans_emploi",
            "code_qpv": "QN09301M",
            "justification": "Attestation du bailleur.",
        },
    )
    assert reponse.status_code == 302
    affectation = monde.convention93.avenants.get().affectation
    assert affectation.titulaire.nom == "Diallo" and affectation.diagnostics.get().eligible


def test_page_de_convention_montre_l_aide_et_l_historique(client, monde):
    client.force_login(monde.agent93)
    html = client.get(reverse("conventions:detail", args=[monde.convention93.pk])).content.decode()
    assert "Aide mois par mois" in html and "Comment l’aide est calculée" in html
    assert "Historique" in html


def noms_du_zip_prepare(client, parametres=None):
    """Ask for the ZIP through the list's button, run its job's body, download it: its entries."""
    reponse = client.get(reverse("conventions:zip"), parametres or {})
    archive = ArchiveConventions.objects.get(pk=reponse.url.rstrip("/").rsplit("/", 1)[1])
    assert preparer(archive.pk) == StatutArchive.PRETE
    telechargement = client.get(reverse("conventions:telecharger_archive", args=[archive.pk]))
    return zipfile.ZipFile(io.BytesIO(b"".join(telechargement.streaming_content))).namelist()


def test_zip_respecte_le_perimetre_et_les_filtres(client, monde, projet93):
    client.force_login(monde.agent93)
    noms = noms_du_zip_prepare(client)
    assert sorted(noms) == ["convention-PROJET-93-projet.pdf", "convention-SIGNEE-93.pdf", "empreintes-sha256.txt"]
    assert noms_du_zip_prepare(client, {"statut": "en_cours"}) == ["convention-SIGNEE-93.pdf", "empreintes-sha256.txt"]
    client.force_login(monde.admin_national)
    tout = noms_du_zip_prepare(client, {"statut": "en_cours"})
    assert sorted(tout) == ["convention-SIGNEE-69.pdf", "convention-SIGNEE-93.pdf", "empreintes-sha256.txt"]


def test_zip_vide_renvoie_vers_la_liste(client, monde, projet93):
    client.force_login(monde.agent93)
    reponse = client.get(reverse("conventions:zip"), {"statut": "caduque"})
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("conventions:liste"))


def test_simulateur_affiche_le_resultat_et_la_comparaison_au_smic(client, monde):
    client.force_login(monde.agent93)
    html = client.get(
        reverse("financements:simulateur"),
        {"debut": "2024-07-01", "fin": "2025-06-30", "heures": "35", "vacances": "01/09/2024 au 30/09/2024"},
    ).content.decode()
    assert "20\u202f909,73\u00a0€" in html  # 11/12 × 22 810,61
    assert "environ 95" in html
    assert "cotisations patronales" in html


def test_simulateur_sans_nom_de_reglage_dans_la_page(client, monde):
    client.force_login(monde.agent93)
    html = client.get(
        reverse("financements:simulateur"), {"debut": "2024-07-01", "fin": "2025-06-30", "heures": "35"}
    ).content.decode()
    assert "Résultat" in html
    assert "TAUX_CHARGES_PATRONALES_SMIC" not in html and "<code>" not in html


@pytest.mark.parametrize(
    "debut, fin",
    [("2024-07-01", "9999-12-31"), ("9999-12-31", "9999-12-31"), ("0001-01-01", "0001-01-31"), ("2024-07-01", "2101-01-01")],
)
def test_simulateur_date_hors_du_calendrier_message_francais_sans_erreur_500(client, monde, debut, fin):
    client.force_login(monde.agent93)
    reponse = client.get(reverse("financements:simulateur"), {"debut": debut, "fin": fin, "heures": "35"})
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Résultat" not in html
    assert "doit être comprise entre le 01/01/2000 et le 31/12/2100" in html


def test_simulateur_montre_toutes_les_erreurs_a_la_fois_avec_leur_resume(client, monde):
    import re

    client.force_login(monde.agent93)
    html = client.get(
        reverse("financements:simulateur"),
        {"debut": "2024-07-31", "fin": "2024-07-01", "heures": "50", "vacances": "n’importe quoi"},
    ).content.decode()
    # Each error beside its field…
    for champ, message in [
        ("fin", "la fin (01/07/2024) précède le début"),
        ("heures", "Durée hebdomadaire impossible : 50 heures"),
        ("vacances", "Ligne 1 : Période de vacance illisible"),
    ]:
        bloc = re.search(rf'<div id="id_{champ}-desc-error">(.*?)</div>', html, re.S)
        assert bloc and message in bloc.group(1), champ
    # … and the summary at the top, with a link to each field.
    resume = re.search(r'<div class="fr-alert fr-alert--error[^"]*"[^>]*id="resume-erreurs".*?</div>', html, re.S)
    assert resume, "pas de résumé des erreurs"
    assert "3 erreurs" in resume.group(0)
    for champ in ("fin", "heures", "vacances"):
        assert f'href="#id_{champ}"' in resume.group(0)
    assert html.index('id="resume-erreurs"') < html.index('aria-label="Paramètres de la simulation"')


def test_simulateur_refuse_une_periode_impossible_en_francais(client, monde):
    client.force_login(monde.agent93)
    html = client.get(
        reverse("financements:simulateur"), {"debut": "2024-07-01", "fin": "2024-06-30", "heures": "35"}
    ).content.decode()
    assert "la fin (30/06/2024) précède le début" in html
    html = client.get(
        reverse("financements:simulateur"),
        {"debut": "2024-07-01", "fin": "2024-08-30", "heures": "35", "vacances": "n’importe quoi"},
    ).content.decode()
    assert "Ligne 1 : Période de vacance illisible" in html


def test_tableau_de_bord_de_l_agent_limite_a_son_departement(client, monde):
    client.force_login(monde.agent93)
    html = client.get(reverse("pilotage:tableau_de_bord"), {"annee": 2026}).content.decode()
    assert "93 – Seine-Saint-Denis" in html and "69 – Rhône" not in html
    assert 'id="donnees-graphiques"' in html and "<script>" not in html
    export = client.get(reverse("pilotage:tableau_de_bord"), {"annee": 2026, "tableau": "departements", "export": "csv"})
    contenu = export.content.decode("utf-8-sig")
    assert "93 – Seine-Saint-Denis" in contenu and "Rhône" not in contenu
    assert export["Content-Disposition"].endswith('.csv"')
    echeances = client.get(reverse("pilotage:tableau_de_bord"), {"annee": 2026, "tableau": "echeances", "export": "xlsx"})
    assert echeances["Content-Type"].startswith("application/vnd.openxmlformats")


def test_tableau_de_bord_national_par_region(client, monde):
    client.force_login(monde.admin_national)
    html = client.get(reverse("pilotage:tableau_de_bord"), {"annee": 2026}).content.decode()
    assert "Par région" in html and "Auvergne-Rhône-Alpes" in html and "Île-de-France" in html
    filtre = client.get(reverse("pilotage:tableau_de_bord"), {"annee": 2026, "region": "84"}).content.decode()
    assert 'scope="row">69 – Rhône' in filtre and 'scope="row">93 – Seine-Saint-Denis' not in filtre
    export = client.get(reverse("pilotage:tableau_de_bord"), {"annee": 2026, "tableau": "mois", "export": "csv"})
    assert "décembre 2026" in export.content.decode("utf-8-sig")


def test_tableau_de_bord_ignore_un_departement_hors_perimetre_dans_le_filtre(client, monde):
    client.force_login(monde.agent93)
    html = client.get(reverse("pilotage:tableau_de_bord"), {"annee": 2026, "departement": monde.dep69.pk}).content.decode()
    assert "69 – Rhône" not in html


def test_tableau_de_bord_montre_les_50_echeances_les_plus_proches_et_exporte_toutes(client, monde, projet93):
    from django.utils import timezone

    from financements.regles import ajouter_mois
    from tests.factories import PosteFactory

    aujourd_hui = timezone.localdate()
    fin = ajouter_mois(aujourd_hui, 3)
    for i in range(52):
        poste = PosteFactory(employeur=monde.employeur93)
        ConventionFactory(
            poste=poste,
            numero=f"ECHEANCE-{i:02d}",
            statut="en_cours",
            date_signature=date(2024, 1, 1),
            date_debut=date(fin.year - 2, fin.month, 1),
            date_fin=fin,
        )
    poste69 = PosteFactory(employeur=monde.employeur69)
    ConventionFactory(
        poste=poste69,
        numero="ECHEANCE-69",
        statut="en_cours",
        date_signature=date(2024, 1, 1),
        date_debut=date(fin.year - 2, fin.month, 1),
        date_fin=fin,
    )
    client.force_login(monde.agent93)
    html = client.get(reverse("pilotage:tableau_de_bord")).content.decode()
    attendu = 52 + (1 if aujourd_hui <= date(2026, 12, 31) <= ajouter_mois(aujourd_hui, 6) else 0)  # SIGNEE-93
    assert f'<p class="fr-tile__title">{attendu}</p>' in html
    assert f"Les 50 échéances les plus proches sont affichées sur {attendu}" in html
    assert html.count("ECHEANCE-") + html.count("SIGNEE-93") == 50 and "ECHEANCE-69" not in html
    export = client.get(reverse("pilotage:tableau_de_bord"), {"tableau": "echeances", "export": "csv"})
    lignes = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lignes) == 1 + attendu and not any("ECHEANCE-69" in ligne for ligne in lignes)


def test_renouveler_n_est_pas_propose_sur_un_renouvellement_quand_la_limite_est_atteinte(client, monde, settings):
    """Art. L5134-103 : renouvelable une fois (CONVENTION_RENOUVELLEMENTS_MAX = 1)."""
    settings.CONVENTION_RENOUVELLEMENTS_MAX = 1
    renouvellement = ConventionFactory(
        poste=monde.convention93.poste,
        numero="RENOUVELLEMENT-93",
        rang="renouvellement",
        precedente=monde.convention93,
        statut="signee",
        date_signature=date(2026, 11, 1),
        date_debut=date(2027, 1, 1),
        date_fin=date(2029, 12, 31),
    )
    client.force_login(monde.agent93)
    page = client.get(reverse("conventions:detail", args=[renouvellement.pk])).content.decode()
    assert reverse("conventions:renouveler", args=[renouvellement.pk]) not in page
    assert reverse("conventions:resilier", args=[renouvellement.pk]) in page
    formulaire = client.get(reverse("conventions:renouveler", args=[renouvellement.pk]), follow=True)
    assert "limité à 1" in formulaire.content.decode()
    settings.CONVENTION_RENOUVELLEMENTS_MAX = 2
    page = client.get(reverse("conventions:detail", args=[renouvellement.pk])).content.decode()
    assert reverse("conventions:renouveler", args=[renouvellement.pk]) in page


# --- Irreversible actions: a confirmation that says what will happen, then what happened ------------


def test_signature_demande_confirmation_puis_dit_ce_qui_a_ete_fait(client, monde, projet93):
    client.force_login(monde.agent93)
    url = reverse("conventions:signer", args=[projet93.pk])
    saisie = {"date_signature": "2024-12-01", "signataire": "Le préfet, Jeanne Martin"}
    confirmation = client.post(url, saisie)
    html = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert "Confirmez la signature de la convention" in html
    assert "sera enregistrée comme signée le 01/12/2024 par « Le préfet, Jeanne Martin »" in html
    assert "Cette action est définitive" in html and "Confirmer la signature" in html
    assert 'type="hidden" name="signataire" value="Le préfet, Jeanne Martin"' in html
    assert Convention.objects.get(pk=projet93.pk).statut == "projet"  # nothing done yet
    modifier = client.post(url, {**saisie, "modifier": "1"}).content.decode()
    assert "Confirmez" not in modifier and 'value="Le préfet, Jeanne Martin"' in modifier
    reponse = client.post(url, {**saisie, "confirmer": "1"}, follow=True)
    assert Convention.objects.get(pk=projet93.pk).statut == "signee"
    assert (
        "Convention PROJET-93 signée le 01/12/2024 par Le préfet, Jeanne Martin : son PDF signé est archivé"
        in reponse.content.decode()
    )


def test_resiliation_demande_confirmation_puis_dit_ce_qui_a_ete_fait(client, monde):
    client.force_login(monde.agent93)
    url = reverse("conventions:resilier", args=[monde.convention93.pk])
    saisie = {"motif": "manquement", "date_notification": "2025-03-15", "date_effet": "2025-04-01"}
    html = client.post(url, saisie).content.decode()
    assert "sera résiliée à compter du 01/04/2025" in html and "elle court jusqu’au 31/03/2025" in html
    assert Convention.objects.get(pk=monde.convention93.pk).statut == "en_cours"
    html = client.post(url, {**saisie, "confirmer": "1"}, follow=True).content.decode()
    assert Convention.objects.get(pk=monde.convention93.pk).statut == "resiliee"
    assert "Convention SIGNEE-93 résiliée à compter du 01/04/2025 : l’aide n’est plus due à partir de cette date" in html


def test_caducite_constatee_par_l_agent_apres_confirmation(client, monde):
    from titulaires.models import Affectation, DiagnosticEligibilite

    # nobody hired within five months of 01/01/2024
    DiagnosticEligibilite.objects.filter(affectation__poste=monde.poste93).delete()
    Affectation.objects.filter(poste=monde.poste93).delete()
    client.force_login(monde.agent93)
    convention = monde.convention93
    assert (
        reverse("conventions:caducite", args=[convention.pk])
        in client.get(reverse("conventions:detail", args=[convention.pk])).content.decode()
    )
    url = reverse("conventions:caducite", args=[convention.pk])
    html = client.get(url).content.decode()
    assert "sera déclarée caduque : personne n’a été embauché sur le poste avant le 01/06/2024" in html
    assert "Cette action est définitive" in html
    client.post(url)  # without the confirmation button: nothing happens
    assert Convention.objects.get(pk=convention.pk).statut == "en_cours"
    html = client.post(url, {"confirmer": "1"}, follow=True).content.decode()
    assert Convention.objects.get(pk=convention.pk).statut == "caduque"
    assert "Convention SIGNEE-93 déclarée caduque" in html


def test_caducite_non_proposee_quand_une_embauche_a_eu_lieu(client, monde):
    from conventions.services.cycle import TransitionRefusee, constater_caducite

    client.force_login(monde.agent93)
    convention = monde.convention93  # somebody hired on 15/01/2024
    assert "Constater la caducité" not in client.get(reverse("conventions:detail", args=[convention.pk])).content.decode()
    with pytest.raises(TransitionRefusee, match="Une embauche a eu lieu"):
        constater_caducite(convention)
    html = client.post(reverse("conventions:caducite", args=[convention.pk]), {"confirmer": "1"}).content.decode()
    assert "Une embauche a eu lieu sur le poste avant le 01/06/2024" in html
    assert Convention.objects.get(pk=convention.pk).statut == "en_cours"


def test_simulateur_periode_sans_bareme_message_sous_le_premier_jour(client, monde):
    import re

    client.force_login(monde.agent93)
    reponse = client.get(reverse("financements:simulateur"), {"debut": "2010-01-01", "fin": "2010-12-31", "heures": "35"})
    assert reponse.status_code == 200
    bloc = re.search(r'<div id="id_debut-desc-error">(.*?)</div>', reponse.content.decode(), re.S)
    assert bloc and "Aucun barème de l’aide ne couvre le mois de janvier 2010" in bloc.group(1)
