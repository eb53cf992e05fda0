"""Eligibility rules of art. L5134-102 (age, situation, residence) and L5134-101 (employer), pure
functions tested at their edges, without a database."""

from datetime import date

import pytest

from titulaires.regles import (
    QuartierResidence,
    RegleAge,
    age_le,
    anniversaire,
    critere_age,
    critere_employeur,
    critere_residence,
    critere_situation,
    diagnostiquer,
    regle_age_en_vigueur,
)

# The seeded rules (migration postes 0004): 30 years from the start of the programme, 26 from 16/09/2021.
REGLES = [RegleAge(date(1999, 1, 1), 30), RegleAge(date(2021, 9, 16), 26)]
SAINT_DENIS = QuartierResidence("QN09339M", "Floréal Saussaie Allende", "2024")
QUARTIER_2015 = QuartierResidence("QP093028", "Franc Moisin", "2015")


def age_ok(naissance, contrat, regles=REGLES):
    critere, _ = critere_age(naissance, contrat, regles)
    return critere.ok


# --- Age -----------------------------------------------------------------------------------------


def test_age_minimum_26_ans_pour_contrat_signe_apres_16_09_2021():
    assert age_ok(date(1998, 1, 10), date(2024, 1, 10))  # 26 years that very day
    assert not age_ok(date(1998, 1, 11), date(2024, 1, 10))  # 25 years, 26 the day after


def test_la_veille_de_l_anniversaire_n_a_pas_encore_l_age():
    assert not age_ok(date(1997, 6, 15), date(2023, 6, 14))
    assert age_ok(date(1997, 6, 15), date(2023, 6, 15))


def test_age_minimum_30_ans_pour_contrat_signe_le_15_09_2021():
    # 27 years old: eligible from 16/09/2021 (26), not the day before (30).
    naissance = date(1994, 3, 1)
    assert not age_ok(naissance, date(2021, 9, 15))
    assert age_ok(naissance, date(2021, 9, 16))


def test_contrat_du_15_09_2021_suit_la_regle_des_30_ans_au_jour_pres():
    assert age_ok(date(1991, 9, 15), date(2021, 9, 15))  # 30 years that day
    assert not age_ok(date(1991, 9, 16), date(2021, 9, 15))  # 30 years the day after


def test_le_motif_dit_l_age_le_seuil_et_la_date_ou_il_sera_atteint():
    critere, regle = critere_age(date(1998, 6, 20), date(2024, 3, 15), REGLES)
    assert regle == RegleAge(date(2021, 9, 16), 26)
    assert critere.motif == (
        "25 ans le 15/03/2024 : il faut au moins 26 ans pour un contrat signé à partir du 16/09/2021 ; "
        "26 ans atteints le 20/06/2024."
    )
    assert "L5134-102" in critere.article and "D5134-155" in critere.article


