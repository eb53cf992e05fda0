import os
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from tests.factories import (
    AdminNationalFactory,
    AgentFactory,
    EmployeurFactory,
    EmployeurUserFactory,
    PosteFactory,
    construire_monde,
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


# The single fixtures above whose objects `monde` builds again.
FIXTURES_DU_MONDE = {
    "dep93",
    "dep69",
    "agent93",
    "agent69",
    "admin_national",
    "employeur93",
    "employeur69",
    "membre93",
    "poste93",
    "poste69",
}


@pytest.fixture
def media(settings, tmp_path):
    """The files a test writes through the default storage go to a temporary MEDIA_ROOT, returned."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def monde(request, db, media):
    """The shared two-département world (tests/factories.py `Monde`): `monde.poste93`, `monde.agent69`…
    Its objects are not those of the single fixtures above (`agent93`, `poste93`…), so a test takes
    one or the other, never both (a second agent of the 93 would silently test something else).
    The request attachments go to a temporary MEDIA_ROOT."""
    melanges = FIXTURES_DU_MONDE & set(request.fixturenames)
    if melanges:
        pytest.fail(f"Ce test prend `monde` et {sorted(melanges)} : prenez monde.{min(melanges)}, etc.")
    return construire_monde()


@pytest.fixture(autouse=True)
def hachage_rapide(settings):
    # Tests create many accounts: a fast hasher keeps them quick (production keeps PBKDF2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class ClientDeTest(Client):
    """The Django test client, adapted to the sign-in protections:
    - `login()` passes a request, which django-axes needs to count attempts by address;
    - `force_login()` of a national administrator also records a verified second factor, as it
      skips the password: page tests do not go through TOTP. The tests of the second factor itself
      use `client_sans_double_facteur` (tests/comptes/test_double_facteur.py)."""

    def login(self, **credentials):
        credentials.setdefault("request", RequestFactory().post("/comptes/connexion/"))
        return super().login(**credentials)

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if user.est_admin_national:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            appareil = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            appareil = appareil or TOTPDevice.objects.create(user=user, name="Appareil de test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = appareil.persistent_id
            session.save()


@pytest.fixture
def client():
    return ClientDeTest()


@pytest.fixture
def client_sans_double_facteur():
    return Client()


@pytest.fixture
def faux_proconnect():
    from tests.faux_proconnect import FauxProConnect

    with FauxProConnect() as faux:
        yield faux


@pytest.fixture
def proconnect(settings, faux_proconnect):
    """ProConnect configured against the fake provider of tests/faux_proconnect.py."""
    from commun.securite import origine, politique_csp

    for nom, valeur in faux_proconnect.reglages().items():
        setattr(settings, nom, valeur)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "comptes.proconnect.ProConnectBackend"]
    settings.SECURE_CSP = politique_csp(origines_formulaires=[origine(faux_proconnect.url)], https=False)
    return faux_proconnect


@pytest.fixture(autouse=True)
def referentiel_des_tests_transactionnels(request):
    """Transactional tests (browser, backups) empty the database when they end: the next one gets
    the reference data of the migrations (régions, départements, barème, SMIC, domaines) again."""
    marque = request.node.get_closest_marker("django_db")
    if not ((marque and marque.kwargs.get("transaction")) or "live_server" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from commun.referentiel import charger_bareme_smic, charger_domaines, charger_territoires
    from financements.models import Bareme, Smic
    from postes.models import DomaineMediation
    from quartiers.models import Departement, Region

    if not Departement.objects.exists():
        charger_territoires(Region, Departement)
        charger_bareme_smic(Bareme, Smic)
        charger_domaines(DomaineMediation)


@pytest.fixture(scope="session")
def site_deploye():
    """The application deployed as the README's deploy section says (tests/deploye.py), once per session."""
    from tests.deploye import arreter, deployer, dossier_temporaire

    site = deployer(dossier_temporaire())
    yield site
    arreter(site)


@pytest.fixture(autouse=True)
def pdf_produits_lisibles(monkeypatch):
    """Every PDF the application renders during a test is read back (tests/lecture_pdf.py) and
    fails the test if it shows template syntax (`{#`, `{%`, `{{`) or `None` / `nan`."""
    import conventions.pdf
    from tests.lecture_pdf import verifier_pdf_lisible

    rendre = conventions.pdf.rendre_pdf

    def rendre_et_relire(convention, *args, **kwargs):
        contenu = rendre(convention, *args, **kwargs)
        verifier_pdf_lisible(contenu, f"PDF de la convention {convention.numero}")
        return contenu

    monkeypatch.setattr(conventions.pdf, "rendre_pdf", rendre_et_relire)


@pytest.fixture(scope="session")
def site_deploye_sans_base(site_deploye):
    """A second gunicorn of the deployed site whose database server is down (closed port)."""
    from tests.deploye import arreter_serveur, sans_base_de_donnees

    site = sans_base_de_donnees(site_deploye, site_deploye.dossier)
    yield site
    arreter_serveur(site)


@pytest.fixture(autouse=True)
def courriels_envoyes_a_la_validation(request, monkeypatch):
    """Tests that start no worker: each message written to the outbox (its row and its real job) is
    also sent, by the worker's own job body, when its transaction commits (so never when it rolls
    back) — `django_capture_on_commit_callbacks(execute=True)` shows it in `mail.outbox`. Tests with a
    real worker (fixture `worker`) or marked `sans_envoi_a_la_validation` leave it to the worker."""
    if "worker" in request.fixturenames or request.node.get_closest_marker("sans_envoi_a_la_validation"):
        return
    from django.db import transaction

    from commun import courriels

    differer = courriels.envoyer_courriel.defer

    def differer_et_envoyer_a_la_validation(**arguments):
        identifiant = differer(**arguments)
        transaction.on_commit(lambda: courriels.envoyer(arguments["courriel_id"]))
        return identifiant

    monkeypatch.setattr(courriels.envoyer_courriel, "defer", differer_et_envoyer_a_la_validation)


@pytest.fixture(autouse=True)
def file_de_taches_videe_apres_les_tests_transactionnels(request):
    """A transactional test commits its jobs: they are removed with the rest of its rows."""
    marque = request.node.get_closest_marker("django_db")
    if not ((marque and marque.kwargs.get("transaction")) or "live_server" in request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from tests.worker import vider_la_file

    vider_la_file()


@pytest.fixture
def serveur_smtp():
    from tests.worker import ServeurSMTP

    with ServeurSMTP() as serveur:
        yield serveur


@pytest.fixture(scope="session")
def serveur_s3():
    """moto's S3 server on 127.0.0.1 (tests/s3_local.py), once per session."""
    from tests.s3_local import ServeurS3

    with ServeurS3() as serveur:
        yield serveur


@pytest.fixture
def worker(transactional_db, serveur_smtp, tmp_path):
    """Start real workers (`worker()` → a started `tests.worker.Worker`), all stopped at the end."""
    from tests.worker import Worker, vider_la_file

    vider_la_file()
    demarres = []

    def demarrer(**variables):
        w = Worker(tmp_path / f"worker-{len(demarres)}.log", serveur_smtp, **variables).demarrer()
        demarres.append(w)
        return w

    yield demarrer
    for w in demarres:
        w.arreter()


@pytest.fixture
def stockage_s3(settings, serveur_s3, tmp_path):
    """The default storage is the S3 object storage (a new private bucket on the local server), as
    with S3_BUCKET set. Overriding STORAGES through `settings` resets Django's cached storages
    (`default_storage`, `storages`), now and when the test ends. MEDIA_ROOT points to an empty folder
    that must stay empty: nothing may reach the local disk."""
    from django.core.files.storage import default_storage

    from tests.s3_local import Compartiment

    compartiment = serveur_s3.nouveau_compartiment()
    settings.MEDIA_ROOT = tmp_path / "disque-local-inutilise"
    settings.STORAGES = {**settings.STORAGES, "default": serveur_s3.reglage(compartiment)}
    assert default_storage.bucket_name == compartiment  # the override took effect
    yield Compartiment(compartiment, serveur_s3)
    assert not settings.MEDIA_ROOT.exists(), "un fichier a été écrit sur le disque local malgré le stockage S3"
