"""Database invariants: each constraint refuses what the rules forbid, even past the forms."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conventions.models import Convention
from employeurs.models import Employeur
from financements.models import Bareme, Enveloppe, Smic
from quartiers.models import QuartierPrioritaire
from tests.factories import (
    AffectationFactory,
    ConventionFactory,
    EmployeurFactory,
    PosteFactory,
    QuartierFactory,
    TitulaireFactory,
    departement,
)

pytestmark = pytest.mark.django_db


def refuse(fonction):
    with pytest.raises(IntegrityError), transaction.atomic():
        fonction()


def test_convention_date_de_fin_avant_le_debut_refusee():
    refuse(lambda: ConventionFactory(date_debut=date(2024, 5, 1), date_fin=date(2024, 4, 30)))


def test_convention_de_plus_de_trois_ans_refusee_d5134_147():
    refuse(lambda: ConventionFactory(date_debut=date(2024, 1, 1), date_fin=date(2027, 1, 1)))


def test_convention_de_trois_ans_exactement_acceptee():
    c = ConventionFactory(date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31))
    assert c.pk


def test_convention_trois_ans_depuis_un_29_fevrier():
    c = ConventionFactory(date_debut=date(2024, 2, 29), date_fin=date(2027, 2, 27))
    assert c.pk
    refuse(lambda: ConventionFactory(date_debut=date(2024, 2, 29), date_fin=date(2027, 3, 1)))


def test_convention_clean_explique_la_duree_maximale():
    c = Convention(poste=PosteFactory(), numero="X", date_debut=date(2024, 1, 1), date_fin=date(2027, 1, 1))
    with pytest.raises(ValidationError) as erreur:
        c.clean()
    assert "trois ans" in str(erreur.value)


def test_derogation_de_residence_sans_motif_refusee():
    refuse(lambda: ConventionFactory(derogation_residence=True, motif_derogation=""))


def test_convention_resiliee_sans_motif_refusee():
    refuse(lambda: ConventionFactory(statut="resiliee", date_resiliation=date(2024, 6, 1)))


def test_convention_signee_sans_date_de_signature_refusee():
    refuse(lambda: ConventionFactory(statut="signee"))


def test_numero_de_convention_unique():
    ConventionFactory(numero="093-1")
    refuse(lambda: ConventionFactory(numero="093-1"))


def test_heures_hebdomadaires_sous_le_mi_temps_refusees():
    refuse(lambda: PosteFactory(heures_hebdomadaires=Decimal("17")))


def test_heures_hebdomadaires_au_dela_de_35_refusees():
    refuse(lambda: PosteFactory(heures_hebdomadaires=Decimal("35.5")))


def test_identifiant_de_poste_mal_forme_refuse():
    refuse(lambda: PosteFactory(identifiant="93-2024-1"))


def test_identifiant_de_poste_corse_accepte():
    assert PosteFactory(identifiant="02A23R000100").pk


def test_bareme_negatif_refuse():
    refuse(lambda: Bareme.objects.create(date_effet=date(2030, 7, 1), montant_annuel=Decimal("-1")))


def test_smic_nul_refuse():
    refuse(lambda: Smic.objects.create(date_effet=date(2030, 1, 1), horaire_brut=Decimal("0")))


def test_enveloppe_montant_negatif_refuse():
    refuse(lambda: Enveloppe.objects.create(departement=departement("93"), annee=2026, nombre_postes=3, montant=-5))


def test_enveloppe_unique_par_departement_et_annee():
    Enveloppe.objects.create(departement=departement("93"), annee=2026, nombre_postes=3, montant=100)
    refuse(lambda: Enveloppe.objects.create(departement=departement("93"), annee=2026, nombre_postes=4, montant=1))


def test_code_qpv_unique():
    QuartierFactory(code="QN09339M")
    refuse(lambda: QuartierFactory(code="QN09339M"))


def test_code_qpv_mal_forme_refuse():
    refuse(lambda: QuartierFactory(code="QPV93"))


def test_siret_unique():
    e = EmployeurFactory()
    refuse(lambda: EmployeurFactory(siret=e.siret))


def test_siret_avec_mauvaise_cle_refuse_par_la_validation():
    e = Employeur(siret="77554402601285", raison_sociale="X", forme_juridique="association", departement=departement("01"))
    with pytest.raises(ValidationError) as erreur:
        e.full_clean()
    assert "clé de contrôle" in str(erreur.value)


def test_siret_de_13_chiffres_refuse_par_la_base():
    refuse(lambda: EmployeurFactory(siret="7755440260128"))


def test_affectations_qui_se_chevauchent_sur_un_poste_refusees():
    poste = PosteFactory()
    AffectationFactory(poste=poste, date_debut=date(2024, 1, 1), date_fin=date(2024, 6, 30))
    refuse(lambda: AffectationFactory(poste=poste, date_debut=date(2024, 6, 30), date_fin=date(2024, 12, 31)))


def test_affectation_ouverte_bloque_toute_affectation_posterieure():
    poste = PosteFactory()
    AffectationFactory(poste=poste, date_debut=date(2024, 1, 1), date_fin=None)
    refuse(lambda: AffectationFactory(poste=poste, date_debut=date(2030, 1, 1)))


def test_affectations_successives_sur_un_poste_acceptees():
    poste = PosteFactory()
    AffectationFactory(poste=poste, date_debut=date(2024, 1, 1), date_fin=date(2024, 6, 30))
    assert AffectationFactory(poste=poste, date_debut=date(2024, 7, 1)).pk


def test_meme_periode_sur_deux_postes_differents_acceptee():
    titulaire = TitulaireFactory()
    AffectationFactory(date_debut=date(2024, 1, 1), titulaire=titulaire)
    assert AffectationFactory(date_debut=date(2024, 1, 1)).pk


def test_affectation_fin_avant_debut_refusee():
    refuse(lambda: AffectationFactory(date_debut=date(2024, 5, 1), date_fin=date(2024, 4, 1)))


def test_referentiel_charge_par_les_migrations():
    from postes.models import DomaineMediation
    from quartiers.models import Departement, Region

    assert Departement.objects.count() == 107
    assert Departement.objects.get(code="974").region.nom == "La Réunion"
    assert Departement.objects.get(code="2A").region.code == "94"
    assert Region.objects.count() == 19
    assert Bareme.objects.get(date_effet=date(2023, 7, 1)).montant_annuel == Decimal("22555.73")
    assert Smic.objects.get(date_effet=date(2026, 1, 1)).horaire_brut == Decimal("12.02")
    assert DomaineMediation.objects.filter(libelle="Médiation numérique").exists()
    assert QuartierPrioritaire.objects.count() == 0
