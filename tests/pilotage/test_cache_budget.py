"""The dashboard reads budget figures from a shared cache, and never shows a stale one."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.management import call_command

from conventions.budget import situations_budgetaires
from conventions.models import Avenant, Convention
from pilotage.cache_budget import CACHE, compacter_journal_budget, empreintes, situations_du_tableau_de_bord
from pilotage.models import JournalBudget
from tests.factories import AffectationFactory, ConventionFactory, PosteFactory, convention_signee

pytestmark = pytest.mark.django_db
JOUR = date(2024, 6, 15)


@pytest.fixture(autouse=True)
def cache_vide():
    caches[CACHE].clear()


def poste_occupe(dep, debut=date(2024, 1, 1)):
    poste = PosteFactory(departement=dep, employeur__departement=dep)
    convention_signee(poste, debut, date(2026, 12, 31))
    AffectationFactory(poste=poste, date_debut=debut)
    return poste


def test_chiffres_du_cache_identiques_au_calcul_direct(dep93, dep69):
    poste_occupe(dep93)
    poste_occupe(dep69, date(2024, 3, 16))
    direct = situations_budgetaires([dep93, dep69], 2024, JOUR)
    premier = situations_du_tableau_de_bord([dep93, dep69], 2024, JOUR)
    second = situations_du_tableau_de_bord([dep93, dep69], 2024, JOUR)  # read from the cache
    for pk in (dep93.pk, dep69.pk):
        for s in (premier[pk], second[pk]):
            assert (s.aide_engagee, s.aide_prevue, s.mois_engages, s.postes_engages) == (
                direct[pk].aide_engagee,
                direct[pk].aide_prevue,
                direct[pk].mois_engages,
                direct[pk].postes_engages,
            )
    assert direct[dep93.pk].aide_engagee > Decimal("0")


def test_une_nouvelle_affectation_change_l_empreinte_et_le_chiffre(dep93):
    poste = poste_occupe(dep93)
    avant = situations_du_tableau_de_bord([dep93], 2024, JOUR)[dep93.pk].aide_engagee
    empreinte = empreintes([dep93.pk])[dep93.pk]
    autre = poste_occupe(dep93, date(2024, 2, 1))
    assert empreintes([dep93.pk])[dep93.pk] != empreinte
    apres = situations_du_tableau_de_bord([dep93], 2024, JOUR)[dep93.pk].aide_engagee
    assert apres > avant and autre.pk != poste.pk


def test_une_modification_d_affectation_change_l_empreinte(dep93):
    poste = poste_occupe(dep93)
    situations_du_tableau_de_bord([dep93], 2024, JOUR)
    empreinte = empreintes([dep93.pk])[dep93.pk]
    affectation = poste.affectations.get()
    affectation.date_fin = date(2024, 3, 31)
    affectation.save()
    assert empreintes([dep93.pk])[dep93.pk] != empreinte
    assert (
        situations_du_tableau_de_bord([dep93], 2024, JOUR)[dep93.pk].aide_engagee
        == situations_budgetaires([dep93], 2024, JOUR)[dep93.pk].aide_engagee
    )


def test_une_modification_ailleurs_ne_touche_pas_l_empreinte_du_departement(dep93, dep69):
    poste_occupe(dep93)
    empreinte = empreintes([dep93.pk])[dep93.pk]
    poste_occupe(dep69)
    assert empreintes([dep93.pk])[dep93.pk] == empreinte


def test_commande_de_calcul_quotidien(capsys):
    call_command("calculer_tableau_de_bord", "--annee", "2024")
    assert "départements calculés" in capsys.readouterr().out


def test_calcul_a_froid_en_nombre_de_requetes_independant_du_nombre_de_postes(dep93):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def requetes_a_froid():
        caches[CACHE].clear()
        with CaptureQueriesContext(connection) as contexte:
            situations_du_tableau_de_bord([dep93], 2024, JOUR)
        return len(contexte.captured_queries)

    poste_occupe(dep93)
    petit = requetes_a_froid()
    for _ in range(10):
        poste_occupe(dep93)
    assert requetes_a_froid() == petit


def test_une_ecriture_en_masse_sans_historique_change_l_empreinte(dep93):
    """A bulk update writes no history row and changes no count: the triggers still see it."""
    poste = poste_occupe(dep93)
    avant = situations_du_tableau_de_bord([dep93], 2024, JOUR)[dep93.pk].aide_engagee
    empreinte = empreintes([dep93.pk])[dep93.pk]
    Convention.objects.filter(poste=poste).update(date_debut=date(2024, 6, 1))
    assert empreintes([dep93.pk])[dep93.pk] != empreinte
    apres = situations_du_tableau_de_bord([dep93], 2024, JOUR)[dep93.pk].aide_engagee
    assert apres < avant
    assert apres == situations_budgetaires([dep93], 2024, JOUR)[dep93.pk].aide_engagee


def test_une_insertion_en_masse_change_l_empreinte(dep93):
    poste = poste_occupe(dep93)
    empreinte = empreintes([dep93.pk])[dep93.pk]
    Convention.objects.bulk_create(
        [ConventionFactory.build(poste=poste, numero="CONV-MASSE", date_debut=date(2027, 1, 1), date_fin=date(2027, 12, 31))]
    )
    assert empreintes([dep93.pk])[dep93.pk] != empreinte


def test_un_avenant_et_une_suppression_changent_l_empreinte(dep93):
    poste = poste_occupe(dep93)
    convention = poste.conventions.get()
    empreinte = empreintes([dep93.pk])[dep93.pk]
    avenant = Avenant.objects.create(
        convention=convention,
        numero=1,
        type="heures",
        date_effet=date(2024, 7, 1),
        date_signature=date(2024, 6, 1),
        heures_avant=Decimal("35"),
        heures_apres=Decimal("20"),
    )
    apres_avenant = empreintes([dep93.pk])[dep93.pk]
    assert apres_avenant != empreinte
    avenant.delete()
    assert empreintes([dep93.pk])[dep93.pk] not in (empreinte, apres_avenant)


def test_un_poste_change_de_departement_change_les_deux_empreintes(dep93, dep69):
    poste = poste_occupe(dep93)
    avant = empreintes([dep93.pk, dep69.pk])
    poste.departement = dep69
    poste.save()
    apres = empreintes([dep93.pk, dep69.pk])
    assert apres[dep93.pk] != avant[dep93.pk] and apres[dep69.pk] != avant[dep69.pk]
    assert situations_du_tableau_de_bord([dep69], 2024, JOUR)[dep69.pk].postes_engages == 1
    assert situations_du_tableau_de_bord([dep93], 2024, JOUR)[dep93.pk].postes_engages == 0


def test_le_compactage_du_journal_garde_les_sommes(dep93, dep69):
    poste_occupe(dep93)
    poste_occupe(dep93)
    poste_occupe(dep69)
    lignes = JournalBudget.objects.count()
    assert lignes > 2
    sommes = {d: sum(JournalBudget.objects.filter(departement=d).values_list("n", flat=True)) for d in (dep93, dep69)}
    assert compacter_journal_budget() == lignes - 2
    assert JournalBudget.objects.count() == 2
    assert {d: JournalBudget.objects.get(departement=d).n for d in (dep93, dep69)} == sommes
    # after a compaction the next write still gives a new fingerprint
    empreinte = empreintes([dep93.pk])[dep93.pk]
    poste_occupe(dep93)
    assert empreintes([dep93.pk])[dep93.pk] != empreinte


def test_lire_les_empreintes_coute_autant_de_requetes_quel_que_soit_le_volume(dep93, django_assert_num_queries):
    for _ in range(5):
        poste_occupe(dep93)
    with django_assert_num_queries(2):
        empreintes([dep93.pk])


def test_postes_en_exercice_et_vacants_du_cache(dep93):
    poste_occupe(dep93)
    vacant = PosteFactory(departement=dep93, employeur__departement=dep93)
    convention_signee(vacant, date(2024, 1, 1), date(2026, 12, 31))
    for _ in range(2):  # computed, then read from the cache
        situation = situations_du_tableau_de_bord([dep93], 2024, JOUR)[dep93.pk]
        assert (situation.postes_en_exercice, situation.postes_vacants) == (2, 1)
