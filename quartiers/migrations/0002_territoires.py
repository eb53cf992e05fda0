"""Régions and départements (fixtures/reference/territoires.json)."""

from django.db import migrations

from commun.referentiel import charger_territoires


def charger(apps, schema_editor):
    charger_territoires(apps.get_model("quartiers", "Region"), apps.get_model("quartiers", "Departement"))


class Migration(migrations.Migration):
    dependencies = [("quartiers", "0001_initial")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
