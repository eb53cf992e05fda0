"""Caps per account (issue 16, fault 10; commun/quotas.py): drafts open at once per structure,
attachments' size per request and per structure, invitations per day per account. Said on the
page, refused beyond with a French message, nothing written."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from commun.quotas import erreur_brouillons, erreur_invitations, erreur_pieces
from comptes.models import Invitation, Utilisateur
from demandes import services as services
from demandes.models import Demande
from demandes.regles import StatutDemande
from tests.factories import PDF_MINIMAL, DemandeFactory, EmployeurFactory, PieceJointeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plafonds(settings, media):
    settings.DEMANDES_BROUILLONS_MAX = 2
    settings.PIECES_JOINTES_TAILLE_PAR_DEMANDE = 3 * len(PDF_MINIMAL)
    settings.PIECES_JOINTES_TAILLE_PAR_STRUCTURE = 5 * len(PDF_MINIMAL)
    settings.INVITATIONS_PAR_JOUR = 2
    return settings


def etape(demande, nom):
    return reverse("demandes:etape", args=[demande.pk, nom])


# --- Pure rules -----------------------------------------------------------------------------------


def test_regles_des_plafonds():
    assert erreur_brouillons(9, 10) is None
    assert "au plus 10 à la fois" in erreur_brouillons(10, 10)
    assert erreur_pieces(10, 40, 100, 50, 500) is None
    assert "pour 50\u00a0octets au plus par demande" in erreur_pieces(11, 40, 100, 50, 500)
    assert "de toutes les demandes de la structure" in erreur_pieces(10, 0, 495, 50, 500)
    assert erreur_invitations(29, 30) is None
    assert "au plus 30 par jour" in erreur_invitations(30, 30)


# --- Drafts ---------------------------------------------------------------------------------------


def test_brouillons_ouverts_plafonnes_par_structure(client, membre93, employeur93):
    client.force_login(membre93)
    for intitule in ("Médiation scolaire", "Médiation de nuit"):  # drafts in which something was saved
        client.post(reverse("demandes:nouvelle"))
        Demande.objects.brouillons_vides().filter(employeur=employeur93).update(intitule=intitule)
    reponse = client.post(reverse("demandes:nouvelle"), follow=True)
    assert "Votre structure a déjà 2 brouillons ouverts : au plus 2 à la fois." in reponse.content.decode()
    assert Demande.objects.filter(employeur=employeur93, statut=StatutDemande.BROUILLON).count() == 2


def test_un_brouillon_depose_libere_une_place(membre93, employeur93):
    DemandeFactory(employeur=employeur93, statut=StatutDemande.BROUILLON)
    DemandeFactory(employeur=employeur93, statut=StatutDemande.DEPOSEE, date_depot=timezone.now())
    nouvelle = services.creer_demande(employeur93, membre93)
    assert nouvelle.statut == StatutDemande.BROUILLON
    assert services.creer_demande(employeur93, membre93) == nouvelle  # still empty: reused, not counted twice
    Demande.objects.filter(pk=nouvelle.pk).update(intitule="Médiation sociale")
    with pytest.raises(services.ErreurDemande):
        services.creer_demande(employeur93, membre93)


def test_le_plafond_des_brouillons_est_dit_sur_la_page(client, membre93, employeur93):
    client.force_login(membre93)
    html = client.get(reverse("demandes:mes_demandes")).content.decode()
    assert "Au plus 2 brouillons ouverts à la fois par structure." in html


# --- Attachments ----------------------------------------------------------------------------------


def deposer(client, demande, nom="piece.pdf"):
    return client.post(
        etape(demande, "pieces"),
        {"type_piece": "statuts", "ajouter": "", "fichier": SimpleUploadedFile(nom, PDF_MINIMAL)},
        follow=True,
    )


def test_taille_des_pieces_plafonnee_par_demande(client, membre93, employeur93):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    for n in range(3):
        deposer(client, demande, f"p{n}.pdf")
    reponse = deposer(client, demande, "de-trop.pdf")
    assert "Pièce refusée : avec ce fichier" in reponse.content.decode()
    assert "au plus par demande" in reponse.content.decode()
    assert demande.pieces.count() == 3


def test_taille_des_pieces_plafonnee_pour_la_structure(client, membre93, employeur93):
    deposee = DemandeFactory(employeur=employeur93, statut=StatutDemande.DEPOSEE, date_depot=timezone.now())
    for _ in range(5):
        PieceJointeFactory(demande=deposee)
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    reponse = deposer(client, demande)
    assert "de toutes les demandes de la structure" in reponse.content.decode()
    assert not demande.pieces.exists()


def test_les_pieces_d_une_autre_structure_ne_comptent_pas(client, membre93, employeur93):
    for _ in range(5):
        PieceJointeFactory(demande=DemandeFactory(employeur=EmployeurFactory(departement=employeur93.departement)))
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    deposer(client, demande)
    assert demande.pieces.count() == 1


def test_le_plafond_des_pieces_est_dit_sur_la_page(client, membre93, employeur93):
    client.force_login(membre93)
    demande = services.creer_demande(employeur93, membre93)
    deposer(client, demande)
    html = client.get(etape(demande, "pieces")).content.decode()
    assert (
        f"Au plus {3 * len(PDF_MINIMAL)}\u00a0octets de pièces par demande ({len(PDF_MINIMAL)}\u00a0octets déjà déposés)" in html
    )


# --- Invitations ----------------------------------------------------------------------------------


def inviter(client, employeur, capture, email):
    with capture(execute=True):
        return client.post(
            reverse("employeurs:inviter", args=[employeur.siret]), {"email": email, "prenom": "A", "nom": "B"}, follow=True
        )


def test_invitations_plafonnees_par_jour_et_par_compte(client, agent93, employeur93, django_capture_on_commit_callbacks):
    client.force_login(agent93)
    inviter(client, employeur93, django_capture_on_commit_callbacks, "un@exemple.fr")
    inviter(client, employeur93, django_capture_on_commit_callbacks, "deux@exemple.fr")
    reponse = inviter(client, employeur93, django_capture_on_commit_callbacks, "trois@exemple.fr")
    assert "Invitation non envoyée : vous avez déjà envoyé 2 invitations ces dernières 24 heures, au plus 2 par jour." in (
        reponse.content.decode()
    )
    assert len(mail.outbox) == 2
    assert not Utilisateur.objects.filter(email="trois@exemple.fr").exists()
    assert Invitation.objects.filter(invite_par=agent93).count() == 2


def test_les_invitations_de_la_veille_ne_comptent_plus(client, agent93, employeur93, django_capture_on_commit_callbacks):
    for n in range(2):
        Invitation.objects.create(
            employeur=employeur93, email=f"ancien{n}@exemple.fr", invite_par=agent93, cree_le=timezone.now() - timedelta(hours=25)
        )
    client.force_login(agent93)
    reponse = inviter(client, employeur93, django_capture_on_commit_callbacks, "nouveau@exemple.fr")
    assert "Compte créé pour nouveau@exemple.fr" in reponse.content.decode()


def test_le_plafond_des_invitations_est_dit_sur_la_page(client, agent93, employeur93):
    client.force_login(agent93)
    html = client.get(reverse("employeurs:detail", args=[employeur93.siret])).content.decode()
    assert "Au plus 2 invitations par jour et par compte." in html
