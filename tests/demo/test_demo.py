"""The demo dataset: every state shown, and the three demo accounts see what their role allows."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from comptes.models import Utilisateur
from conventions.models import Convention
from conventions.regles import StatutConvention
from demandes.models import Demande
from demandes.regles import StatutDemande
from demo.chargement import MOT_DE_PASSE_DEMO
from employeurs.models import Employeur
from financements.models import Enveloppe
from postes.models import Poste
from postes.regles import StatutPoste
from quartiers.models import QuartierPrioritaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("charger_demo", verbosity=0)


def test_demo_couvre_chaque_etat(demo):
    assert set(Convention.objects.values_list("statut", flat=True)) == set(StatutConvention.values)
    assert set(Poste.objects.values_list("statut", flat=True)) == set(StatutPoste.values)
    assert set(Demande.objects.values_list("statut", flat=True)) == set(StatutDemande.values)
    assert Poste.objects.filter(departement__code="93").count() == 25
    assert Poste.objects.filter(departement__code="69").exists()
    assert QuartierPrioritaire.objects.filter(departement__code="93").count() >= 10
    assert not QuartierPrioritaire.objects.filter(geometrie_demo=False).exists()
    assert Employeur.objects.filter(departement__code="93").count() == 8
    assert not all(e.eligibilite.ok for e in Employeur.objects.all())
    assert Enveloppe.objects.filter(departement__code="93").exists()


def test_demo_idempotente(demo, capsys):
    call_command("charger_demo")
    assert "déjà présentes" in capsys.readouterr().out
    assert Poste.objects.count() == 28


def test_comptes_de_demo_se_connectent_avec_le_mot_de_passe_annonce(demo, client):
    for email in ("agent@demo.gouv.fr", "employeur@demo.fr", "admin@demo.gouv.fr"):
        assert client.login(username=email, password=MOT_DE_PASSE_DEMO), email


def test_agent_de_demo_voit_le_93_et_pas_le_69(demo, client):
    agent = Utilisateur.objects.get(email="agent@demo.gouv.fr")
    client.force_login(agent)
    html = client.get(reverse("postes:liste"), {"departement": ""}).content.decode()
    assert "25 résultats" in html
    poste69 = Poste.objects.filter(departement__code="69").first()
    assert client.get(reverse("conventions:poste", args=[poste69.identifiant])).status_code == 404


def test_employeur_de_demo_ne_voit_que_son_association(demo, client):
    client.force_login(Utilisateur.objects.get(email="employeur@demo.fr"))
    html = client.get(reverse("espace_employeur")).content.decode()
    association = Employeur.objects.get(raison_sociale="Association Médiation Plaine Commune")
    for poste in Poste.objects.all():
        assert (poste.identifiant in html) == (poste.employeur_id == association.pk)


def test_connexion_par_le_formulaire(demo, client):
    reponse = client.post(reverse("comptes:connexion"), {"username": "agent@demo.gouv.fr", "password": MOT_DE_PASSE_DEMO})
    assert reponse.status_code == 302
    reponse = client.get(reponse.url, follow=True)
    assert "Postes adultes-relais" in reponse.content.decode()


def test_mauvais_mot_de_passe_message_en_francais(demo, client):
    reponse = client.post(reverse("comptes:connexion"), {"username": "agent@demo.gouv.fr", "password": "faux"})
    assert "Adresse électronique ou mot de passe incorrect." in reponse.content.decode()


def test_le_statut_de_chaque_poste_de_demo_suit_ses_conventions(demo):
    """One status vocabulary (issue 15, defect 11): a post shown « Actif » has a convention in force,
    as the dashboard counts it."""
    from django.utils import timezone

    from conventions.regles import statut_poste

    aujourd_hui = timezone.localdate()
    ecarts = [
        (p.identifiant, p.statut, attendu)
        for p in Poste.objects.prefetch_related("conventions")
        if p.statut != (attendu := statut_poste([(c.statut, c.date_resiliation) for c in p.conventions.all()], aujourd_hui))
    ]
    assert ecarts == []
