"""Employer accounts: invitation by an agent, structures created by an agent, active structure."""

import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from comptes.invitations import duree_lisible
from comptes.models import Role, Utilisateur
from demandes.models import Demande
from employeurs.models import Employeur
from tests.factories import (
    EmployeurFactory,
    EmployeurUserFactory,
    PosteFactory,
    siret_valide_suivant,
)

pytestmark = pytest.mark.django_db


def inviter(client, employeur, capture, **donnees):
    with capture(execute=True):
        return client.post(reverse("employeurs:inviter", args=[employeur.siret]), donnees, follow=True)


def lien_du_courriel(message):
    return re.search(r"http://testserver(/comptes/mot-de-passe/nouveau/\S+/)", message.body).group(1)


def test_invitation_cree_le_compte_et_envoie_un_lien_a_usage_unique(
    client, agent93, employeur93, settings, django_capture_on_commit_callbacks
):
    settings.URL_SITE = "http://testserver"
    client.force_login(agent93)
    reponse = inviter(
        client, employeur93, django_capture_on_commit_callbacks, email="Directrice@Association.FR", prenom="Inès", nom="Martin"
    )
    assert "Compte créé pour directrice@association.fr" in reponse.content.decode()
    contact = Utilisateur.objects.get(email="directrice@association.fr")
    assert contact.role == Role.EMPLOYEUR and list(contact.employeurs.all()) == [employeur93]
    assert contact.last_login is None
    message = mail.outbox[-1]
    assert message.to == ["directrice@association.fr"]
    assert message.subject == f"Votre compte Adultes-relais pour {employeur93}"
    assert "valable une heure, une seule fois" in message.body

    client.logout()
    lien = lien_du_courriel(message)
    reponse = client.get(lien, follow=True)
    assert "Choisir un nouveau mot de passe" in reponse.content.decode()
    formulaire = reponse.redirect_chain[-1][0]
    reponse = client.post(
        formulaire, {"new_password1": "un-mot-de-passe-solide-2026", "new_password2": "un-mot-de-passe-solide-2026"}
    )
    assert reponse.status_code == 302
    requete = RequestFactory().post("/comptes/connexion/")  # django-axes counts attempts per request
    assert authenticate(requete, username="directrice@association.fr", password="un-mot-de-passe-solide-2026") == contact
    reponse = client.get(lien, follow=True)
    assert "Lien expiré ou déjà utilisé" in reponse.content.decode()


def test_invitation_d_un_employeur_existant_ajoute_la_structure_sans_nouveau_mot_de_passe(
    client, agent93, employeur93, dep93, django_capture_on_commit_callbacks
):
    autre = EmployeurFactory(departement=dep93)
    contact = EmployeurUserFactory(employeurs=[autre])
    client.force_login(contact)  # has signed in before
    client.force_login(agent93)
    reponse = inviter(client, employeur93, django_capture_on_commit_callbacks, email=contact.email)
    assert "a désormais accès" in reponse.content.decode()
    assert set(contact.employeurs.all()) == {autre, employeur93}
    assert Utilisateur.objects.filter(email=contact.email).count() == 1
    assert "mot-de-passe/nouveau" not in mail.outbox[-1].body
    assert "Vous avez déjà un compte" in mail.outbox[-1].body


def test_invitation_refusee_pour_l_adresse_d_un_agent(client, agent93, agent69, employeur93, django_capture_on_commit_callbacks):
    client.force_login(agent93)
    reponse = inviter(client, employeur93, django_capture_on_commit_callbacks, email=agent69.email)
    assert "est celle d’un compte « agent de préfecture »" in reponse.content.decode()
    assert not agent69.employeurs.exists() and not mail.outbox


def test_invitation_avec_une_adresse_invalide(client, agent93, employeur93, django_capture_on_commit_callbacks):
    client.force_login(agent93)
    reponse = inviter(client, employeur93, django_capture_on_commit_callbacks, email="pas-une-adresse")
    assert "Invitation non envoyée : Saisissez une adresse" in reponse.content.decode()


def test_la_page_employeur_liste_les_comptes_et_propose_l_invitation_aux_agents(client, agent93, membre93, employeur93):
    url = reverse("employeurs:detail", args=[employeur93.siret])
    client.force_login(agent93)
    html = client.get(url).content.decode()
    assert "Inviter un contact" in html and membre93.email in html
    client.force_login(membre93)
    assert "Inviter un contact" not in client.get(url).content.decode()


