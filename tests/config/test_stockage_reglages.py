"""The storage the settings choose: the local disk without S3 variables (`make run` needs nothing),
django-storages' S3 storage on a private bucket with them."""

import json
import os
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]

LIRE = (
    "import django, json; django.setup(); from django.conf import settings; "
    "from django.core.files.storage import storages; "
    "s = storages['default']; c = getattr(s, 'client_config', None); "
    "print(json.dumps({'classe': type(s).__name__, 'options': settings.STORAGES['default'].get('OPTIONS', {}), "
    "'client': c and {'adressage': c.s3['addressing_style'], 'connexion': c.connect_timeout, 'lecture': c.read_timeout}}, "
    "default=str))"
)


def stockage_choisi(**variables):
    env = {k: v for k, v in os.environ.items() if not k.startswith("S3_")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="true", **variables)
    sortie = subprocess.run([sys.executable, "-c", LIRE], cwd=RACINE, env=env, capture_output=True, text=True, check=True)
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def test_sans_variables_s3_les_fichiers_restent_sur_le_disque_local():
    assert stockage_choisi()["classe"] == "FileSystemStorage"


def test_avec_les_variables_s3_un_compartiment_prive_sans_adresse_publique():
    choisi = stockage_choisi(
        S3_BUCKET="adultes-relais-prod",
        S3_ENDPOINT_URL="https://cellar-c2.services.clever-cloud.com",
        S3_REGION="fr-par",
        S3_ACCESS_KEY_ID="cle",
        S3_SECRET_ACCESS_KEY="secret",
    )
    assert choisi["classe"] == "S3Storage"
    options = choisi["options"]
    assert options["bucket_name"] == "adultes-relais-prod"
    assert options["endpoint_url"] == "https://cellar-c2.services.clever-cloud.com" and options["region_name"] == "fr-par"
    assert options["access_key"] == "cle" and options["secret_key"] == "secret"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True and options["querystring_expire"] <= 300
    assert options["file_overwrite"] is False
    assert choisi["client"] == {"adressage": "path", "connexion": 5, "lecture": 30}  # a slow storage never hangs a page
