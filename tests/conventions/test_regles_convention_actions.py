"""The actions allowed on a convention: one pure rule (conventions.regles.actions_permises),
asked by the page and by the services."""

import pytest

from conventions.regles import AVENANT, CADUCITE, RENOUVELER, RESILIER, SIGNER, EtatConvention, actions_permises, motif_refus


def etat(statut, deja=0, renouvelee_par=None, maximum=1):
    return EtatConvention(statut, statut, deja, renouvelee_par, maximum)


def test_un_projet_se_signe_seulement():
    assert actions_permises(etat("projet")) == {SIGNER}


def test_une_convention_initiale_en_cours_se_renouvelle_se_resilie_et_se_modifie():
    assert actions_permises(etat("en_cours")) == {RESILIER, RENOUVELER, AVENANT}


def test_un_renouvellement_ne_se_renouvelle_pas_quand_la_limite_d_un_est_atteinte():
    """Art. L5134-103, instruction du 8 septembre 2025 : une seule fois."""
    assert RENOUVELER not in actions_permises(etat("en_cours", deja=1, maximum=1))
    assert "limité à 1" in motif_refus(RENOUVELER, etat("en_cours", deja=1, maximum=1))
    assert RENOUVELER in actions_permises(etat("en_cours", deja=1, maximum=2))


def test_une_convention_deja_renouvelee_ne_se_renouvelle_plus():
    assert "déjà été renouvelée (convention X-2)" in motif_refus(RENOUVELER, etat("echue", renouvelee_par="X-2"))


@pytest.mark.parametrize("statut", ["echue", "resiliee", "caduque"])
def test_apres_la_fin_ni_avenant_ni_resiliation(statut):
    assert not {AVENANT, RESILIER} & actions_permises(etat(statut))


@pytest.mark.parametrize("statut", ["resiliee", "caduque", "projet"])
def test_ni_renouvellement_d_une_convention_resiliee_caduque_ou_en_projet(statut):
    assert RENOUVELER not in actions_permises(etat(statut))


def test_caducite_permise_seulement_quand_la_regle_du_jour_la_constate():
    """Art. D5134-147 à D5134-154 : personne embauché dans les cinq mois qui suivent le début."""
    assert CADUCITE in actions_permises(EtatConvention("en_cours", "en cours", caduque_ce_jour=True))
    assert CADUCITE not in actions_permises(EtatConvention("en_cours", "en cours"))
    assert "ne peut pas être déclarée caduque" in motif_refus(CADUCITE, EtatConvention("echue", "échue"))
