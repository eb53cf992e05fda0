from django.db import migrations


def charger(apps, schema_editor):
    from commun.referentiel import charger_bareme_smic

    charger_bareme_smic(apps.get_model("financements", "Bareme"), apps.get_model("financements", "Smic"))


class Migration(migrations.Migration):
    dependencies = [("financements", "0001_initial")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
