import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from financements.cache_budget import prechauffer


class Command(BaseCommand):
    help = (
        "Calcule d’avance les chiffres budgétaires du tableau de bord (aide engagée et prévue de chaque "
        "département pour l’année) : à lancer chaque jour après mettre_a_jour_conventions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--annee", type=int, help="année (par défaut l’année en cours)")

    def handle(self, *args, **options):
        aujourd_hui = timezone.localdate()
        annee = options["annee"] or aujourd_hui.year
        debut = time.perf_counter()
        nombre = prechauffer(annee, aujourd_hui)
        self.stdout.write(
            f"Chiffres {annee} de {nombre} départements calculés en {time.perf_counter() - debut:.1f} s."
        )
