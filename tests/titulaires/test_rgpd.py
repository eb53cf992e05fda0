from datetime import date

import pytest
from django.core.management import call_command

from tests.factories import AffectationFactory, PosteFactory, TitulaireFactory
from titulaires.rgpd import NOM_ANONYME, anonymiser_titulaires

pytestmark = pytest.mark.django_db


def test_titulaire_anonymise_5_ans_apres_la_fin_de_sa_derniere_affectation(settings):
    settings.RETENTION_TITULAIRES_ANNEES = 5
    ancien = AffectationFactory(date_debut=date(2015, 1, 1), date_fin=date(2020, 6, 30)).titulaire
    recent = AffectationFactory(date_debut=date(2019, 1, 1), date_fin=date(2021, 7, 1)).titulaire
    assert anonymiser_titulaires(date(2025, 6, 30)) == 0  # exactly 5 years: still kept
    assert anonymiser_titulaires(date(2025, 7, 1)) == 1
    ancien.refresh_from_db()
    recent.refresh_from_db()
    assert ancien.nom == NOM_ANONYME and ancien.prenom == "" and ancien.adresse == ""
    assert ancien.date_naissance == date(1990, 1, 1) and ancien.anonymise_le is not None
    assert recent.nom != NOM_ANONYME


def test_titulaire_toujours_en_poste_jamais_anonymise(settings):
    titulaire = TitulaireFactory()
    AffectationFactory(titulaire=titulaire, date_debut=date(2010, 1, 1), date_fin=date(2012, 1, 1))
    AffectationFactory(titulaire=titulaire, poste=PosteFactory(), date_debut=date(2013, 1, 1), date_fin=None)
    assert anonymiser_titulaires(date(2030, 1, 1)) == 0


def test_commande_anonymisation_idempotente(capsys):
    AffectationFactory(date_debut=date(2010, 1, 1), date_fin=date(2012, 1, 1))
    call_command("anonymiser_titulaires", "--date", "2026-01-01", "--dry-run")
    assert "1 titulaire(s) seraient anonymisé(s)" in capsys.readouterr().out
    call_command("anonymiser_titulaires", "--date", "2026-01-01")
    call_command("anonymiser_titulaires", "--date", "2026-01-01")
    assert "0 titulaire(s) anonymisé(s)" in capsys.readouterr().out.splitlines()[-1]
