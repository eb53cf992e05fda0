"""One status vocabulary: each status set, deadline and allowed action is defined once (in the rule
modules) and imported; labels come from the model's TextChoices everywhere."""

import pytest

from conventions import models as modeles_conventions
from conventions import regles as regles_convention
from conventions.services import embauche
from demandes import models as modeles_demandes
from demandes import regles as regles_demandes
from demandes.templatetags.statuts import ton_statut
from importation import moteur
from postes import models as modeles_postes
from postes import regles as regles_postes


def test_les_statuts_des_modeles_sont_ceux_des_regles():
    assert modeles_conventions.StatutConvention is regles_convention.StatutConvention
    assert modeles_postes.StatutPoste is regles_postes.StatutPoste is regles_convention.StatutPoste
    assert modeles_demandes.StatutDemande is regles_demandes.StatutDemande
    assert modeles_conventions.Convention._meta.get_field("statut").choices == regles_convention.StatutConvention.choices
    assert modeles_postes.Poste._meta.get_field("statut").choices == regles_postes.StatutPoste.choices
    assert modeles_demandes.Demande._meta.get_field("statut").choices == regles_demandes.StatutDemande.choices


def test_statuts_signes_definis_une_fois_et_importes_par_le_modele_et_l_import():
    assert modeles_conventions.STATUTS_SIGNES is regles_convention.STATUTS_SIGNES
    assert not hasattr(moteur, "STATUTS_SIGNES")
    assert moteur.STATUTS_DATES_DE_SIGNATURE is modeles_conventions.STATUTS_DATES_DE_SIGNATURE


def test_une_convention_resiliee_a_ete_signee_mais_n_exige_pas_de_nouvelle_date():
    assert "resiliee" in regles_convention.STATUTS_SIGNES
    assert "resiliee" not in regles_convention.STATUTS_DATES_DE_SIGNATURE


def test_embauche_et_avenant_suivent_les_memes_statuts_en_vigueur():
    assert embauche.STATUTS_PERMETTANT_L_EMBAUCHE is regles_convention.STATUTS_EN_VIGUEUR


def test_les_libelles_des_demandes_dans_une_phrase_sont_ceux_du_modele():
    assert regles_demandes.LIBELLES == {s.value: s.label.lower() for s in modeles_demandes.StatutDemande}


def test_le_preavis_de_l_employeur_est_celui_de_la_regle():
    assert not hasattr(modeles_conventions, "PREAVIS_RESILIATION_EMPLOYEUR_MOIS")
    assert modeles_conventions.PREAVIS_EMPLOYEUR_MOIS is regles_convention.PREAVIS_EMPLOYEUR_MOIS


@pytest.mark.parametrize(
    "statut, ton",
    [
        ("actif", "success"),
        ("en_cours", "success"),
        ("en_attente", "warning"),
        ("ferme", "error"),
        ("caduque", "error"),
        ("deposee", "info"),
        ("en_instruction", "info"),
        ("brouillon", "info"),
    ],
)
def test_couleur_des_badges_de_statut(statut, ton):
    # « en » ou « a » n’est pas un statut : l’ancien gabarit cherchait le statut dans une chaîne.
    assert ton_statut(statut) == ton
    assert ton_statut("en") == "info" and ton_statut("a") == "info"
