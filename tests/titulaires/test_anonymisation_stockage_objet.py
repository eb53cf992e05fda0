"""Anonymisation with the S3 object storage (a real S3 API on the loopback, tests/s3_local.py): the
titulaire's data lives in the database only; the stored signed PDF of the post's convention names no
titulaire, so anonymising leaves the bucket untouched and the PDF still matches its SHA-256."""

from datetime import date

import pytest
from django.core.management import call_command

from conventions.models import Convention
from conventions.services.cycle import lire_pdf_stocke, signer
from tests.factories import AffectationFactory, ConventionFactory, TitulaireFactory
from tests.lecture_pdf import verifier_pdf_lisible
from titulaires.models import Titulaire
from titulaires.rgpd import NOM_ANONYME

pytestmark = pytest.mark.django_db


def test_anonymisation_laisse_le_compartiment_intact_et_le_pdf_verifiable(settings, poste93, stockage_s3, capsys):
    settings.RETENTION_TITULAIRES_ANNEES = 5
    convention = ConventionFactory(poste=poste93, date_debut=date(2014, 7, 1), date_fin=date(2017, 6, 30))
    convention = signer(convention, date_signature=date(2014, 6, 20), signataire="Le préfet", aujourd_hui=date(2014, 6, 25))
    titulaire = TitulaireFactory(nom="Benali", prenom="Yasmina")
    AffectationFactory(poste=poste93, titulaire=titulaire, date_debut=date(2014, 9, 1), date_fin=date(2017, 6, 30))
    avant = stockage_s3.objets()
    assert "Benali" not in verifier_pdf_lisible(avant[convention.pdf.name])

    call_command("anonymiser_titulaires", "--date", "2026-01-01")
    assert "1 titulaire(s) anonymisé(s)" in capsys.readouterr().out
    assert Titulaire.objects.get(pk=titulaire.pk).nom == NOM_ANONYME
    assert stockage_s3.objets() == avant
    assert lire_pdf_stocke(Convention.objects.get(pk=convention.pk)) == avant[convention.pdf.name]
