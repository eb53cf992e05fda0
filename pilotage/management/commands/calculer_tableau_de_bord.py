import time

from django.utils import timezone

from commun.commandes import ArgumentInvalide, Commande
from pilotage.cache_budget import prechauffer

ANNEE_MIN, ANNEE_MAX = 1999, 2100  # the programme was created in 1999


class Command(Commande):
    verrou = "calculer_tableau_de_bord"  # daily work: one run at a time whatever the number of instances
    help = (
        "Calcule d’avance les chiffres budgétaires du tableau de bord (aide engagée et prévue de chaque "
        "département pour l’année) : à lancer chaque jour après mettre_a_jour_conventions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--annee", type=int, help="année (par défaut l’année en cours)")

    def handle(self, *args, **options):
        aujourd_hui = timezone.localdate()
        annee = aujourd_hui.year if options["annee"] is None else options["annee"]
        if not ANNEE_MIN <= annee <= ANNEE_MAX:
            raise ArgumentInvalide(f"--annee : {annee} est hors des années suivies ({ANNEE_MIN} à {ANNEE_MAX}).")
        debut = time.perf_counter()
        nombre = prechauffer(annee, aujourd_hui)
        self.stdout.write(f"Chiffres {annee} de {nombre} départements calculés en {time.perf_counter() - debut:.1f} s.")
