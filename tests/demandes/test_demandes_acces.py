"""Every page and action of the request workflow with every role: out of scope answers 404.

Roles: agent of the 93, agent of the 69, member of the 93 structure, member of another structure
(non-member), national administrator, anonymous visitor."""

import pytest
from django.urls import reverse

from demandes import services as services
from demandes.models import Demande, NoteInstruction
from demandes.regles import StatutDemande
from tests.factories import PieceJointeFactory

pytestmark = pytest.mark.django_db
ROLES = ["agent93", "agent69", "membre93", "non_membre", "admin_national", "anonyme"]


def connecter(client, monde, role):
    if role != "anonyme":
        client.force_login(getattr(monde, role))


def piece(demande):
    return demande.pieces.first()


PAGES = {
    # name: (url builder, expected per role in ROLES order)
    "boîte de réception": (lambda m: reverse("demandes:liste"), [200, 200, 404, 404, 200, 302]),
    "mes demandes": (lambda m: reverse("demandes:mes_demandes"), [404, 404, 200, 200, 404, 302]),
    "demande du 93": (lambda m: reverse("demandes:detail", args=[m.demande93.pk]), [200, 404, 200, 404, 200, 302]),
    "demande du 69": (lambda m: reverse("demandes:detail", args=[m.demande69.pk]), [404, 200, 404, 404, 200, 302]),
    "brouillon du 93": (lambda m: reverse("demandes:detail", args=[m.brouillon93.pk]), [404, 404, 200, 404, 404, 302]),
    "étape d’un brouillon": (
        lambda m: reverse("demandes:etape", args=[m.brouillon93.pk, "projet"]),
        [404, 404, 200, 404, 404, 302],
    ),
    "étape inconnue": (
        lambda m: reverse("demandes:etape", args=[m.brouillon93.pk, "inconnue"]),
        [404, 404, 404, 404, 404, 302],
    ),
    "pièce du 93": (lambda m: reverse("demandes:piece", args=[piece(m.demande93).pk]), [200, 404, 200, 404, 200, 302]),
    "pièce du 69": (lambda m: reverse("demandes:piece", args=[piece(m.demande69).pk]), [404, 200, 404, 404, 200, 302]),
    "pièce d’un brouillon": (lambda m: reverse("demandes:piece", args=[piece(m.brouillon93).pk]), [404, 404, 200, 404, 404, 302]),
    "nouvelle structure": (lambda m: reverse("employeurs:creer"), [200, 200, 404, 404, 200, 302]),
    "poste du 93": (lambda m: reverse("conventions:poste", args=[m.poste93.identifiant]), [200, 404, 200, 404, 200, 302]),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_chaque_page_avec_chaque_role(client, monde, role, page):
    url, attendus = PAGES[page]
    connecter(client, monde, role)
    reponse = client.get(url(monde))
    attendu = attendus[ROLES.index(role)]
    assert reponse.status_code == attendu, f"{role} sur {page}"
    if attendu == 302:
        assert reponse.url.startswith(reverse("comptes:connexion"))


ACTIONS = {
    # name: (url builder, POST data builder, expected per role)
    "commencer l’instruction": (
        lambda m: reverse("demandes:instruire", args=[m.demande93.pk]),
        lambda m: {},
        [302, 404, 404, 404, 302, 302],
    ),
    "note privée": (
        lambda m: reverse("demandes:noter", args=[m.demande93.pk]),
        lambda m: {"texte": "note"},
        [302, 404, 404, 404, 302, 302],
    ),
    "désigner l’instructeur": (
        lambda m: reverse("demandes:affecter", args=[m.demande93.pk]),
        lambda m: {"instructeur": m.agent93.pk},
        [302, 404, 404, 404, 302, 302],
    ),
    "demander des compléments": (
        lambda m: reverse("demandes:completer", args=[m.demande93.pk]),
        lambda m: {"message": "x"},
        [302, 404, 404, 404, 302, 302],
    ),
    "reprendre l’instruction": (
        lambda m: reverse("demandes:reprendre", args=[m.demande93.pk]),
        lambda m: {},
        [302, 404, 404, 404, 302, 302],
    ),
    "décider": (
        lambda m: reverse("demandes:decider", args=[m.demande93.pk]),
        lambda m: {"decision": "refuser", "motif": "x", "confirmer": "1"},
        [302, 404, 404, 404, 302, 302],
    ),
    "nouvelle demande": (lambda m: reverse("demandes:nouvelle"), lambda m: {}, [404, 404, 302, 302, 404, 302]),
    "enregistrer une étape": (
        lambda m: reverse("demandes:etape", args=[m.brouillon93.pk, "financement"]),
        lambda m: {"budget_previsionnel": "1", "cofinancements": ""},
        [404, 404, 302, 404, 404, 302],
    ),
    "déposer": (lambda m: reverse("demandes:deposer", args=[m.brouillon93.pk]), lambda m: {}, [404, 404, 302, 404, 404, 302]),
    "supprimer le brouillon": (
        lambda m: reverse("demandes:supprimer", args=[m.brouillon93.pk]),
        lambda m: {},
        [404, 404, 302, 404, 404, 302],
    ),
    "inviter un contact": (
        lambda m: reverse("employeurs:inviter", args=[m.employeur93.siret]),
        lambda m: {"email": "x@exemple.fr"},
        [302, 404, 404, 404, 302, 302],
    ),
    "changer de structure": (
        lambda m: reverse("employeurs:changer_structure"),
        lambda m: {"structure": m.employeur93.pk},
        [404, 404, 302, 404, 404, 302],
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_chaque_action_avec_chaque_role(client, monde, role, action):
    url, donnees, attendus = ACTIONS[action]
    connecter(client, monde, role)
    reponse = client.post(url(monde), donnees(monde))
    attendu = attendus[ROLES.index(role)]
    assert reponse.status_code == attendu, f"{role} : {action}"
    if role == "anonyme":
        assert reponse.url.startswith(reverse("comptes:connexion"))


@pytest.mark.parametrize("role", ["agent69", "membre93", "non_membre", "anonyme"])
def test_une_action_refusee_ne_change_rien(client, monde, role):
    connecter(client, monde, role)
    d93 = monde.demande93
    client.post(reverse("demandes:instruire", args=[d93.pk]))
    client.post(reverse("demandes:noter", args=[d93.pk]), {"texte": "intrusion"})
    client.post(reverse("demandes:decider", args=[d93.pk]), {"decision": "refuser", "motif": "intrusion", "confirmer": "1"})
    d93.refresh_from_db()
    assert d93.statut == StatutDemande.DEPOSEE
    assert not NoteInstruction.objects.exists() and d93.evenements.count() == 1


def test_l_employeur_ne_peut_pas_modifier_la_demande_d_une_autre_structure(client, monde):
    client.force_login(monde.non_membre)
    brouillon = monde.brouillon93
    assert client.post(reverse("demandes:etape", args=[brouillon.pk, "projet"]), {"projet": "pirate"}).status_code == 404
    assert Demande.objects.get(pk=brouillon.pk).projet != "pirate"


def test_pieces_d_une_autre_demande_inaccessibles_depuis_les_etapes(client, monde):
    """Deleting, through my own draft, an attachment of another structure's request answers 404."""
    client.force_login(monde.non_membre)
    mienne = services.creer_demande(monde.non_membre.employeurs.get(), monde.non_membre)
    reponse = client.post(reverse("demandes:etape", args=[mienne.pk, "pieces"]), {"supprimer": piece(monde.demande93).pk})
    assert reponse.status_code == 404
    assert PieceJointeFactory._meta.model.objects.filter(pk=piece(monde.demande93).pk).exists()


def test_l_historique_n_apparait_que_pour_les_agents_du_perimetre(client, monde):
    url = reverse("demandes:detail", args=[monde.demande93.pk])
    for role, visible in [("agent93", True), ("admin_national", True), ("membre93", False)]:
        client.force_login(getattr(monde, role))
        assert ("Historique des modifications" in client.get(url).content.decode()) == visible, role
    client.force_login(monde.agent69)
    assert client.get(url).status_code == 404
