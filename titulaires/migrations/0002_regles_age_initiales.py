"""Seed the minimum-age rules of art. L5134-102: 30 years from the start of the programme, 26 years for
contracts signed from 16 September 2021. National administrators amend them in /admin/."""

from datetime import date

from django.db import migrations

REGLES = [
    (date(1999, 1, 1), 30, "Art. L5134-102 du code du travail : au moins 30 ans (début du programme adultes-relais)"),
    (
        date(2021, 9, 16),
        26,
        "Art. L5134-102 du code du travail modifié : au moins 26 ans pour les contrats signés à partir du 16/09/2021",
    ),
]


def semer(apps, schema_editor):
    RegleAgeMinimum = apps.get_model("titulaires", "RegleAgeMinimum")
    for date_effet, age, reference in REGLES:
        RegleAgeMinimum.objects.get_or_create(date_effet=date_effet, defaults={"age_minimum": age, "reference": reference})


def retirer(apps, schema_editor):
    RegleAgeMinimum = apps.get_model("titulaires", "RegleAgeMinimum")
    RegleAgeMinimum.objects.filter(date_effet__in=[d for d, _, _ in REGLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("titulaires", "0001_initial")]

    operations = [migrations.RunPython(semer, retirer)]
