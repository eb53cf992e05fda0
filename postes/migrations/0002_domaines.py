"""The mediation domains (fixtures/reference/domaines.json)."""

from django.db import migrations

from commun.referentiel import charger_domaines


def charger(apps, schema_editor):
    charger_domaines(apps.get_model("postes", "DomaineMediation"))


class Migration(migrations.Migration):
    dependencies = [("postes", "0001_initial")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
