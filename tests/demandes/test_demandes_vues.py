"""The request pages through the interface: the employer's steps, the inbox, the instruction."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from demandes import services as services
from demandes.models import Demande, PieceJointe
from demandes.regles import StatutDemande
from postes.models import Poste
from tests.factories import (
    EXECUTABLE,
    PDF_MINIMAL,
    AgentFactory,
    DemandeFactory,
    EmployeurFactory,
    EnveloppeFactory,
    QuartierFactory,
    debut_souhaite,
    demande_complete,
    demande_en_instruction,
    departement,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def floreal(dep93):
    return QuartierFactory(
        code="QN09339M",
        nom="Floréal Saussaie Allende",
        departement=dep93,
        communes=[{"insee": "93066", "nom": "Saint-Denis"}, {"insee": "93072", "nom": "Stains"}],
    )


@pytest.fixture
def orgemont(dep93):
    return QuartierFactory(
        code="QN09330M", nom="Orgemont", departement=dep93, communes=[{"insee": "93031", "nom": "Épinay-sur-Seine"}]
    )


def etape(demande, nom):
    return reverse("demandes:etape", args=[demande.pk, nom])


def texte(reponse):
    return reponse.content.decode()


# --- Employer: the form in steps -------------------------------------------------------------------


def test_l_employeur_remplit_sa_demande_etape_par_etape_et_la_depose(
    client, membre93, employeur93, floreal, orgemont, django_capture_on_commit_callbacks
):
    client.force_login(membre93)
    reponse = client.post(reverse("demandes:nouvelle"))
    demande = Demande.objects.get()
    assert reponse.url == etape(demande, "projet")
    assert demande.employeur == employeur93 and demande.statut == StatutDemande.BROUILLON

    html = texte(client.get(etape(demande, "structure")))
    assert "Étape 1 sur 7" in html and "fr-stepper" in html and employeur93.raison_sociale in html
    html = texte(client.get(etape(demande, "projet")))
    assert "Étape 2 sur 7" in html and "Étape suivante\u00a0:</span> Quartiers d’intervention" in html

    reponse = client.post(
        etape(demande, "projet"),
        {
            "intitule": "Médiateur école-familles",
            "projet": "Médiation école-familles.",
            "missions": "Accueil des familles.",
            "domaines": [1],
            "suite": "",
        },
    )
    assert reponse.url == etape(demande, "quartiers")

    html = texte(client.get(etape(demande, "quartiers"), {"q": "epinay"}))  # commune, without accent
    assert "Orgemont" in html and "Floréal" not in html
    html = texte(client.get(etape(demande, "quartiers"), {"q": "FLOREAL saussaie"}))  # name, without accent
    assert "Floréal Saussaie Allende" in html
    client.post(etape(demande, "quartiers"), {"ajouter": floreal.pk})
    assert list(demande.quartiers.all()) == [floreal]

    reponse = client.post(
        etape(demande, "organisation"), {"heures_hebdomadaires": "17", "date_debut_souhaitee": debut_souhaite().isoformat()}
    )
    assert "au moins 17,5 heures" in texte(reponse)
    passee = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert "ne peut pas être passée" in texte(
        client.post(etape(demande, "organisation"), {"heures_hebdomadaires": "35", "date_debut_souhaitee": passee})
    )
    client.post(
        etape(demande, "organisation"), {"heures_hebdomadaires": "24.5", "date_debut_souhaitee": debut_souhaite().isoformat()}
    )
    client.post(etape(demande, "financement"), {"budget_previsionnel": "31000", "cofinancements": "Ville : 4 000 €"})
    demande.refresh_from_db()
    assert str(demande.heures_hebdomadaires) == "24.50" and demande.budget_previsionnel == 31000

    html = texte(client.get(etape(demande, "recapitulatif")))
    assert "3 éléments à compléter avant le dépôt" in html
    assert "Joignez les statuts à jour de l’association." in html

    for type_piece in ("statuts", "budget_previsionnel", "derniers_comptes"):
        reponse = client.post(
            etape(demande, "pieces"), {"type_piece": type_piece, "fichier": SimpleUploadedFile(f"{type_piece}.pdf", PDF_MINIMAL)}
        )
        assert reponse.status_code == 302
    assert demande.pieces.count() == 3
    assert "La demande est complète" in texte(client.get(etape(demande, "recapitulatif")))

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("demandes:deposer", args=[demande.pk]), follow=True)
    assert "Demande déposée. Un accusé de réception vous a été envoyé par courriel." in texte(reponse)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.DEPOSEE
    assert mail.outbox[0].to == [membre93.email]


def test_depot_incomplet_renvoie_au_recapitulatif_avec_la_liste(client, membre93, employeur93):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    reponse = client.post(reverse("demandes:deposer", args=[demande.pk]), follow=True)
    html = texte(reponse)
    assert "ne peut pas encore être déposée : 9 éléments à compléter" in html
    assert "Choisissez au moins un domaine de médiation." in html
    assert f'href="{etape(demande, "quartiers")}"' in html


@pytest.mark.parametrize(
    "nom, contenu, message",
    [
        ("statuts.exe", PDF_MINIMAL, "ne correspond pas à son contenu (PDF) : renommez-le avec l’extension .pdf"),
        ("statuts.pdf", EXECUTABLE, "n’est ni un PDF ni une image PNG ou JPEG"),
    ],
)
def test_televersement_refuse_un_fichier_dont_le_nom_ou_le_contenu_ment(client, membre93, employeur93, nom, contenu, message):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    fichier = SimpleUploadedFile(nom, contenu, content_type="application/pdf")
    reponse = client.post(etape(demande, "pieces"), {"type_piece": "statuts", "fichier": fichier})
    assert reponse.status_code == 200
    assert message in texte(reponse)
    assert not PieceJointe.objects.exists()


def test_televersement_trop_gros_refuse(client, membre93, employeur93, settings):
    settings.PIECES_JOINTES_TAILLE_MAX = 20
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    reponse = client.post(
        etape(demande, "pieces"), {"type_piece": "statuts", "fichier": SimpleUploadedFile("s.pdf", PDF_MINIMAL)}
    )
    assert "la taille maximale est de 20\u00a0octets" in texte(reponse)


def test_le_champ_de_la_piece_a_le_style_du_dsfr(client, membre93, employeur93):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    assert re.search(
        r'<input type="file" name="fichier"[^>]*class="fr-upload"', client.get(etape(demande, "pieces")).content.decode()
    )


def test_piece_stockee_sous_un_nom_aleatoire_hors_des_fichiers_statiques(client, membre93, employeur93, media):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    client.post(
        etape(demande, "pieces"), {"type_piece": "statuts", "fichier": SimpleUploadedFile("Statuts signés.pdf", PDF_MINIMAL)}
    )
    piece = PieceJointe.objects.get()
    assert piece.nom_original == "Statuts signés.pdf" and piece.type_contenu == "application/pdf"
    assert re.fullmatch(r"demandes/\d{4}/[0-9a-f]{32}\.pdf", piece.fichier.name)
    assert (media / piece.fichier.name).read_bytes() == PDF_MINIMAL
    assert client.get("/fichiers-non-publics/" + piece.fichier.name).status_code == 404


def test_telechargement_en_piece_jointe_nom_assaini_et_nosniff(client, membre93, employeur93):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    client.post(
        etape(demande, "pieces"), {"type_piece": "statuts", "fichier": SimpleUploadedFile('Statuts "signés".pdf', PDF_MINIMAL)}
    )
    reponse = client.get(reverse("demandes:piece", args=[PieceJointe.objects.get().pk]))
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content) == PDF_MINIMAL
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == 'attachment; filename="Statuts_signes.pdf"'
    assert reponse["X-Content-Type-Options"] == "nosniff"


def test_suppression_d_une_piece_et_du_fichier(client, membre93, employeur93, media, django_capture_on_commit_callbacks):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    client.post(etape(demande, "pieces"), {"type_piece": "statuts", "fichier": SimpleUploadedFile("s.pdf", PDF_MINIMAL)})
    piece = PieceJointe.objects.get()
    chemin = media / piece.fichier.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(etape(demande, "pieces"), {"supprimer": piece.pk})
    assert not PieceJointe.objects.exists() and not chemin.exists()


def test_demande_en_instruction_n_est_plus_modifiable(client, membre93, employeur93, agent93):
    demande = demande_en_instruction(demande_complete(employeur93), membre93, agent93)
    client.force_login(membre93)
    reponse = client.get(etape(demande, "projet"), follow=True)
    assert "elle n’est plus modifiable" in texte(reponse)
    assert reponse.redirect_chain[-1][0] == reverse("demandes:detail", args=[demande.pk])
    client.post(etape(demande, "projet"), {"projet": "Autre chose", "missions": "x"})
    demande.refresh_from_db()
    assert demande.projet != "Autre chose"


def test_suppression_d_un_brouillon_par_l_employeur(client, membre93, employeur93):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    reponse = client.post(reverse("demandes:supprimer", args=[demande.pk]), follow=True)
    assert "supprimé" in texte(reponse)
    assert not Demande.objects.exists()


def test_mes_demandes_et_espace_employeur_listent_les_demandes_de_la_structure(client, membre93, employeur93, employeur69):
    mienne = DemandeFactory(employeur=employeur93, intitule="Médiation numérique")
    autre = DemandeFactory(employeur=employeur69, intitule="Projet lyonnais")
    client.force_login(membre93)
    for url in (reverse("demandes:mes_demandes"), reverse("espace_employeur")):
        html = texte(client.get(url))
        assert "Médiation numérique" in html and "Projet lyonnais" not in html, url
        assert reverse("demandes:detail", args=[mienne.pk]) in html
        assert reverse("demandes:detail", args=[autre.pk]) not in html
    assert "Médiation numérique" in texte(client.get(reverse("demandes:mes_demandes"), {"statut": "brouillon"}))
    assert "Médiation numérique" not in texte(client.get(reverse("demandes:mes_demandes"), {"statut": "deposee"}))


# --- Prefecture: inbox and instruction ------------------------------------------------------------


@pytest.fixture
def boite(employeur93, membre93, agent93, floreal, orgemont, dep93):
    commune = EmployeurFactory(departement=dep93, raison_sociale="Ville d’Épinay-sur-Seine", forme_juridique="collectivite")
    a = demande_complete(employeur93, floreal, intitule="Médiation école")
    b = demande_complete(commune, orgemont, intitule="Médiation de nuit")
    brouillon = DemandeFactory(employeur=employeur93, intitule="Brouillon secret")
    services.deposer_demande(a, membre93)
    services.deposer_demande(b, None)
    services.prendre_en_instruction(b, agent93)
    return {"a": a, "b": b, "brouillon": brouillon}


def numeros(client, **filtres):
    html = texte(client.get(reverse("demandes:liste"), filtres))
    return {int(n) for n in re.findall(r'href="/demandes/(\d+)/"', html)}


def test_boite_de_l_agent_sans_les_brouillons_avec_filtres_recherche_et_tri(client, agent93, boite):
    a, b = boite["a"].pk, boite["b"].pk
    client.force_login(agent93)
    assert numeros(client) == {a, b}
    assert numeros(client, statut="deposee") == {a}
    assert numeros(client, q="epinay") == {b}  # accent-insensitive, on the employer's name
    assert numeros(client, q=str(a)) == {a}
    assert numeros(client, quartier="floreal") == {a}
    assert numeros(client, quartier="QN09330M") == {b}
    assert numeros(client, employeur=boite["a"].employeur.siret) == {a}
    assert numeros(client, instructeur=agent93.pk) == {b}
    assert numeros(client, instructeur="null") == {a}
    aujourd_hui = timezone.localdate()
    assert numeros(client, depose_du=aujourd_hui.isoformat()) == {a, b}
    assert numeros(client, depose_au=(aujourd_hui - timedelta(days=1)).isoformat()) == set()
    html = texte(client.get(reverse("demandes:liste"), {"tri": "employeur"}))
    assert html.index("Association de médiation") < html.index("Ville d’Épinay-sur-Seine")
    assert "Brouillon secret" not in html


def test_boite_paginee_par_25(client, agent93, employeur93, membre93):
    for _ in range(27):
        DemandeFactory(employeur=employeur93, statut="deposee", date_depot=timezone.now())
    client.force_login(agent93)
    assert "27 résultats · page 1 sur 2" in texte(client.get(reverse("demandes:liste")))
    assert len(numeros(client, page=2)) == 2


def test_compteur_d_enveloppe_dans_la_boite(client, agent93, dep93):
    EnveloppeFactory(departement=dep93, annee=timezone.localdate().year, nombre_postes=30)
    client.force_login(agent93)
    assert f"Enveloppe {timezone.localdate().year} : 0 poste engagé sur 30" in texte(client.get(reverse("demandes:liste")))


def test_parcours_d_instruction_par_les_pages(client, agent93, membre93, boite, dep93, django_capture_on_commit_callbacks):
    demande = boite["a"]
    EnveloppeFactory(departement=dep93, annee=debut_souhaite().year, nombre_postes=30)
    detail = reverse("demandes:detail", args=[demande.pk])
    client.force_login(agent93)
    assert "Commencer l’instruction" in texte(client.get(detail))
    client.post(reverse("demandes:instruire", args=[demande.pk]))
    client.post(reverse("demandes:noter", args=[demande.pk]), {"texte": "Vérifier le budget avec la DDETS."})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("demandes:completer", args=[demande.pk]), {"message": "Joignez le budget signé."})
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.A_COMPLETER
    assert "Joignez le budget signé." in mail.outbox[-1].body

    client.force_login(membre93)
    html = texte(client.get(detail))
    assert "La préfecture demande des compléments" in html and "Joignez le budget signé." in html
    assert "Vérifier le budget avec la DDETS." not in html  # private notes never reach the employer
    assert "Historique des modifications" not in html
    assert "par la préfecture" in html and agent93.email not in html
    client.post(etape(demande, "financement"), {"budget_previsionnel": "33000", "cofinancements": "Ville"})
    client.post(reverse("demandes:deposer", args=[demande.pk]))
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.EN_INSTRUCTION

    client.force_login(agent93)
    html = texte(client.get(detail))
    assert "Vérifier le budget avec la DDETS." in html and "Historique des modifications" in html
    assert re.search(r"Budget prévisionnel annuel \(€\)\u00a0: 32\W000 → 33\W000", html)
    assert "Instructeur\u00a0: — → " in html
    reponse = client.post(reverse("demandes:decider", args=[demande.pk]), {"decision": "refuser", "motif": ""})
    assert "Un refus doit être motivé" in texte(reponse)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("demandes:decider", args=[demande.pk]),
            {"decision": "accepter", "motif": "Conforme.", "confirmer": "1"},
            follow=True,
        )
    poste = Poste.objects.get()
    assert f"Demande n° {demande.numero} acceptée : poste {poste.identifiant} créé" in texte(reponse)
    assert "demande acceptée" in mail.outbox[-1].subject
    reponse = client.post(
        reverse("demandes:decider", args=[demande.pk]), {"decision": "refuser", "motif": "Non", "confirmer": "1"}, follow=True
    )
    assert "décision est définitive" in texte(reponse)
    html = texte(client.get(detail))
    chronologie = html[html.index('id="chronologie"') :]
    for etape_ in (
        "Demande déposée",
        "Instruction commencée",
        "Compléments demandés",
        "complétée et déposée à nouveau",
        "Demande acceptée",
    ):
        assert etape_ in chronologie


def test_acceptation_refusee_par_la_page_quand_l_enveloppe_est_epuisee(client, agent93, membre93, employeur93, dep93):
    EnveloppeFactory(departement=dep93, annee=debut_souhaite().year, nombre_postes=0)
    demande = demande_en_instruction(demande_complete(employeur93), membre93, agent93)
    client.force_login(agent93)
    reponse = client.post(reverse("demandes:decider", args=[demande.pk]), {"decision": "accepter", "confirmer": "1"}, follow=True)
    assert "est épuisée : 0 poste engagé sur 0" in texte(reponse)
    assert not Poste.objects.exists()


def test_affectation_par_la_page(client, agent93, boite):
    collegue = AgentFactory(departements=[departement("93")], prenom="Lou", nom="Collègue")
    client.force_login(agent93)
    reponse = client.post(reverse("demandes:affecter", args=[boite["a"].pk]), {"instructeur": collegue.pk}, follow=True)
    assert "Instruction confiée à Lou Collègue." in texte(reponse)
    boite["a"].refresh_from_db()
    assert boite["a"].instructeur == collegue


def test_historique_des_modifications_sur_poste_et_convention_pour_les_agents_seulement(
    client, agent93, membre93, employeur93, dep93
):
    EnveloppeFactory(departement=dep93, annee=debut_souhaite().year)
    demande = demande_en_instruction(demande_complete(employeur93), membre93, agent93)
    poste = services.accepter_demande(demande, agent93)
    convention = poste.conventions.get()
    convention.heures_hebdomadaires = 30
    convention._history_user = agent93
    convention.save()
    pages = [reverse("conventions:poste", args=[poste.identifiant]), reverse("conventions:detail", args=[convention.pk])]
    client.force_login(agent93)
    for url in pages:
        assert "Historique des modifications" in texte(client.get(url)), url
    html = texte(client.get(pages[1]))
    assert "Heures hebdomadaires\u00a0: 35 → 30" in html
    client.force_login(membre93)
    for url in pages:
        reponse = client.get(url)
        assert reponse.status_code == 200 and "Historique des modifications" not in texte(reponse), url


def test_boite_de_reception_sans_requete_par_ligne(client, agent93, employeur93, dep93, django_assert_max_num_queries):
    for i in range(25):
        demande = DemandeFactory(employeur=employeur93, statut="deposee", date_depot=timezone.now(), instructeur=agent93)
        demande.quartiers.set([QuartierFactory(departement=dep93, code=f"QN093{i:02d}X")])
    client.force_login(agent93)
    with django_assert_max_num_queries(15):  # 14 whatever the number of rows
        assert client.get(reverse("demandes:liste")).status_code == 200


def test_enregistrer_sans_nouvelle_piece_ni_quartier_garde_le_brouillon_sans_erreur(client, membre93, employeur93):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    for nom in ("pieces", "quartiers"):
        reponse = client.post(etape(demande, nom), {"enregistrer": ""}, follow=True)
        html = texte(reponse)
        assert "Brouillon enregistré." in html and "Ce champ est obligatoire" not in html, nom
        assert client.post(etape(demande, nom), {"suite": ""}).url != etape(demande, nom)
    reponse = client.post(etape(demande, "pieces"), {"ajouter": "", "type_piece": "statuts"})
    assert "Ce champ est obligatoire" in texte(reponse)


# --- No empty drafts ---------------------------------------------------------------------------------


def test_deux_clics_sur_nouvelle_demande_un_seul_brouillon_jamais_liste_vide(client, membre93, employeur93):
    client.force_login(membre93)
    premier = client.post(reverse("demandes:nouvelle"))
    second = client.post(reverse("demandes:nouvelle"))
    assert Demande.objects.count() == 1
    demande = Demande.objects.get()
    assert premier.url == second.url == etape(demande, "projet")
    # Nothing saved yet: the draft is in no list.
    assert f"n° {demande.numero}" not in texte(client.get(reverse("demandes:mes_demandes")))
    assert f"{demande.numero}" not in texte(client.get(reverse("espace_employeur")))
    # The first thing saved makes it a draft, listed once; the next click opens a new one.
    client.post(etape(demande, "projet"), {"intitule": "Médiateur de nuit", "projet": "", "missions": ""})
    demande.refresh_from_db()
    assert demande.intitule == "Médiateur de nuit"
    assert texte(client.get(reverse("demandes:mes_demandes"))).count("Médiateur de nuit") == 1
    client.post(reverse("demandes:nouvelle"))
    assert Demande.objects.count() == 2


def test_brouillon_vide_d_une_autre_structure_non_repris(client, membre93, employeur93):
    autre = EmployeurFactory(departement=employeur93.departement)
    vide_ailleurs = services.creer_demande(autre, membre93)
    client.force_login(membre93)
    client.post(reverse("demandes:nouvelle"))
    assert Demande.objects.filter(employeur=employeur93).exclude(pk=vide_ailleurs.pk).count() == 1


@pytest.mark.parametrize("quoi", ["quartier", "piece", "heures"])
def test_un_brouillon_avec_quelque_chose_d_enregistre_n_est_pas_vide(membre93, employeur93, floreal, quoi, media):
    demande = services.creer_demande(employeur93, membre93)
    assert demande in Demande.objects.brouillons_vides()
    if quoi == "quartier":
        services.ajouter_quartier(demande, floreal)
    elif quoi == "piece":
        from commun.televersement import valider_fichier

        fichier = SimpleUploadedFile("statuts.pdf", PDF_MINIMAL)
        services.ajouter_piece(demande, "statuts", fichier, valider_fichier(fichier, 10**6), membre93)
    else:
        demande.heures_hebdomadaires = 24
        demande.save()
    assert demande not in Demande.objects.brouillons_vides()
    assert services.creer_demande(employeur93, membre93) != demande


# --- Going back a step keeps what was typed ----------------------------------------------------------


def test_etape_precedente_enregistre_ce_qui_a_ete_saisi(client, membre93, employeur93):
    demande = services.creer_demande(employeur93, membre93)
    client.force_login(membre93)
    html = texte(client.get(etape(demande, "projet")))
    assert 'name="precedente"' in html  # a button of the form, not a link that drops the input
    reponse = client.post(
        etape(demande, "projet"), {"intitule": "Médiateur de nuit", "projet": "Tranquillité.", "missions": "", "precedente": ""}
    )
    assert reponse.url == etape(demande, "structure")
    demande.refresh_from_db()
    assert (demande.intitule, demande.projet) == ("Médiateur de nuit", "Tranquillité.")


def test_etape_precedente_avec_une_erreur_garde_la_saisie_pour_le_retour(client, membre93, employeur93):
    demande = services.creer_demande(employeur93, membre93)
    client.force_login(membre93)
    date_tapee = debut_souhaite().isoformat()
    reponse = client.post(
        etape(demande, "organisation"), {"heures_hebdomadaires": "17", "date_debut_souhaitee": date_tapee, "precedente": ""}
    )
    assert reponse.url == etape(demande, "quartiers")
    demande.refresh_from_db()
    assert demande.heures_hebdomadaires == 35 and demande.date_debut_souhaitee is None  # nothing invalid written
    avertissement = texte(client.get(reponse.url))
    assert "n’est pas encore enregistré" in avertissement
    html = texte(client.get(etape(demande, "organisation")))
    assert 'value="17"' in html and f'value="{date_tapee}"' in html  # what was typed, as typed
    assert "au moins 17,5 heures" in html  # with the reason it was not saved
    assert 'value="17"' not in texte(client.get(etape(demande, "organisation")))  # given back once


def test_refus_demande_confirmation_puis_dit_ce_qui_a_ete_fait(client, agent93, membre93, employeur93):
    demande = demande_en_instruction(demande_complete(employeur93), membre93, agent93)
    client.force_login(agent93)
    url = reverse("demandes:decider", args=[demande.pk])
    html = texte(client.post(url, {"decision": "refuser", "motif": "Hors priorités du contrat de ville."}))
    assert "Confirmez le refus de la demande" in html
    assert f"Vous allez refuser la demande n° {demande.numero}" in html
    assert "L’employeur en sera prévenu par courriel, avec le motif : « Hors priorités du contrat de ville. »" in html
    assert "Cette action est définitive" in html
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.EN_INSTRUCTION
    reponse = client.post(
        url, {"decision": "refuser", "motif": "Hors priorités du contrat de ville.", "confirmer": "1"}, follow=True
    )
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.REFUSEE
    assert f"Demande n° {demande.numero} refusée : l’employeur est prévenu par courriel" in texte(reponse)


def test_acceptation_annonce_la_creation_du_poste_et_la_reservation(client, agent93, membre93, employeur93, dep93):
    EnveloppeFactory(departement=dep93, annee=debut_souhaite().year, nombre_postes=5)
    demande = demande_en_instruction(demande_complete(employeur93), membre93, agent93)
    client.force_login(agent93)
    html = texte(client.post(reverse("demandes:decider", args=[demande.pk]), {"decision": "accepter", "motif": ""}))
    assert "Un poste et son projet de convention seront créés" in html
    assert f"un poste de l’enveloppe {debut_souhaite().year} du département" in html
    assert not Poste.objects.exists()


def test_une_liste_vide_dit_0_resultat_au_singulier(client, agent93):
    client.force_login(agent93)
    page = texte(client.get(reverse("demandes:liste")))
    assert "0 résultat" in page and "0 résultats" not in page
