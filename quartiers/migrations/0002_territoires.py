from django.db import migrations


def charger(apps, schema_editor):
    from commun.referentiel import charger_territoires

    charger_territoires(apps.get_model("quartiers", "Region"), apps.get_model("quartiers", "Departement"))


class Migration(migrations.Migration):
    dependencies = [("quartiers", "0001_initial")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
