"""Lighthouse on the deployed site (README's deploy section, tests/deploye.py): performance score,
LCP and CLS of the login page and the employer's pages, with the mobile and desktop presets.

Lighthouse is a measuring tool, not a dependency of the suite: install it where you like and say where
    npm install --prefix /tmp/lighthouse lighthouse@12.8.2
    LIGHTHOUSE=/tmp/lighthouse/node_modules/.bin/lighthouse .venv/bin/python bench/lighthouse.py
Options: --preset mobile|desktop (both by default), --url http://localhost:PORT to measure a site
already deployed (otherwise one is deployed in a temporary folder and stopped at the end, ~90 s).
Requests carry `X-Forwarded-Proto: https` and the session cookie, as behind the front server.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
# This process only reads the demo password and signs in over HTTP: the tests' settings do.
import config.pytest_env  # noqa: E402, F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()

from tests.deploye import EN_TETES_FRONTAL, arreter, deployer, dossier_temporaire  # noqa: E402


class Site:
    def __init__(self, url):
        self.url = url


def pages_employeur(session, url) -> list[str]:
    """The employer's home, its list of requests, a request's page and the first two steps of a draft."""
    liste = session.get(url + "/demandes/mes-demandes/", timeout=30).text
    details = list(dict.fromkeys(re.findall(r'href="(/demandes/\d+/)"', liste)))
    pages = ["/", "/demandes/mes-demandes/", details[0]]
    for detail in details:  # a draft's page links to its steps
        if "/modifier/" in session.get(url + detail, timeout=30).text:
            return pages + [f"{detail}modifier/structure/", f"{detail}modifier/projet/"]
    return pages


def mesurer(lighthouse, url, en_tetes, preset) -> dict:
    with tempfile.TemporaryDirectory() as dossier:
        sortie = Path(dossier) / "rapport.json"
        commande = [
            lighthouse,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={sortie}",
            "--only-categories=performance",
            f"--extra-headers={json.dumps(en_tetes)}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
        ]
        if preset == "desktop":
            commande.append("--preset=desktop")
        subprocess.run(
            commande,
            check=True,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH") or shutil.which("chromium")},
            capture_output=True,
            timeout=300,
        )
        rapport = json.loads(sortie.read_text())
    audits = rapport["audits"]
    return {
        "score": round(rapport["categories"]["performance"]["score"] * 100),
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
    }


def main():
    parametres = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parametres.add_argument("--url", help="site déjà déployé (sinon déployé ici puis arrêté)")
    parametres.add_argument("--preset", choices=["mobile", "desktop"], action="append")
    parametres.add_argument("--lighthouse", default=os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse"))
    arguments = parametres.parse_args()
    if not arguments.lighthouse:
        sys.exit("Lighthouse introuvable : indiquez-le avec LIGHTHOUSE=… ou --lighthouse (npm install lighthouse).")
    presets = arguments.preset or ["mobile", "desktop"]

    site = None if arguments.url else deployer(dossier_temporaire(), nom_base="banc_lighthouse")
    url = arguments.url or site.url
    try:
        from tests.config.test_site_deploye import session_connectee

        resultats = []
        for email in (None, "employeur@demo.fr"):
            session = session_connectee(Site(url), email)
            cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
            en_tetes = {**EN_TETES_FRONTAL, **({"Cookie": cookies} if cookies else {})}
            pages = ["/comptes/connexion/"] if email is None else pages_employeur(session, url)
            for chemin in pages:
                for preset in presets:
                    m = mesurer(arguments.lighthouse, url + chemin, en_tetes, preset)
                    resultats.append((email or "anonyme", chemin, preset, m))
                    print(
                        f"{email or 'anonyme':18} {chemin:36} {preset:8} performance {m['score']:3}  "
                        f"FCP {m['fcp']:4.1f} s  LCP {m['lcp']:4.1f} s  TBT {m['tbt']:4.0f} ms  CLS {m['cls']:.3f}",
                        flush=True,
                    )
        for preset in presets:
            scores = [m["score"] for *_, p, m in resultats if p == preset]
            print(
                f"{preset} : performance minimale {min(scores)}, CLS maximal {max(m['cls'] for *_, p, m in resultats if p == preset):.3f}"
            )
    finally:
        if site:
            arreter(site)


if __name__ == "__main__":
    main()
