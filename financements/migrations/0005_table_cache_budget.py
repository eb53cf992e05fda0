from django.db import migrations


def creer(apps, schema_editor):
    # The database cache of the dashboard's budget figures (settings.CACHES["budget"]).
    from django.core.management import call_command

    call_command("createcachetable", "cache_budget", database=schema_editor.connection.alias, verbosity=0)


def supprimer(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS cache_budget")


class Migration(migrations.Migration):
    dependencies = [("financements", "0004_indexes_listes")]
    operations = [migrations.RunPython(creer, supprimer)]
