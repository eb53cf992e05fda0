"""The daily commands run under a PostgreSQL advisory lock (issue 22, § 3): started on two instances
at once, one does the work and the other exits 0 saying, in French, that it is already running.
The real case runs two `manage.py` processes on the test database."""

import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from commun.verrous import MESSAGE_DEJA_EN_COURS, cle_de_verrou, verrou_bloquant, verrou_exclusif
from conventions.models import Convention
from tests.factories import AffectationFactory, ConventionFactory, TitulaireFactory
from tests.titulaires.test_commande_eligibilite import url_base_de_test
from tests.worker import attendre

RACINE = Path(__file__).resolve().parents[2]
COMMANDES_QUOTIDIENNES = ("mettre_a_jour_conventions", "calculer_tableau_de_bord", "anonymiser_titulaires")


@contextmanager
def autre_session(autocommit=True):
    """A second PostgreSQL session on the test database, as another instance would open."""
    parametres = {
        k: v for k, v in connection.get_connection_params().items() if k in ("dbname", "user", "password", "host", "port")
    }
    with psycopg.connect(**parametres, autocommit=autocommit) as session:
        yield session


def manage(*arguments, **env):
    return subprocess.Popen(
        [sys.executable, "manage.py", *arguments],
        cwd=RACINE,
        env={**os.environ, "DATABASE_URL": url_base_de_test(), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_la_cle_d_un_verrou_est_la_meme_dans_chaque_processus():
    code = "from commun.verrous import cle_de_verrou; print(cle_de_verrou('mettre_a_jour_conventions'))"
    autre = subprocess.run([sys.executable, "-c", code], cwd=RACINE, capture_output=True, text=True, check=True, timeout=60)
    cle = cle_de_verrou("mettre_a_jour_conventions")
    assert int(autre.stdout) == cle
    assert -(2**63) <= cle < 2**63  # a PostgreSQL bigint
    assert cle != cle_de_verrou("anonymiser_titulaires")


@pytest.mark.django_db
def test_verrou_exclusif_refuse_pendant_qu_une_autre_session_le_tient_puis_se_libere():
    with autre_session() as autre:
        with verrou_exclusif("essai") as obtenu:
            assert obtenu
            assert autre.execute("SELECT pg_try_advisory_lock(%s)", [cle_de_verrou("essai")]).fetchone()[0] is False
        # released when the block ends, even though this session stays open
        assert autre.execute("SELECT pg_try_advisory_lock(%s)", [cle_de_verrou("essai")]).fetchone()[0] is True
        with verrou_exclusif("essai") as obtenu:
            assert not obtenu


@pytest.mark.django_db
def test_verrou_libere_quand_le_travail_echoue():
    with pytest.raises(RuntimeError):
        with verrou_exclusif("essai"):
            raise RuntimeError("échec du travail")
    with autre_session() as autre:
        assert autre.execute("SELECT pg_try_advisory_lock(%s)", [cle_de_verrou("essai")]).fetchone()[0] is True


@pytest.mark.django_db
def test_verrou_bloquant_dit_qu_il_attend_si_le_verrou_est_pris():
    attentes = []
    with verrou_bloquant("essai", en_attente=lambda: attentes.append(1)):
        pass
    assert attentes == []  # free: taken at once, nothing said


# (command, function of its module that does the work): nothing of it runs while the lock is held
TRAVAIL = {
    "mettre_a_jour_conventions": "conventions.management.commands.mettre_a_jour_conventions.mettre_a_jour_conventions",
    "calculer_tableau_de_bord": "pilotage.management.commands.calculer_tableau_de_bord.prechauffer",
    "anonymiser_titulaires": "titulaires.management.commands.anonymiser_titulaires.anonymiser_titulaires",
}


@pytest.mark.django_db
@pytest.mark.parametrize("nom", COMMANDES_QUOTIDIENNES)
def test_commande_quotidienne_deja_en_cours_ailleurs_ne_fait_rien_et_le_dit(nom, capsys):
    with autre_session() as autre, mock.patch(TRAVAIL[nom], side_effect=AssertionError("travail lancé deux fois")) as travail:
        assert autre.execute("SELECT pg_try_advisory_lock(%s)", [cle_de_verrou(nom)]).fetchone()[0]
        call_command(nom)
    assert travail.call_count == 0
    assert capsys.readouterr().out.strip() == MESSAGE_DEJA_EN_COURS


@pytest.mark.django_db
def test_anonymisation_quotidienne_faite_une_fois_le_verrou_libre(capsys):
    ancien = TitulaireFactory(nom="Durand")
    AffectationFactory(titulaire=ancien, date_debut=date(2010, 1, 1), date_fin=date(2012, 1, 1))
    with autre_session() as autre:
        autre.execute("SELECT pg_advisory_lock(%s)", [cle_de_verrou("anonymiser_titulaires")])
        call_command("anonymiser_titulaires")
        ancien.refresh_from_db()
        assert ancien.nom == "Durand"
    call_command("anonymiser_titulaires")  # the other session is closed: its lock went with it
    ancien.refresh_from_db()
    assert ancien.nom != "Durand"
    sorties = capsys.readouterr().out
    assert MESSAGE_DEJA_EN_COURS in sorties and "1 titulaire(s) anonymisé(s)" in sorties


@pytest.mark.django_db(transaction=True)
def test_deux_instances_lancees_ensemble_une_seule_met_a_jour_les_conventions(request, poste93):
    """Two real processes start together; the convention table is held by the test, so the one that
    got the lock is still working when the other one asks for it."""
    convention = ConventionFactory(
        poste=poste93, statut="signee", date_signature=date(2024, 12, 1), date_debut=date(2025, 1, 1), date_fin=date(2027, 12, 31)
    )
    AffectationFactory(poste=poste93, date_debut=date(2025, 1, 15))
    with autre_session(autocommit=False) as table:
        table.execute(f"LOCK TABLE {Convention._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        processus = [manage("mettre_a_jour_conventions", "--date", "2025-01-01") for _ in range(2)]
        request.addfinalizer(lambda: [p.kill() for p in processus if p.poll() is None])
        attendre(
            lambda: any(p.poll() is not None for p in processus), delai=90, message="aucune des deux instances n’a rendu la main"
        )
        perdant = next(p for p in processus if p.poll() is not None)
        gagnant = next(p for p in processus if p is not perdant)
        sortie, erreurs = perdant.communicate()
        assert perdant.returncode == 0, erreurs
        assert sortie.strip() == MESSAGE_DEJA_EN_COURS
        assert gagnant.poll() is None  # still at work, holding the lock, waiting for the table
        table.rollback()  # releases the table
    sortie, erreurs = gagnant.communicate(timeout=90)
    assert gagnant.returncode == 0, erreurs
    assert f"Convention {convention.numero} : Signée → En cours" in sortie
    assert MESSAGE_DEJA_EN_COURS not in sortie
    convention.refresh_from_db()
    assert convention.statut == "en_cours"