def test_duree_de_validite_lisible():
    assert duree_lisible(3600) == "une heure"
    assert duree_lisible(3 * 86400) == "72 heures"
    assert duree_lisible(900) == "15 minutes"


# --- Structures created by an agent --------------------------------------------------------------


def creer(client, **champs):
    donnees = {
        "siret": siret_valide_suivant(),
        "raison_sociale": "Association Les Médiateurs",
        "forme_juridique": "association",
        "departement": "",
    }
    donnees.update(champs)
    return client.post(reverse("employeurs:creer"), donnees)


def test_l_agent_cree_une_structure_de_son_departement(client, agent93, dep93):
    client.force_login(agent93)
    siret = siret_valide_suivant()
    espace = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    reponse = creer(client, siret=espace, departement=dep93.pk, code_postal="93200")
    assert reponse.status_code == 302 and reponse.url == reverse("employeurs:detail", args=[siret])
    assert Employeur.objects.get(siret=siret).departement == dep93


@pytest.mark.parametrize(
    "siret, message",
    [
        ("1234", "Le SIRET doit comporter 14 chiffres (4 saisis)."),
        ("4410123450001A", "Le SIRET ne doit contenir que des chiffres."),
        ("44101234500018", "la clé de contrôle ne correspond pas"),
    ],
)
def test_siret_invalide_explique_en_francais(client, agent93, dep93, siret, message):
    client.force_login(agent93)
    reponse = creer(client, siret=siret, departement=dep93.pk)
    assert reponse.status_code == 200 and message in reponse.content.decode()


def test_siret_deja_enregistre_refuse(client, agent93, employeur93, dep93):
    client.force_login(agent93)
    reponse = creer(client, siret=employeur93.siret, departement=dep93.pk)
    assert f"Une structure est déjà enregistrée avec le SIRET {employeur93.siret}." in reponse.content.decode()


def test_l_agent_ne_cree_pas_de_structure_hors_de_ses_departements(client, agent93, dep69):
    client.force_login(agent93)
    reponse = creer(client, departement=dep69.pk)
    assert reponse.status_code == 200 and "Sélectionnez un choix valide" in reponse.content.decode()
    assert not Employeur.objects.filter(departement=dep69).exists()


# --- Active structure ------------------------------------------------------------------------------


def test_l_employeur_de_plusieurs_structures_choisit_la_structure_active(client, employeur93, dep93):
    seconde = EmployeurFactory(departement=dep93, raison_sociale="Régie de quartier Floréal")
    membre = EmployeurUserFactory(employeurs=[employeur93, seconde])
    poste_premiere, poste_seconde = PosteFactory(employeur=employeur93), PosteFactory(employeur=seconde)
    client.force_login(membre)
    accueil = reverse("espace_employeur")
    html = client.get(accueil).content.decode()
    assert "Changer de structure" in html
    actuelle = min([employeur93, seconde], key=lambda e: e.raison_sociale)
    assert (poste_premiere.identifiant in html) == (actuelle == employeur93)

    reponse = client.post(reverse("employeurs:changer_structure"), {"structure": seconde.pk}, follow=True)
    html = reponse.content.decode()
    assert "Vous travaillez maintenant pour Régie de quartier Floréal." in html
    assert poste_seconde.identifiant in html and poste_premiere.identifiant not in html

    client.post(reverse("demandes:nouvelle"))
    assert Demande.objects.get().employeur == seconde  # the new request is prefilled with the active structure


def test_la_structure_active_ne_peut_pas_etre_une_structure_dont_on_n_est_pas_membre(client, membre93, employeur69):
    client.force_login(membre93)
    assert client.post(reverse("employeurs:changer_structure"), {"structure": employeur69.pk}).status_code == 404
    assert "structure_active" not in client.session


def test_employeur_sans_structure(client):
    seul = EmployeurUserFactory()
    client.force_login(seul)
    assert "demandez une invitation" in client.get(reverse("espace_employeur")).content.decode()
    reponse = client.post(reverse("demandes:nouvelle"), follow=True)
    assert "rattaché à aucune structure" in reponse.content.decode()
    assert not Demande.objects.exists()