def test_ne_un_29_fevrier_a_son_anniversaire_le_1er_mars_les_annees_communes():
    assert anniversaire(date(2000, 2, 29), 2023) == date(2023, 3, 1)
    assert anniversaire(date(2000, 2, 29), 2024) == date(2024, 2, 29)
    assert age_le(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_le(date(2000, 2, 29), date(2026, 3, 1)) == 26


def test_ne_un_29_fevrier_eligible_le_1er_mars_d_une_annee_commune_pas_le_28_fevrier():
    naissance = date(1996, 2, 29)
    assert not age_ok(naissance, date(2022, 2, 28))
    assert age_ok(naissance, date(2022, 3, 1))


def test_ne_un_29_fevrier_atteint_l_age_le_29_fevrier_d_une_annee_bissextile():
    regles = [RegleAge(date(1999, 1, 1), 28)]
    naissance = date(1996, 2, 29)  # 28 years in 2024, a leap year
    assert not age_ok(naissance, date(2024, 2, 28), regles)
    assert age_ok(naissance, date(2024, 2, 29), regles)


def test_ne_un_28_fevrier_a_son_anniversaire_le_28_fevrier_meme_une_annee_bissextile():
    assert not age_ok(date(1998, 2, 28), date(2024, 2, 27))
    assert age_ok(date(1998, 2, 28), date(2024, 2, 28))


def test_regle_en_vigueur_est_la_plus_recente_avant_le_contrat():
    assert regle_age_en_vigueur(REGLES, date(2021, 9, 15)).age_minimum == 30
    assert regle_age_en_vigueur(REGLES, date(2021, 9, 16)).age_minimum == 26
    assert regle_age_en_vigueur(list(reversed(REGLES)), date(2030, 1, 1)).age_minimum == 26


def test_une_regle_ajoutee_par_l_administrateur_s_applique_a_partir_de_sa_date():
    regles = [*REGLES, RegleAge(date(2027, 1, 1), 25)]
    naissance = date(2001, 6, 1)  # 25 years in 2026 and 2027
    assert not age_ok(naissance, date(2026, 12, 31), regles)
    assert age_ok(naissance, date(2027, 1, 1), regles)


def test_sans_regle_en_vigueur_le_critere_d_age_n_est_pas_rempli():
    critere, regle = critere_age(date(1960, 1, 1), date(1998, 12, 31), REGLES)
    assert not critere.ok and regle is None
    assert "Aucune règle" in critere.motif


def test_naissance_apres_le_contrat_est_une_erreur():
    with pytest.raises(ValueError):
        critere_age(date(2025, 1, 2), date(2025, 1, 1), REGLES)


# --- Situation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("situation", "eligible"), [("sans_emploi", True), ("cui", True), ("en_emploi", False)])
def test_situation_sans_emploi_ou_cui_cae_eligible_en_emploi_non(situation, eligible):
    critere = critere_situation(situation)
    assert critere.ok is eligible
    assert critere.article == "art. L5134-102 du code du travail"


def test_situation_inconnue_refusee():
    with pytest.raises(ValueError):
        critere_situation("etudiant")


# --- Residence -----------------------------------------------------------------------------------


def test_residence_dans_un_qpv_de_la_geographie_en_vigueur():
    critere = critere_residence(SAINT_DENIS, "", "2024")
    assert critere.ok
    assert "Floréal Saussaie Allende (QN09339M)" in critere.motif


def test_residence_hors_qpv_sans_derogation_non_eligible():
    critere = critere_residence(None, "", "2024")
    assert not critere.ok
    assert "aucune dérogation" in critere.motif


def test_residence_hors_qpv_avec_derogation_motivee_eligible():
    critere = critere_residence(None, "Réside à 150 m du quartier, connue des habitants.", "2024")
    assert critere.ok
    assert "dérogation du préfet : Réside à 150 m du quartier" in critere.motif
    assert "D5134-151" in critere.article


def test_derogation_sans_motif_ne_compte_pas():
    assert not critere_residence(None, "   ", "2024").ok


def test_un_qpv_de_la_geographie_2015_ne_suffit_plus():
    critere = critere_residence(QUARTIER_2015, "", "2024")
    assert not critere.ok
    assert "géographie 2015" in critere.motif


# --- Employer and whole diagnosis ------------------------------------------------------------------


def test_employeur_association_eligible_societe_commerciale_non():
    assert critere_employeur("association").ok
    societe = critere_employeur("societe")
    assert not societe.ok and societe.article == "art. L5134-101 du code du travail"
    assert not critere_employeur("etat").ok


def test_diagnostic_eligible_quand_les_trois_criteres_sont_remplis():
    diagnostic = diagnostiquer(
        naissance=date(1990, 5, 17),
        date_contrat=date(2024, 3, 1),
        situation="cui",
        qpv=SAINT_DENIS,
        derogation="",
        regles_age=REGLES,
        geographie_en_vigueur="2024",
    )
    assert diagnostic.eligible
    assert [c.critere for c in diagnostic.criteres] == ["age", "situation", "residence"]
    assert diagnostic.version_regles == (
        "L5134-102 : âge minimum 26 ans (règle du 16/09/2021) ; quartiers prioritaires, géographie 2024"
    )


def test_diagnostic_non_eligible_des_qu_un_critere_manque():
    diagnostic = diagnostiquer(
        naissance=date(1990, 5, 17),
        date_contrat=date(2024, 3, 1),
        situation="en_emploi",
        qpv=SAINT_DENIS,
        derogation="",
        regles_age=REGLES,
        geographie_en_vigueur="2024",
    )
    assert not diagnostic.eligible
    assert [c.ok for c in diagnostic.criteres] == [True, False, True]
