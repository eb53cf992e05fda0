"""The aid computation (financements/regles.py) at its edges, without a database."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from financements.regles import (
    AideImpossible,
    arrondir_au_centime,
    calculer_aide,
    calculer_cout_smic,
    part_du_cout,
    repartir_au_centime,
)

BAREME = [
    (date(2020, 7, 1), Decimal("19875.06")),
    (date(2021, 7, 1), Decimal("20071.82")),
    (date(2022, 7, 1), Decimal("21254.00")),
    (date(2023, 7, 1), Decimal("22555.73")),
    (date(2024, 7, 1), Decimal("22810.61")),
]
SMIC = [(date(2023, 1, 1), Decimal("11.27")), (date(2024, 1, 1), Decimal("11.65")), (date(2024, 11, 1), Decimal("11.88"))]
TEMPS_PLEIN = Decimal("35")


def test_une_annee_complete_a_temps_plein_paie_exactement_le_bareme():
    echeancier = calculer_aide(date(2024, 7, 1), date(2025, 6, 30), BAREME, TEMPS_PLEIN)
    assert echeancier.total == Decimal("22810.61")
    assert len(echeancier.mois) == 12
    assert sum(m.montant for m in echeancier.mois) == Decimal("22810.61")


def test_un_mois_complet_vaut_un_douzieme_du_bareme():
    echeancier = calculer_aide(date(2024, 7, 1), date(2024, 7, 31), BAREME, TEMPS_PLEIN)
    assert echeancier.en_json() == {"total": "1900.88", "mois": [{"mois": "2024-07", "montant": "1900.88"}]}


def test_mi_temps_une_annee_arrondi_au_centime_superieur_sur_le_demi_centime():
    # 22 810,61 / 2 = 11 405,305 : arrondi commercial (half up) → 11 405,31, pas 11 405,30.
    echeancier = calculer_aide(date(2024, 7, 1), date(2025, 6, 30), BAREME, Decimal("17.5"))
    assert echeancier.total == Decimal("11405.31")
    assert sum(m.montant for m in echeancier.mois) == Decimal("11405.31")


def test_debut_le_16_d_un_mois_de_31_jours_compte_16_jours_sur_31():
    echeancier = calculer_aide(date(2024, 7, 16), date(2024, 7, 31), BAREME, TEMPS_PLEIN)
    # 22 810,61 × 16 / (12 × 31) = 364 969,76 / 372 = 981,1015…
    assert echeancier.total == Decimal("981.10")
    assert echeancier.mois[0].jours_occupes == 16 and echeancier.mois[0].jours_du_mois == 31


def test_une_vacance_au_milieu_ne_coute_rien():
    occupation = [(date(2024, 7, 1), date(2024, 9, 30)), (date(2024, 11, 1), None)]
    echeancier = calculer_aide(date(2024, 7, 1), date(2025, 6, 30), BAREME, TEMPS_PLEIN, occupation)
    octobre = next(m for m in echeancier.mois if m.cle == "2024-10")
    assert octobre.montant == Decimal("0.00") and octobre.jours_occupes == 0
    # 22 810,61 × 11 / 12 = 20 909,7258…
    assert echeancier.total == Decimal("20909.73")


def test_vacance_de_quelques_jours_dans_un_mois():
    occupation = [(date(2024, 7, 1), date(2024, 7, 10)), (date(2024, 7, 21), date(2024, 7, 31))]
    echeancier = calculer_aide(date(2024, 7, 1), date(2024, 7, 31), BAREME, TEMPS_PLEIN, occupation)
    assert echeancier.mois[0].jours_occupes == 21
    # 22 810,61 × 21 / 372 = 1 287,6957…
    assert echeancier.total == Decimal("1287.70")


def test_periode_a_cheval_sur_le_1er_juillet_prend_le_bareme_de_chaque_mois():
    echeancier = calculer_aide(date(2024, 6, 1), date(2024, 7, 31), BAREME, TEMPS_PLEIN)
    juin, juillet = echeancier.mois
    assert juin.taux_annuel == Decimal("22555.73") and juillet.taux_annuel == Decimal("22810.61")
    # 1 879,6441… + 1 900,8841… = 3 780,5283… → 3 780,53
    assert echeancier.total == Decimal("3780.53")
    # Arrondi cumulé : juin 1 879,64, puis juillet = 3 780,53 − 1 879,64 = 1 900,89.
    assert (juin.montant, juillet.montant) == (Decimal("1879.64"), Decimal("1900.89"))


def test_fevrier_bissextile_compte_29_jours():
    echeancier = calculer_aide(date(2024, 2, 15), date(2024, 2, 29), BAREME, TEMPS_PLEIN)
    assert echeancier.mois[0].jours_du_mois == 29 and echeancier.mois[0].jours_occupes == 15
    # 22 555,73 × 15 / (12 × 29) = 972,2297…
    assert echeancier.total == Decimal("972.23")


def test_fevrier_non_bissextile_compte_28_jours():
    echeancier = calculer_aide(date(2023, 2, 15), date(2023, 2, 28), BAREME, TEMPS_PLEIN)
    # 21 254,00 × 14 / (12 × 28) = 885,5833…
    assert echeancier.total == Decimal("885.58")


def test_changement_d_heures_en_cours_de_mois_par_avenant():
    heures = [(date(2024, 7, 1), date(2024, 7, 15), Decimal("35")), (date(2024, 7, 16), None, Decimal("17.5"))]
    echeancier = calculer_aide(date(2024, 7, 1), date(2024, 7, 31), BAREME, heures)
    # 22 810,61 / 12 × (15 × 35 + 16 × 17,5) / 35 / 31 = 22 810,61 × 23 / 372 = 1 410,3333…
    assert echeancier.total == Decimal("1410.33")


def test_les_mois_arrondis_en_cumule_font_exactement_le_total():
    for jour in range(1, 29):
        for heures in (Decimal("17.5"), Decimal("24.75"), Decimal("31"), TEMPS_PLEIN):
            echeancier = calculer_aide(date(2023, 3, jour), date(2025, 11, 30 - jour), BAREME, heures)
            assert sum(m.montant for m in echeancier.mois) == echeancier.total


def test_le_total_est_arrondi_une_seule_fois():
    # Trois mois d’un tiers de centime : cumuls 0,0033 → 0,00 ; 0,0067 → 0,01 ; 0,01 → 0,01.
    # Les mois font 0,00 + 0,01 + 0,00 = 0,01, le total exact arrondi (et non 3 × 0,00).
    assert repartir_au_centime([Fraction(1, 300)] * 3) == [Decimal("0.00"), Decimal("0.01"), Decimal("0.00")]


def test_arrondi_au_centime_demi_vers_le_haut():
    assert arrondir_au_centime(Fraction(1, 200)) == Decimal("0.01")
    assert arrondir_au_centime(Fraction(2499, 1000)) == Decimal("2.50")
    assert arrondir_au_centime(Fraction(-1, 200)) == Decimal("-0.01")
    assert arrondir_au_centime(Fraction(1, 201)) == Decimal("0.00")


def test_periode_impossible_refusee():
    with pytest.raises(AideImpossible, match="la fin .* précède le début"):
        calculer_aide(date(2024, 7, 2), date(2024, 7, 1), BAREME, TEMPS_PLEIN)


@pytest.mark.parametrize("heures", [Decimal("17.49"), Decimal("35.5"), Decimal("0")])
def test_heures_hors_de_17_5_a_35_refusees(heures):
    with pytest.raises(AideImpossible, match="entre 17,5 heures"):
        calculer_aide(date(2024, 7, 1), date(2024, 7, 31), BAREME, heures)


def test_periode_avant_le_premier_bareme_refusee():
    with pytest.raises(AideImpossible, match="Aucun barème de l’aide ne couvre le mois de juin 2020"):
        calculer_aide(date(2020, 6, 1), date(2020, 7, 31), BAREME, TEMPS_PLEIN)


def test_mois_sans_bareme_mais_vacant_ne_bloque_pas():
    echeancier = calculer_aide(date(2020, 6, 1), date(2020, 7, 31), BAREME, TEMPS_PLEIN, [(date(2020, 7, 1), None)])
    assert echeancier.total == Decimal("1656.26")  # 19 875,06 / 12 = 1 656,255 → 1 656,26


def test_float_refuse():
    with pytest.raises(TypeError):
        calculer_aide(date(2024, 7, 1), date(2024, 7, 31), [(date(2024, 7, 1), 22810.61)], TEMPS_PLEIN)


def test_cout_au_smic_et_part_de_l_aide():
    cout = calculer_cout_smic(date(2024, 1, 1), date(2024, 1, 31), SMIC, TEMPS_PLEIN)
    assert cout.total == Decimal("1766.96")  # 11,65 × 151,67 = 1 766,9555
    assert part_du_cout(Decimal("1879.64"), cout.total) == Decimal("106.38")
    assert part_du_cout(Decimal("1"), Decimal("0")) is None
