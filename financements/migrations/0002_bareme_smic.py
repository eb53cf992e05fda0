"""The national barème of the aid and the SMIC (fixtures/reference/bareme_smic.json)."""

from django.db import migrations

from commun.referentiel import charger_bareme_smic


def charger(apps, schema_editor):
    charger_bareme_smic(apps.get_model("financements", "Bareme"), apps.get_model("financements", "Smic"))


class Migration(migrations.Migration):
    dependencies = [("financements", "0001_initial")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
