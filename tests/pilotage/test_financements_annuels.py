"""FinancementAnnuel: one record per post and year, a non-negative amount, a plausible year."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from postes.models import FinancementAnnuel
from tests.factories import PosteFactory

pytestmark = pytest.mark.django_db


def refuse(fonction):
    with pytest.raises(IntegrityError), transaction.atomic():
        fonction()


def test_un_seul_financement_par_poste_et_par_annee(poste93):
    FinancementAnnuel.objects.create(poste=poste93, annee=2023, montant=Decimal("22555.73"))
    refuse(lambda: FinancementAnnuel.objects.create(poste=poste93, annee=2023, montant=Decimal("1")))
    assert FinancementAnnuel.objects.create(poste=poste93, annee=2024, montant=Decimal("22810.61")).pk


def test_montant_negatif_refuse(poste93):
    refuse(lambda: FinancementAnnuel.objects.create(poste=poste93, annee=2023, montant=Decimal("-0.01")))


@pytest.mark.parametrize("annee", [1998, 2101])
def test_annee_hors_du_programme_refusee(poste93, annee):
    refuse(lambda: FinancementAnnuel.objects.create(poste=poste93, annee=annee, montant=Decimal("1")))


def test_identifiants_du_registre_anct_acceptes_et_forme_libre_refusee():
    for identifiant in ("59L13R001803", "59V15R000102", "01615RT00102", "02B06RT00105"):
        assert PosteFactory(identifiant=identifiant).pk
    refuse(lambda: PosteFactory(identifiant="59L13X001803"))
