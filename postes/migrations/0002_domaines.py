from django.db import migrations


def charger(apps, schema_editor):
    from commun.referentiel import charger_domaines

    charger_domaines(apps.get_model("postes", "DomaineMediation"))


class Migration(migrations.Migration):
    dependencies = [("postes", "0001_initial")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
