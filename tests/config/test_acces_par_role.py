"""Scoping: each role reaches its own rows, and a page outside its scope answers 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conventions.models import Convention
from demandes.models import Demande, EvenementDemande
from employeurs.models import Employeur
from financements.models import Enveloppe
from postes.models import Poste
from quartiers.models import Departement
from tests.factories import UtilisateurFactory
from titulaires.models import Affectation, Titulaire

pytestmark = pytest.mark.django_db


def test_agent_ne_voit_que_son_departement(monde):
    agent = monde.agent93
    assert list(Poste.objects.for_user(agent)) == [monde.poste93]
    assert list(Convention.objects.for_user(agent)) == [monde.convention93]
    assert list(Affectation.objects.for_user(agent)) == [monde.affectation93]
    assert list(Titulaire.objects.for_user(agent)) == [monde.affectation93.titulaire]
    assert list(Demande.objects.for_user(agent)) == [monde.demande93]
    assert set(Employeur.objects.for_user(agent)) == {monde.employeur93, monde.non_membre.employeurs.get()}
    assert [e.departement.code for e in Enveloppe.objects.for_user(agent)] == ["93"]
    assert list(Departement.objects.for_user(agent)) == [monde.dep93]


def test_employeur_ne_voit_que_ses_structures(monde):
    membre = monde.membre93
    assert list(Poste.objects.for_user(membre)) == [monde.poste93]
    assert list(Convention.objects.for_user(membre)) == [monde.convention93]
    assert set(Demande.objects.for_user(membre)) == {monde.demande93, monde.brouillon93}
    assert list(Employeur.objects.for_user(membre)) == [monde.employeur93]
    assert list(Titulaire.objects.for_user(membre)) == [monde.affectation93.titulaire]
    assert not Enveloppe.objects.for_user(membre).exists()


def test_brouillon_invisible_pour_l_agent_avant_depot(monde):
    agent = monde.agent93
    brouillon = monde.brouillon93
    assert brouillon not in Demande.objects.for_user(agent)
    assert brouillon not in Demande.objects.for_user(monde.admin_national)
    evenement = EvenementDemande.objects.create(demande=brouillon, type="depot", message="Brouillon")
    assert evenement not in EvenementDemande.objects.for_user(agent)
    assert evenement in EvenementDemande.objects.for_user(monde.membre93)
    brouillon.statut, brouillon.date_depot = "deposee", timezone.now()
    brouillon.save()
    assert brouillon in Demande.objects.for_user(agent)
    assert evenement in EvenementDemande.objects.for_user(agent)


def test_administrateur_national_voit_tout(monde):
    admin = monde.admin_national
    assert Poste.objects.for_user(admin).count() == 2
    assert Convention.objects.for_user(admin).count() == 2
    assert Titulaire.objects.for_user(admin).count() == 2
    assert Enveloppe.objects.for_user(admin).count() == 2


def test_anonyme_et_compte_desactive_ne_voient_rien(monde):
    from django.contrib.auth.models import AnonymousUser

    inactif = UtilisateurFactory(role="admin_national", is_active=False)
    for user in (AnonymousUser(), inactif, None):
        assert not Poste.objects.for_user(user).exists()
        assert not Employeur.objects.for_user(user).exists()


def test_agent_sans_departement_ne_voit_rien(monde):
    sans = UtilisateurFactory(role="agent")
    assert not Poste.objects.for_user(sans).exists()


def test_employeur_voit_une_structure_d_un_autre_departement_dont_il_est_membre(monde):
    membre = monde.membre93
    membre.employeurs.add(monde.employeur69)
    assert Poste.objects.for_user(membre).count() == 2


def pages(monde):
    p93, p69 = monde.poste93, monde.poste69
    return {
        "liste postes": (reverse("postes:liste"), None),
        "poste 93": (reverse("conventions:poste", args=[p93.identifiant]), "93"),
        "poste 69": (reverse("conventions:poste", args=[p69.identifiant]), "69"),
        "liste conventions": (reverse("conventions:liste"), None),
        "convention 93": (reverse("conventions:detail", args=[monde.convention93.pk]), "93"),
        "convention 69": (reverse("conventions:detail", args=[monde.convention69.pk]), "69"),
        "liste employeurs": (reverse("employeurs:liste"), None),
        "employeur 93": (reverse("employeurs:detail", args=[p93.employeur.siret]), "93"),
        "employeur 69": (reverse("employeurs:detail", args=[p69.employeur.siret]), "69"),
        "espace employeur": (reverse("espace_employeur"), None),
    }


ATTENDU = {
    # role: page -> status code
    "agent93": {
        "liste postes": 200,
        "poste 93": 200,
        "poste 69": 404,
        "liste conventions": 200,
        "convention 93": 200,
        "convention 69": 404,
        "liste employeurs": 200,
        "employeur 93": 200,
        "employeur 69": 404,
        "espace employeur": 302,
    },
    "membre93": {
        "liste postes": 404,
        "poste 93": 200,
        "poste 69": 404,
        "liste conventions": 404,
        "convention 93": 200,
        "convention 69": 404,
        "liste employeurs": 404,
        "employeur 93": 200,
        "employeur 69": 404,
        "espace employeur": 200,
    },
    "admin_national": {
        "liste postes": 200,
        "poste 93": 200,
        "poste 69": 200,
        "liste conventions": 200,
        "convention 93": 200,
        "convention 69": 200,
        "liste employeurs": 200,
        "employeur 93": 200,
        "employeur 69": 200,
        "espace employeur": 302,
    },
}


@pytest.mark.parametrize("role", ATTENDU)
def test_chaque_page_avec_chaque_role(client, monde, role):
    client.force_login(getattr(monde, role))
    for nom, (url, _) in pages(monde).items():
        assert client.get(url).status_code == ATTENDU[role][nom], f"{role} sur {nom} ({url})"


def test_anonyme_renvoye_vers_la_connexion(client, monde):
    for nom, (url, _) in pages(monde).items():
        reponse = client.get(url)
        assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:connexion")), nom


def test_liste_des_postes_de_l_agent_ne_montre_pas_l_autre_departement(client, monde):
    client.force_login(monde.agent93)
    html = client.get(reverse("postes:liste")).content.decode()
    assert monde.poste93.identifiant in html
    assert monde.poste69.identifiant not in html


def test_filtre_departement_hors_perimetre_ne_revele_rien(client, monde):
    client.force_login(monde.agent93)
    html = client.get(reverse("postes:liste"), {"departement": monde.dep69.pk}).content.decode()
    assert monde.poste69.identifiant not in html


def test_admin_django_reserve_aux_administrateurs_nationaux(client, monde):
    client.force_login(monde.agent93)
    assert client.get("/admin/").status_code == 302
    client.force_login(monde.admin_national)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/postes/poste/").status_code == 200


def test_filtre_employeur_par_nom_sans_accents_ou_par_siret(client, monde):
    client.force_login(monde.agent93)
    employeur = monde.employeur93
    employeur.raison_sociale = "Association Médiation Écoles"
    employeur.save()
    for saisie in ("mediation ecoles", employeur.siret[:9], f"{employeur.siret[:3]} {employeur.siret[3:9]}"):
        html = client.get(reverse("postes:liste"), {"employeur": saisie}).content.decode()
        assert monde.poste93.identifiant in html, saisie
    html = client.get(reverse("postes:liste"), {"employeur": "inconnue"}).content.decode()
    assert monde.poste93.identifiant not in html
    # a name of another département's employer never brings its posts in
    html = client.get(reverse("postes:liste"), {"employeur": monde.employeur69.siret}).content.decode()
    assert monde.poste69.identifiant not in html


def test_brouillon_absent_de_l_administration(client, monde):
    client.force_login(monde.admin_national)
    liste = client.get(reverse("admin:demandes_demande_changelist")).content.decode()
    assert f"/admin/demandes/demande/{monde.demande93.pk}/change/" in liste
    assert f"/admin/demandes/demande/{monde.brouillon93.pk}/change/" not in liste
    assert client.get(reverse("admin:demandes_demande_change", args=[monde.brouillon93.pk])).status_code in (302, 404)
