"""The request workflow, from the draft to the decision, through demandes/services.py."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError

from conventions.budget import postes_engages
from conventions.models import Convention
from conventions.regles import StatutConvention
from demandes import services as services
from demandes.models import Demande, EvenementDemande, NoteInstruction
from demandes.regles import StatutDemande
from financements.enveloppes import EnveloppeInsuffisante
from postes.models import Poste
from postes.regles import StatutPoste
from tests.factories import (
    AgentFactory,
    ConventionFactory,
    DemandeFactory,
    EmployeurFactory,
    EnveloppeFactory,
    PosteFactory,
    QuartierFactory,
    debut_souhaite,
    demande_complete,
    demande_en_instruction,
    departement,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def demande(employeur93, membre93):
    return demande_complete(employeur93, cree_par=membre93)


@pytest.fixture
def enveloppe(dep93):
    return EnveloppeFactory(departement=dep93, annee=debut_souhaite().year, nombre_postes=30)


def test_depot_d_un_brouillon_complet_accuse_reception_par_courriel(demande, membre93, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.deposer_demande(demande, membre93)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.DEPOSEE and demande.date_depot is not None
    evenement = demande.evenements.get()
    assert (evenement.type, evenement.statut_avant, evenement.statut_apres, evenement.auteur) == (
        "depot",
        "brouillon",
        "deposee",
        membre93,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [membre93.email]
    assert f"Demande n° {demande.numero} déposée : accusé de réception" == mail.outbox[0].subject
    assert f"/demandes/{demande.pk}/" in mail.outbox[0].body


def test_depot_incomplet_refuse_et_liste_chaque_manque(employeur93, membre93):
    brouillon = services.creer_demande(employeur93, membre93)
    with pytest.raises(services.DemandeIncomplete) as erreur:
        services.deposer_demande(brouillon, membre93)
    assert len(erreur.value.manques) == 9  # the hours default to full time
    assert "Choisissez au moins un quartier prioritaire d’intervention." in str(erreur.value)
    brouillon.refresh_from_db()
    assert brouillon.statut == StatutDemande.BROUILLON and not brouillon.evenements.exists()


def test_depot_refuse_pour_un_employeur_non_eligible(dep93):
    societe = EmployeurFactory(departement=dep93, forme_juridique="societe")
    demande = demande_complete(societe)
    with pytest.raises(services.DemandeIncomplete, match="L5134-101"):
        services.deposer_demande(demande, None)


def test_quartier_d_un_autre_departement_refuse_et_departement_suit_le_quartier(employeur93, membre93, dep69):
    brouillon = services.creer_demande(employeur93, membre93)
    assert brouillon.departement.code == "93"
    q69 = QuartierFactory(departement=dep69, code="QN06999M")
    services.ajouter_quartier(brouillon, q69)
    brouillon.refresh_from_db()
    assert brouillon.departement.code == "69"  # instructed by the prefecture of the QPV
    with pytest.raises(services.ErreurDemande, match="un seul département"):
        services.ajouter_quartier(brouillon, QuartierFactory(departement=employeur93.departement, code="QN09398M"))
    services.retirer_quartier(brouillon, q69)
    brouillon.refresh_from_db()
    assert brouillon.departement.code == "93"


def test_quartier_de_la_geographie_2015_refuse(employeur93, membre93):
    brouillon = services.creer_demande(employeur93, membre93)
    ancien = QuartierFactory(code="QP093099", geographie="2015")
    with pytest.raises(services.ErreurDemande, match="géographie prioritaire en vigueur"):
        services.ajouter_quartier(brouillon, ancien)


def test_demande_de_complements_puis_nouveau_depot(demande, membre93, agent93, django_capture_on_commit_callbacks):
    demande_en_instruction(demande, membre93, agent93)
    assert demande.instructeur == agent93  # the agent who starts instructing is designated
    with pytest.raises(services.ErreurDemande, match="message est obligatoire"):
        services.demander_complements(demande, agent93, "  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.demander_complements(demande, agent93, "Joignez les statuts signés.")
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.A_COMPLETER and demande.modifiable_par_l_employeur
    assert mail.outbox[-1].subject == f"Demande n° {demande.numero} : compléments demandés"
    assert "Joignez les statuts signés." in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        services.deposer_demande(demande, membre93)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.EN_INSTRUCTION
    assert "complétée" in mail.outbox[-1].subject
    assert list(demande.evenements.values_list("type", flat=True)) == [
        "depot",
        "prise_en_instruction",
        "demande_complements",
        "nouveau_depot",
    ]


def test_demande_en_instruction_n_est_plus_modifiable_par_l_employeur(demande, membre93, agent93):
    demande_en_instruction(demande, membre93, agent93)
    with pytest.raises(services.ErreurDemande, match="ne peut plus être modifiée"):
        services.retirer_quartier(demande, demande.quartiers.first())
    with pytest.raises(services.ErreurDemande):
        services.deposer_demande(demande, membre93)


def test_pas_de_decision_sur_un_brouillon(demande, agent93, enveloppe):
    with pytest.raises(services.ErreurDemande, match="brouillon"):
        services.accepter_demande(demande, agent93)
    with pytest.raises(services.ErreurDemande, match="brouillon"):
        services.refuser_demande(demande, agent93, "Hors programme")
    assert not Poste.objects.exists()


def test_pas_de_decision_sur_une_demande_deposee_non_instruite(demande, membre93, agent93, enveloppe):
    services.deposer_demande(demande, membre93)
    with pytest.raises(services.ErreurDemande, match="en instruction"):
        services.accepter_demande(demande, agent93)


def test_refus_motive_obligatoire_et_decision_definitive(
    demande, membre93, agent93, enveloppe, django_capture_on_commit_callbacks
):
    demande_en_instruction(demande, membre93, agent93)
    with pytest.raises(services.ErreurDemande, match="motivé"):
        services.refuser_demande(demande, agent93, "")
    with django_capture_on_commit_callbacks(execute=True):
        services.refuser_demande(demande, agent93, "Missions de gardiennage, pas de médiation.")
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.REFUSEE and demande.date_decision
    assert mail.outbox[-1].subject == f"Demande n° {demande.numero} : demande refusée"
    assert "Missions de gardiennage" in mail.outbox[-1].body
    with pytest.raises(services.ErreurDemande, match="définitive"):
        services.accepter_demande(demande, agent93)
    with pytest.raises(services.ErreurDemande, match="définitive"):
        services.classer_sans_suite(demande, agent93)
    assert not Poste.objects.exists()


def test_refus_sans_motif_interdit_aussi_en_base(demande):
    demande.statut = StatutDemande.REFUSEE
    demande.date_depot = demande.date_decision = demande.cree_le
    with pytest.raises(IntegrityError):
        demande.save()


def test_classement_sans_suite_motif_facultatif(demande, membre93, agent93):
    demande_en_instruction(demande, membre93, agent93)
    services.classer_sans_suite(demande, agent93)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.CLASSEE_SANS_SUITE


def test_acceptation_cree_le_poste_la_convention_et_consomme_l_enveloppe(
    demande, membre93, agent93, enveloppe, django_capture_on_commit_callbacks
):
    demande_en_instruction(demande, membre93, agent93)
    annee = debut_souhaite().year
    avant = postes_engages(enveloppe.departement, annee)
    with django_capture_on_commit_callbacks(execute=True):
        poste = services.accepter_demande(demande, agent93, "Projet conforme au contrat de ville.")
    assert poste.identifiant == f"093{annee % 100:02d}R000101"
    assert poste.statut == StatutPoste.EN_ATTENTE
    assert poste.employeur == demande.employeur and poste.departement.code == "93"
    assert poste.heures_hebdomadaires == Decimal("35") and poste.missions == demande.missions
    assert set(poste.domaines.all()) == set(demande.domaines.all())
    assert set(poste.quartiers.all()) == set(demande.quartiers.all())
    convention = poste.conventions.get()
    assert convention.numero == f"{poste.identifiant}-1"
    assert convention.statut == StatutConvention.PROJET
    assert convention.date_debut == debut_souhaite()
    assert convention.date_fin == date(annee + 3, 1, 14)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.ACCEPTEE and demande.poste == poste and demande.annee_enveloppe == annee
    assert postes_engages(enveloppe.departement, annee) == avant + 1
    assert mail.outbox[-1].subject == f"Demande n° {demande.numero} : demande acceptée"
    assert poste.identifiant in mail.outbox[-1].body
    assert demande.evenements.last().type == "acceptation"


def test_numero_d_ordre_suit_le_dernier_poste_du_departement_et_de_l_annee(demande, membre93, agent93, enveloppe):
    annee = debut_souhaite().year % 100
    PosteFactory(employeur=demande.employeur, identifiant=f"093{annee:02d}R004102")
    PosteFactory(employeur=demande.employeur, identifiant=f"093{(annee - 1) % 100:02d}R009901")
    demande_en_instruction(demande, membre93, agent93)
    assert services.accepter_demande(demande, agent93).identifiant == f"093{annee:02d}R004201"


def test_enveloppe_epuisee_refuse_l_acceptation_sans_rien_ecrire(demande, membre93, agent93, dep93):
    annee = debut_souhaite().year
    EnveloppeFactory(departement=dep93, annee=annee, nombre_postes=1)
    ConventionFactory(poste=PosteFactory(employeur=demande.employeur), date_debut=date(annee, 1, 1), date_fin=date(annee, 12, 31))
    demande_en_instruction(demande, membre93, agent93)
    with pytest.raises(EnveloppeInsuffisante, match=f"L’enveloppe {annee} du département 93 est épuisée : 1 poste engagé sur 1"):
        services.accepter_demande(demande, agent93)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.EN_INSTRUCTION and demande.poste is None
    assert Poste.objects.count() == 1 and Convention.objects.count() == 1


def test_euros_de_l_enveloppe_insuffisants_refusent_l_acceptation_sans_rien_ecrire(demande, membre93, agent93, dep93):
    # Posts remain (30) but the euros do not cover a year of aid for the new post.
    EnveloppeFactory(departement=dep93, annee=debut_souhaite().year, nombre_postes=30, montant=Decimal("1000"))
    demande_en_instruction(demande, membre93, agent93)
    with pytest.raises(EnveloppeInsuffisante, match="€"):
        services.accepter_demande(demande, agent93)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.EN_INSTRUCTION and demande.poste is None
    assert not Poste.objects.exists() and not Convention.objects.exists()


def test_sans_enveloppe_pour_l_annee_l_acceptation_est_refusee(demande, membre93, agent93, dep93):
    EnveloppeFactory(departement=dep93, annee=debut_souhaite().year - 1)
    demande_en_instruction(demande, membre93, agent93)
    with pytest.raises(EnveloppeInsuffisante, match="Aucune enveloppe n’est ouverte pour le département 93"):
        services.accepter_demande(demande, agent93)


def test_affectation_a_un_agent_du_departement_seulement(demande, membre93, agent93, agent69):
    services.deposer_demande(demande, membre93)
    collegue = AgentFactory(departements=[departement("93")], prenom="Lou", nom="Collègue")
    services.affecter_instructeur(demande, collegue, agent93)
    demande.refresh_from_db()
    assert demande.instructeur == collegue
    evenement = demande.evenements.last()
    assert evenement.type == "affectation" and not evenement.visible_par_l_employeur
    with pytest.raises(services.ErreurDemande, match="n’est pas agent du département 93"):
        services.affecter_instructeur(demande, agent69, agent93)


def test_notes_privees_non_vides(demande, membre93, agent93):
    services.deposer_demande(demande, membre93)
    with pytest.raises(services.ErreurDemande, match="vide"):
        services.ajouter_note(demande, agent93, " ")
    services.ajouter_note(demande, agent93, "Appeler la directrice.")
    assert NoteInstruction.objects.for_user(agent93).count() == 1
    assert not NoteInstruction.objects.for_user(membre93).exists()


def test_reprise_de_l_instruction_par_la_prefecture(demande, membre93, agent93):
    demande_en_instruction(demande, membre93, agent93)
    services.demander_complements(demande, agent93, "Budget signé ?")
    services.reprendre_instruction(demande, agent93)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.EN_INSTRUCTION


def test_suppression_d_un_brouillon_seulement(demande, membre93, agent93):
    autre = DemandeFactory(employeur=demande.employeur)
    services.supprimer_brouillon(autre)
    assert not Demande.objects.filter(pk=autre.pk).exists()
    services.deposer_demande(demande, membre93)
    with pytest.raises(services.ErreurDemande, match="Seul un brouillon"):
        services.supprimer_brouillon(demande)


def test_chaque_transition_laisse_une_trace_datee_et_signee(demande, membre93, agent93, enveloppe):
    demande_en_instruction(demande, membre93, agent93)
    services.accepter_demande(demande, agent93)
    evenements = list(EvenementDemande.objects.filter(demande=demande))
    assert [(e.auteur, e.statut_apres) for e in evenements] == [
        (membre93, "deposee"),
        (agent93, "en_instruction"),
        (agent93, "acceptee"),
    ]
    assert all(e.date for e in evenements)
    assert demande.history.count() >= 4  # django-simple-history keeps every version


def test_postes_engages_ignore_les_conventions_caduques_et_les_autres_annees(dep93, employeur93):
    annee = 2026
    en_cours = PosteFactory(employeur=employeur93)
    ConventionFactory(
        poste=en_cours,
        date_debut=date(2025, 6, 1),
        date_fin=date(2028, 5, 31),
        statut="en_cours",
        date_signature=date(2025, 5, 1),
    )
    ConventionFactory(poste=en_cours, date_debut=date(2026, 1, 1), date_fin=date(2026, 12, 31))  # counted once
    caduque = PosteFactory(employeur=employeur93)
    ConventionFactory(
        poste=caduque,
        date_debut=date(2026, 1, 1),
        date_fin=date(2028, 12, 31),
        statut="caduque",
        date_signature=date(2025, 12, 1),
    )
    echue = PosteFactory(employeur=employeur93)
    ConventionFactory(
        poste=echue, date_debut=date(2022, 1, 1), date_fin=date(2024, 12, 31), statut="echue", date_signature=date(2021, 12, 1)
    )
    sans_convention = PosteFactory(employeur=employeur93)
    DemandeFactory(
        employeur=employeur93,
        statut="acceptee",
        poste=sans_convention,
        annee_enveloppe=annee,
        date_depot=datetime(2025, 12, 31, tzinfo=UTC),
        date_decision=datetime(2026, 1, 2, tzinfo=UTC),
    )
    assert postes_engages(dep93, annee) == 2
    assert postes_engages(dep93, 2023) == 1
