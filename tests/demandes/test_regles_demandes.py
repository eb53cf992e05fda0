"""Rules of a request, without the database: workflow, completeness, identifier, envelope."""

from datetime import date
from decimal import Decimal

import pytest

from demandes.regles import (
    DECISIONS,
    TRANSITIONS,
    StatutDemande,
    TypePiece,
    departement_de_la_demande,
    elements_manquants,
    erreur_transition,
    identifiant_poste,
    pieces_exigees,
    prefixe_identifiant,
    sequence_suivante,
    transition_autorisee,
)
from financements.enveloppes import SituationEnveloppe, erreur_reservation

AUJOURD_HUI = date(2026, 3, 10)


def test_les_statuts_des_regles_sont_ceux_du_modele():
    assert set(TRANSITIONS) == set(StatutDemande.values)


def test_chemin_complet_du_brouillon_a_la_decision():
    chemin = ["brouillon", "deposee", "en_instruction", "a_completer", "en_instruction", "acceptee"]
    assert all(transition_autorisee(a, b) for a, b in zip(chemin, chemin[1:]))


@pytest.mark.parametrize("decision", sorted(DECISIONS))
def test_pas_de_decision_sur_un_brouillon(decision):
    assert not transition_autorisee("brouillon", decision)
    assert "brouillon" in erreur_transition("brouillon", decision)


@pytest.mark.parametrize("avant", sorted(DECISIONS))
def test_une_decision_est_definitive(avant):
    for apres in TRANSITIONS:
        assert not transition_autorisee(avant, apres)
    assert "définitive" in erreur_transition(avant, "acceptee")


def test_pas_de_decision_sans_instruction():
    assert not transition_autorisee("deposee", "acceptee")
    assert not transition_autorisee("a_completer", "refusee")
    assert "en instruction" in erreur_transition("a_completer", "refusee")


def test_pas_de_retour_au_brouillon_ni_de_saut():
    assert not transition_autorisee("deposee", "brouillon")
    assert not transition_autorisee("brouillon", "en_instruction")
    assert not transition_autorisee("deposee", "a_completer")


def complete(**kwargs):
    valeurs = dict(
        forme_juridique="association",
        projet="Médiation école-familles",
        missions="Accueil des familles",
        nombre_domaines=1,
        departements_quartiers=["93"],
        heures_hebdomadaires=Decimal("35"),
        date_debut_souhaitee=date(2026, 9, 1),
        budget_previsionnel=Decimal("30000"),
        pieces={"statuts", "budget_previsionnel", "derniers_comptes"},
        aujourd_hui=AUJOURD_HUI,
    )
    valeurs.update(kwargs)
    return elements_manquants(**valeurs)


def test_demande_complete_d_une_association_eligible_peut_etre_deposee():
    assert complete() == []


def test_demande_vide_explique_chaque_element_manquant_en_francais():
    manques = complete(
        projet="",
        missions=" ",
        nombre_domaines=0,
        departements_quartiers=[],
        heures_hebdomadaires=None,
        date_debut_souhaitee=None,
        budget_previsionnel=None,
        pieces=set(),
    )
    messages = [m.message for m in manques]
    assert messages == [
        "Décrivez la nature du projet (art. D5134-151).",
        "Décrivez les missions confiées à l’adulte-relais.",
        "Choisissez au moins un domaine de médiation.",
        "Choisissez au moins un quartier prioritaire d’intervention.",
        "Indiquez la durée hebdomadaire de travail.",
        "Indiquez la date de début souhaitée.",
        "Indiquez le budget prévisionnel annuel du poste.",
        "Joignez le budget prévisionnel du poste.",
        "Joignez les statuts à jour de l’association.",
        "Joignez les derniers comptes approuvés.",
    ]
    assert {m.etape for m in manques} == {"projet", "quartiers", "organisation", "financement", "pieces"}


def test_societe_commerciale_non_eligible_au_depot_art_L5134_101():
    manques = complete(forme_juridique="societe")
    assert len(manques) == 1
    assert manques[0].etape == "structure"
    assert "L5134-101" in manques[0].message and "non éligible" in manques[0].message


def test_heures_hors_du_mi_temps_au_temps_plein_refusees():
    assert "17,5 heures" in complete(heures_hebdomadaires=Decimal("17"))[0].message
    assert complete(heures_hebdomadaires=Decimal("17.5")) == []
    assert complete(heures_hebdomadaires=Decimal("35.5"))[0].etape == "organisation"


def test_date_de_debut_passee_refusee():
    assert "01/03/2026" in complete(date_debut_souhaitee=date(2026, 3, 1))[0].message
    assert complete(date_debut_souhaitee=AUJOURD_HUI) == []


def test_quartiers_de_deux_departements_refuses():
    assert "93, 95" in complete(departements_quartiers=["93", "95"])[0].message


def test_collectivite_ne_joint_que_le_budget():
    assert pieces_exigees("collectivite") == (TypePiece.BUDGET,)
    assert complete(forme_juridique="collectivite", pieces={"budget_previsionnel"}) == []
    assert set(pieces_exigees("association")) == {TypePiece.BUDGET, TypePiece.STATUTS, TypePiece.COMPTES}


def test_departement_suit_le_quartier_d_intervention_sinon_la_structure():
    assert departement_de_la_demande("75", []) == "75"
    assert departement_de_la_demande("75", ["93", "93"]) == "93"


def test_identifiant_de_poste_au_format_anct():
    assert identifiant_poste("93", 2026, 1) == "09326R000101"
    assert identifiant_poste("2A", 2026, 12) == "02A26R001201"
    assert identifiant_poste("974", 2031, 9999) == "97431R999901"
    assert prefixe_identifiant("69", 2025) == "06925R"
    with pytest.raises(ValueError):
        identifiant_poste("93", 2026, 10000)


def test_sequence_suivante_du_departement_et_de_l_annee_toutes_versions():
    existants = ["09326R000101", "09326R000302", "09325R000901", "06926R000701"]
    assert sequence_suivante(existants, "09326R") == 4
    assert sequence_suivante([], "09326R") == 1


def test_enveloppe_absente_ou_epuisee_refuse_en_francais():
    assert "Aucune enveloppe" in erreur_reservation(None, 0, 2026, "93")
    message = erreur_reservation(30, 30, 2026, "93")
    assert "épuisée" in message and "30 postes engagés sur 30" in message
    assert erreur_reservation(30, 29, 2026, "93") is None


def test_libelle_du_compteur_d_enveloppe():
    assert SituationEnveloppe(2026, "93", 30, 12).libelle == "Enveloppe 2026 : 12 postes engagés sur 30"
    assert SituationEnveloppe(2026, "93", 30, 1).libelle == "Enveloppe 2026 : 1 poste engagé sur 30"
    assert SituationEnveloppe(2026, "93", 30, 12).restants == 18
    assert not SituationEnveloppe(2026, "93", None, 0).ouverte


@pytest.mark.parametrize(
    "statut, attendues",
    [
        ("deposee", {"instruire", "affecter"}),
        ("en_instruction", {"decider", "demander_complements", "affecter"}),
        ("a_completer", {"reprendre", "affecter"}),
        ("brouillon", {"affecter"}),
        ("acceptee", set()),
        ("refusee", set()),
    ],
)
def test_les_actions_offertes_a_l_agent_suivent_les_transitions_permises(statut, attendues):
    from demandes.regles import actions_agent

    assert actions_agent(statut) == attendues
