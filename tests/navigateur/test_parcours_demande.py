"""End to end, for the demo accounts: an employer files a request with its attachments, the agent
asks for completion, the employer completes and files again, the agent accepts; the post appears in
both homes and the envelope counter moves."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from demandes.models import Demande
from demandes.regles import StatutDemande
from demo.chargement import MOT_DE_PASSE_DEMO
from tests.factories import PDF_MINIMAL
from tests.navigateur.conftest import se_connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(media):
    call_command("charger_demo", verbosity=0)


def compteur(page, live_server):
    page.goto(f"{live_server.url}/demandes/")
    texte = page.locator(".ar-enveloppe").first.inner_text()
    annee = timezone.localdate().year
    trouve = re.search(rf"Enveloppe {annee} : (\d+) postes? engagés? sur 30", texte)
    assert trouve, texte
    return int(trouve.group(1))


def continuer(page):
    page.get_by_role("button", name="Enregistrer et continuer").click()


def test_de_la_demande_au_poste_par_l_interface(page, seconde_page, live_server, demo):
    employeur, agent = page, seconde_page

    # The employer starts a request from their home and goes through the steps.
    se_connecter(employeur, live_server, "employeur@demo.fr", MOT_DE_PASSE_DEMO)
    employeur.wait_for_url(f"{live_server.url}/espace-employeur/")
    employeur.get_by_role("button", name=re.compile("Nouvelle demande de poste")).click()
    employeur.get_by_label("Intitulé du poste").fill("Médiateur santé – Floréal")
    employeur.get_by_label("Nature du projet").fill("Faciliter l’accès aux soins des habitants du quartier.")
    employeur.get_by_label("Missions confiées à l’adulte-relais").fill("Accompagner vers les droits de santé.")
    employeur.locator("input[name=domaines]").first.check(force=True)
    continuer(employeur)

    employeur.get_by_label("Rechercher un quartier prioritaire").fill("floreal")
    employeur.get_by_role("button", name="Rechercher").click()
    employeur.get_by_role("button", name=re.compile("Ajouter Floréal")).click()
    assert "Floréal Saussaie Allende" in employeur.locator("#quartiers-choisis").inner_text()
    continuer(employeur)

    employeur.get_by_label("Durée hebdomadaire de travail (heures)").fill("35")
    employeur.get_by_label("Date de début souhaitée").fill(timezone.localdate().isoformat())
    continuer(employeur)
    employeur.get_by_label("Budget prévisionnel annuel du poste (€)").fill("32000")
    employeur.get_by_label("Cofinancements").fill("Ville de Saint-Denis : 4 000 €")
    continuer(employeur)

    for type_piece in ("Statuts de l’association", "Budget prévisionnel", "Derniers comptes approuvés"):
        employeur.get_by_label("Type de pièce").select_option(label=type_piece)
        employeur.get_by_label("Fichier").set_input_files(
            {"name": "piece.pdf", "mimeType": "application/pdf", "buffer": PDF_MINIMAL}
        )
        employeur.get_by_role("button", name="Ajouter la pièce").click()
        assert "ajoutée" in employeur.locator("main").inner_text()
    continuer(employeur)
    assert "La demande est complète" in employeur.locator("main").inner_text()
    employeur.get_by_role("button", name="Déposer la demande").click()
    assert "Demande déposée" in employeur.locator("main").inner_text()
    demande = Demande.objects.get(intitule="Médiateur santé – Floréal")

    # The agent sees it in the inbox, starts instructing and asks for completion.
    se_connecter(agent, live_server, "agent@demo.gouv.fr", MOT_DE_PASSE_DEMO)
    agent.wait_for_url(f"{live_server.url}/postes/")
    engages_avant = compteur(agent, live_server)
    agent.get_by_role("link", name=demande.numero).click()
    agent.get_by_role("button", name="Commencer l’instruction").click()
    agent.get_by_label("Message à l’employeur").fill("Merci de joindre le budget signé par le trésorier.")
    agent.get_by_role("button", name="Demander des compléments").click()
    assert "Compléments demandés" in agent.locator("main").inner_text()

    # The employer completes and files again.
    employeur.goto(f"{live_server.url}/demandes/{demande.pk}/")
    assert "Merci de joindre le budget signé par le trésorier." in employeur.locator("main").inner_text()
    employeur.get_by_role("link", name="Compléter la demande").click()
    employeur.get_by_role("link", name="5. Financement").click()
    employeur.get_by_label("Budget prévisionnel annuel du poste (€)").fill("33500")
    continuer(employeur)
    employeur.get_by_role("link", name="7. Récapitulatif et dépôt").click()
    employeur.get_by_role("button", name="Déposer à nouveau la demande complétée").click()
    assert "déposée à nouveau" in employeur.locator("main").inner_text()

    # The agent accepts: the post is created and the envelope counter moves.
    agent.goto(f"{live_server.url}/demandes/{demande.pk}/")
    agent.get_by_label("Accepter : créer le poste et son projet de convention").check(force=True)
    agent.get_by_label("Motif de la décision").fill("Projet conforme au contrat de ville.")
    agent.get_by_role("button", name="Enregistrer la décision").click()
    # An irreversible decision: the page first says what will happen.
    assert "Un poste et son projet de convention seront créés" in agent.locator("#confirmation").inner_text()
    agent.get_by_role("button", name="Confirmer l’acceptation").click()
    assert f"Demande n° {demande.numero} acceptée" in agent.locator("main").inner_text()
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.ACCEPTEE
    identifiant = demande.poste.identifiant
    assert compteur(agent, live_server) == engages_avant + 1

    agent.goto(f"{live_server.url}/postes/?q={identifiant}")
    assert identifiant in agent.locator("main").inner_text()
    employeur.goto(f"{live_server.url}/espace-employeur/")
    assert identifiant in employeur.locator("#mes-postes").inner_text()
    ligne = employeur.locator("#mes-demandes tr", has_text=demande.numero).inner_text()
    assert identifiant in ligne and "acceptée" in ligne.lower()
