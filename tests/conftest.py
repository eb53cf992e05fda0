import os
from pathlib import Path

import pytest

from tests.factories import (
    AgentFactory,
    EmployeurFactory,
    EmployeurUserFactory,
    AdminNationalFactory,
    PosteFactory,
    departement,
)

DONNEES_PARTAGEES = Path(os.environ.get("DONNEES_PARTAGEES", Path(__file__).resolve().parent.parent.parent / "shared" / "data"))


def donnees_partagees(chemin: str) -> Path:
    """A file of ../shared/data, or a skip saying why. CI (CI=true) must have it: there a missing file fails."""
    fichier = DONNEES_PARTAGEES / chemin
    if not fichier.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Donnée partagée absente en CI : {fichier}")
        pytest.skip(f"Donnée partagée absente : {fichier} (dossier ../shared/data du dépôt de pilotage)")
    return fichier


@pytest.fixture
def dep93(db):
    return departement("93")


@pytest.fixture
def dep69(db):
    return departement("69")


@pytest.fixture
def agent93(dep93):
    return AgentFactory(departements=[dep93])


@pytest.fixture
def agent69(dep69):
    return AgentFactory(departements=[dep69])


@pytest.fixture
def admin_national(db):
    return AdminNationalFactory()


@pytest.fixture
def employeur93(dep93):
    return EmployeurFactory(departement=dep93)


@pytest.fixture
def employeur69(dep69):
    return EmployeurFactory(departement=dep69)


@pytest.fixture
def membre93(employeur93):
    return EmployeurUserFactory(employeurs=[employeur93])


@pytest.fixture
def poste93(employeur93, dep93):
    return PosteFactory(employeur=employeur93, departement=dep93)


@pytest.fixture
def poste69(employeur69, dep69):
    return PosteFactory(employeur=employeur69, departement=dep69)


@pytest.fixture(autouse=True)
def hachage_rapide(settings):
    # Tests create many accounts: a fast hasher keeps them quick (production keeps PBKDF2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def referentiel_des_tests_transactionnels(request):
    """A transactional test (django_db(transaction=True)) ends by emptying every table, the reference
    data loaded by the migrations included: reload it (idempotent) before each such test, so that
    their order does not matter."""
    marqueur = request.node.get_closest_marker("django_db")
    if marqueur is None or not marqueur.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from commun.referentiel import charger_bareme_smic, charger_domaines, charger_territoires
    from financements.models import Bareme, Smic
    from postes.models import DomaineMediation
    from quartiers.models import Departement, Region

    charger_territoires(Region, Departement)
    charger_bareme_smic(Bareme, Smic)
    charger_domaines(DomaineMediation)
