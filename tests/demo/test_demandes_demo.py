"""The demo requests: a timeline for each, and the demo agent can accept one through the pages."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from comptes.models import Utilisateur
from conventions.budget import postes_engages
from demandes.models import Demande
from demandes.regles import StatutDemande

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(media):
    call_command("charger_demo", verbosity=0)


def test_chaque_demande_deposee_de_la_demo_a_sa_chronologie(demo):
    for demande in Demande.objects.exclude(statut=StatutDemande.BROUILLON):
        evenements = list(demande.evenements.order_by("date"))
        assert evenements[0].type == "depot", demande
        assert evenements[-1].statut_apres == demande.statut, demande
    a_completer = Demande.objects.get(statut=StatutDemande.A_COMPLETER)
    assert "budget prévisionnel signé" in a_completer.evenements.last().message


def test_l_agent_de_demo_accepte_la_demande_en_instruction_par_la_page(demo, client):
    client.force_login(Utilisateur.objects.get(email="agent@demo.gouv.fr"))
    demande = Demande.objects.get(statut=StatutDemande.EN_INSTRUCTION)
    annee = demande.date_debut_souhaitee.year
    avant = postes_engages(demande.departement, annee)
    reponse = client.post(
        reverse("demandes:decider", args=[demande.pk]), {"decision": "accepter", "motif": "", "confirmer": "1"}, follow=True
    )
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.ACCEPTEE, reponse.content.decode()
    assert postes_engages(demande.departement, annee) == avant + 1
    assert demande.poste.identifiant.startswith(f"093{annee % 100:02d}R")
