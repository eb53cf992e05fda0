"""Budget of a département: committed and forecast aid, the envelope guard."""

from datetime import date
from decimal import Decimal

import pytest

from conventions.budget import BudgetInsuffisant, situation_budgetaire, verifier_budget
from financements.models import Enveloppe
from tests.factories import AffectationFactory, ConventionFactory, PosteFactory

pytestmark = pytest.mark.django_db

A = Decimal("22810.61")  # barème au 1er juillet 2024, toujours en vigueur en 2025 dans le référentiel


@pytest.fixture
def convention_vacante(poste93):
    convention = ConventionFactory(
        poste=poste93,
        statut="en_cours",
        date_signature=date(2024, 12, 1),
        date_debut=date(2025, 1, 1),
        date_fin=date(2027, 12, 31),
    )
    AffectationFactory(poste=poste93, date_debut=date(2025, 1, 1), date_fin=date(2025, 3, 31))
    return convention


def test_aide_engagee_ne_compte_que_les_jours_occupes(convention_vacante, dep93):
    situation = situation_budgetaire(dep93, 2025, aujourd_hui=date(2025, 7, 1))
    assert situation.aide_engagee == Decimal("5702.65")  # 3/12 × 22 810,61 = 5 702,6525
    assert situation.mois_engages[3] == Decimal("0.00")
    assert sum(situation.mois_engages) == situation.aide_engagee


def test_aide_prevue_suppose_le_poste_pourvu_a_partir_d_aujourd_hui(convention_vacante, dep93):
    situation = situation_budgetaire(dep93, 2025, aujourd_hui=date(2025, 7, 1))
    # janvier–mars occupés, avril–juin vacants (passés), juillet–décembre supposés occupés : 9/12 × A
    assert situation.aide_prevue == Decimal("17107.96")
    assert situation.postes_engages == 1


def test_convention_en_projet_comptee_en_prevision_a_plein(dep93, employeur93):
    poste = PosteFactory(employeur=employeur93)
    ConventionFactory(poste=poste, date_debut=date(2025, 7, 1), date_fin=date(2028, 6, 30), heures_hebdomadaires=Decimal("17.5"))
    situation = situation_budgetaire(dep93, 2025, aujourd_hui=date(2025, 1, 1))
    assert situation.aide_engagee == Decimal("0.00")
    assert situation.aide_prevue == Decimal("5702.65")  # 6 mois à mi-temps : A × 6 / 24 = 5 702,6525


def test_convention_caduque_et_resiliee(dep93, employeur93):
    caduque = PosteFactory(employeur=employeur93)
    ConventionFactory(poste=caduque, statut="caduque", date_signature=date(2024, 12, 1), date_debut=date(2025, 1, 1))
    resiliee = PosteFactory(employeur=employeur93)
    ConventionFactory(
        poste=resiliee,
        statut="resiliee",
        date_signature=date(2024, 12, 1),
        date_debut=date(2025, 1, 1),
        date_fin=date(2027, 12, 31),
        motif_resiliation="manquement",
        date_resiliation=date(2025, 2, 1),
    )
    AffectationFactory(poste=resiliee, date_debut=date(2025, 1, 1))
    situation = situation_budgetaire(dep93, 2025, aujourd_hui=date(2025, 6, 1))
    assert situation.aide_engagee == situation.aide_prevue == Decimal("1900.88")  # janvier seulement
    assert situation.postes_engages == 1


def test_verifier_budget_refuse_au_dela_de_l_enveloppe(convention_vacante, dep93):
    Enveloppe.objects.create(departement=dep93, annee=2025, nombre_postes=2, montant=Decimal("20000.00"))
    # aide prévue 17 107,96 € : il reste 2 892,04 €.
    verifier_budget(dep93, 2025, Decimal("2892.04"), aujourd_hui=date(2025, 7, 1))
    with pytest.raises(BudgetInsuffisant) as refus:
        verifier_budget(dep93, 2025, Decimal("2892.05"), aujourd_hui=date(2025, 7, 1))
    message = refus.value.messages[0]
    assert "L’enveloppe 2025 du département 93 – Seine-Saint-Denis serait dépassée" in message
    assert "dépassement de 0,01\u00a0€" in message


def test_verifier_budget_sans_enveloppe(dep93):
    with pytest.raises(BudgetInsuffisant, match="Aucune enveloppe n’est ouverte"):
        verifier_budget(dep93, 2031, Decimal("1"))
    assert verifier_budget(dep93, 2031, Decimal("1"), exiger_enveloppe=False) is None


def test_le_budget_d_un_departement_ignore_les_autres(convention_vacante, poste69, dep69):
    ConventionFactory(poste=poste69, statut="en_cours", date_signature=date(2024, 12, 1), date_debut=date(2025, 1, 1))
    AffectationFactory(poste=poste69, date_debut=date(2025, 1, 1))
    assert situation_budgetaire(dep69, 2025, aujourd_hui=date(2025, 7, 1)).aide_engagee == A
