"""TOTP second factor, mandatory for national administrators only."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

ENROLEMENT = reverse("comptes:double_facteur_enrolement")
VERIFICATION = reverse("comptes:double_facteur_verification")


def code(appareil, decalage=0):
    totp = TOTP(appareil.bin_key, appareil.step, appareil.t0, appareil.digits, appareil.drift)
    totp.time = time.time() + decalage * appareil.step
    return f"{totp.token():06d}"


def code_faux(appareil):
    valables = {code(appareil, d) for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valables)


@pytest.fixture
def admin(client_sans_double_facteur, admin_national):
    client_sans_double_facteur.force_login(admin_national)
    return client_sans_double_facteur


PAGES = ["/", "/postes/", "/conventions/", "/employeurs/", "/admin/", "/admin/postes/poste/", "/comptes/verrouillages/"]


@pytest.mark.parametrize("url", PAGES)
def test_administrateur_sans_appareil_renvoye_vers_l_activation_depuis_toute_page(admin, url):
    reponse = admin.get(url)
    assert reponse.status_code == 302
    assert reponse.url.startswith(ENROLEMENT)


def test_administrateur_avec_appareil_renvoye_vers_la_verification(admin, admin_national):
    TOTPDevice.objects.create(user=admin_national, name="téléphone", confirmed=True)
    reponse = admin.get("/admin/")
    assert reponse.status_code == 302 and reponse.url == f"{VERIFICATION}?next=%2Fadmin%2F"
    # And the enrolment page does not let a second device in.
    assert admin.get(ENROLEMENT).url == VERIFICATION


def test_activation_puis_acces_a_l_administration(admin, admin_national):
    page = admin.get(f"{ENROLEMENT}?next=/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Clé secrète" in html
    appareil = TOTPDevice.objects.get(user=admin_national, confirmed=False)
    assert appareil.config_url.startswith("otpauth://totp/Adultes-relais")
    reponse = admin.post(ENROLEMENT, {"code": code(appareil), "next": "/admin/"})
    assert reponse.status_code == 302 and reponse.url == "/admin/"
    appareil.refresh_from_db()
    assert appareil.confirmed
    assert admin.get("/admin/").status_code == 200


def test_activation_avec_un_code_faux_refusee(admin, admin_national):
    admin.get(ENROLEMENT)
    appareil = TOTPDevice.objects.get(user=admin_national)
    reponse = admin.post(ENROLEMENT, {"code": code_faux(appareil)})
    assert reponse.status_code == 200
    assert "Ce code n’est pas valable" in reponse.content.decode()
    appareil.refresh_from_db()
    assert not appareil.confirmed
    assert admin.get("/postes/").status_code == 302


def test_verification_a_chaque_connexion(client_sans_double_facteur, admin_national):
    appareil = TOTPDevice.objects.create(user=admin_national, name="téléphone", confirmed=True)
    client = client_sans_double_facteur
    client.force_login(admin_national)
    mauvais = client.post(VERIFICATION, {"code": code_faux(appareil)})
    assert "Ce code n’est pas valable" in mauvais.content.decode()
    assert client.get("/postes/").status_code == 302
    appareil.refresh_from_db()
    appareil.throttling_failure_count = 0  # skip django-otp's delay after the wrong code
    appareil.save()
    bon = client.post(VERIFICATION, {"code": code(appareil), "next": "/postes/"})
    assert bon.status_code == 302 and bon.url == "/postes/"
    assert client.get("/postes/").status_code == 200
    # A new sign-in asks for a new code.
    client.post(reverse("comptes:deconnexion"))
    client.force_login(admin_national)
    assert client.get("/postes/").url.startswith(VERIFICATION)


def test_code_deja_utilise_refuse(client_sans_double_facteur, admin_national):
    appareil = TOTPDevice.objects.create(user=admin_national, name="téléphone", confirmed=True)
    client = client_sans_double_facteur
    client.force_login(admin_national)
    valable = code(appareil)
    assert client.post(VERIFICATION, {"code": valable}).status_code == 302
    client.post(reverse("comptes:deconnexion"))
    client.force_login(admin_national)
    assert client.post(VERIFICATION, {"code": valable}).status_code == 200  # replay refused


def test_codes_faux_repetes_ralentis(client_sans_double_facteur, admin_national):
    appareil = TOTPDevice.objects.create(user=admin_national, name="téléphone", confirmed=True)
    client = client_sans_double_facteur
    client.force_login(admin_national)
    client.post(VERIFICATION, {"code": code_faux(appareil)})
    reponse = client.post(VERIFICATION, {"code": code(appareil)})  # right code, but too soon
    assert "Trop de codes erronés" in reponse.content.decode()
    assert client.get("/postes/").status_code == 302


def test_suite_vers_un_autre_site_ignoree(admin, admin_national):
    admin.get(ENROLEMENT)
    appareil = TOTPDevice.objects.get(user=admin_national)
    reponse = admin.post(ENROLEMENT, {"code": code(appareil), "next": "https://pirate.example/"})
    assert reponse.url == reverse("accueil")


@pytest.mark.parametrize("role", ["agent93", "membre93"])
def test_agents_et_employeurs_non_concernes(client_sans_double_facteur, request, role):
    client_sans_double_facteur.force_login(request.getfixturevalue(role))
    assert client_sans_double_facteur.get("/").status_code in (200, 302)
    reponse = client_sans_double_facteur.get(reverse("postes:liste"))
    assert not (reponse.status_code == 302 and "double-facteur" in reponse.url)
    assert client_sans_double_facteur.get(ENROLEMENT).url == reverse("accueil")


# --- A confirmed secret is never shown again --------------------------------------------------------


def _traces_du_secret(appareil):
    """Every form the secret could take on a page: hex key, base32 groups, otpauth URL."""
    from comptes.double_facteur import secret_lisible

    return [appareil.key, secret_lisible(appareil).replace(" ", ""), secret_lisible(appareil)[:9], "otpauth://"]


def test_secret_d_un_appareil_confirme_jamais_reaffiche_dans_l_administration(client, admin_national):
    from tests.factories import AdminNationalFactory

    autre = AdminNationalFactory()
    appareil = TOTPDevice.objects.create(user=autre, name="téléphone", confirmed=True)
    client.force_login(admin_national)
    pages = [
        reverse("admin:comptes_appareildoublefacteur_changelist"),
        reverse("admin:comptes_appareildoublefacteur_change", args=[appareil.pk]),
        # django-otp's own pages, with the QR code and the configuration: not registered.
        f"/admin/otp_totp/totpdevice/{appareil.pk}/change/",
        f"/admin/otp_totp/totpdevice/{appareil.pk}/config/",
        f"/admin/otp_totp/totpdevice/{appareil.pk}/qrcode/",
    ]
    for url in pages:
        reponse = client.get(url, follow=True)
        contenu = reponse.content.decode(errors="replace")
        assert reponse.get("Content-Type", "").startswith("text/html"), url  # never the QR code image
        for trace in _traces_du_secret(appareil):
            assert trace not in contenu, (url, trace)
    assert "qrcode" not in client.get(reverse("admin:comptes_appareildoublefacteur_changelist")).content.decode().lower()
    assert client.get(f"/admin/otp_totp/totpdevice/{appareil.pk}/change/").status_code == 404


def test_l_administration_ne_cree_ni_ne_reouvre_un_appareil(client, admin_national):
    """An administrator cannot create a device whose secret they would know, nor turn a confirmed
    device back to « unconfirmed » (its owner's enrolment page would then show its secret again)."""
    from tests.factories import AdminNationalFactory

    autre = AdminNationalFactory()
    appareil = TOTPDevice.objects.create(user=autre, name="téléphone", confirmed=True)
    client.force_login(admin_national)
    assert client.get(reverse("admin:comptes_appareildoublefacteur_add")).status_code == 403
    page = client.get(reverse("admin:comptes_appareildoublefacteur_change", args=[appareil.pk])).content.decode()
    assert 'name="confirmed"' not in page and 'name="key"' not in page


def test_reenrolement_apres_suppression_cree_un_nouvel_appareil(admin, admin_national):
    ancien = TOTPDevice.objects.create(user=admin_national, name="téléphone perdu", confirmed=True)
    ancienne_cle = ancien.key
    ancien.delete()  # what another administrator does in the admin for a lost device
    page = admin.get(ENROLEMENT).content.decode()
    nouveau = TOTPDevice.objects.get(user=admin_national)
    assert nouveau.pk != ancien.pk and nouveau.key != ancienne_cle and not nouveau.confirmed
    assert _traces_du_secret(nouveau)[2] in page


def test_message_de_ralentissement_dit_combien_de_temps_attendre(client_sans_double_facteur, admin_national):
    from datetime import timedelta

    from django.utils import timezone

    appareil = TOTPDevice.objects.create(user=admin_national, name="téléphone", confirmed=True)
    appareil.throttling_failure_count = 4  # 8 seconds after the 4th wrong code
    appareil.throttling_failure_timestamp = timezone.now() - timedelta(seconds=1)
    appareil.save()
    client_sans_double_facteur.force_login(admin_national)
    page = client_sans_double_facteur.post(VERIFICATION, {"code": code(appareil)}).content.decode()
    assert "Trop de codes erronés" in page
    assert "patientez 7\u00a0secondes" in page or "patientez 8\u00a0secondes" in page


@pytest.mark.parametrize(
    "secondes, texte",
    [
        (1, "1\u00a0seconde"),
        (0.2, "1\u00a0seconde"),
        (45, "45\u00a0secondes"),
        (60, "1\u00a0minute"),
        (128, "3\u00a0minutes"),
        (3600, "1\u00a0heure"),
        (7300, "3\u00a0heures"),
        (86400 * 2, "2\u00a0jours"),
    ],
)
def test_duree_d_attente_en_francais(secondes, texte):
    from comptes.double_facteur import duree_d_attente

    assert duree_d_attente(secondes) == texte
