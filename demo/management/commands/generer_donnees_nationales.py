import time

from django.db import connection

from commun.commandes import ArgumentInvalide, Commande, Echec
from demo.national import BaseNonVide, generer


class Command(Commande):
    help = (
        "Génère, sur une base vide, un jeu de données à l’échelle nationale (tous les départements, "
        "1 584 QPV, ~5 000 employeurs, ~7 000 postes en exercice, ~30 000 conventions sur dix ans, "
        "2 000 demandes), pour les mesures de charge. --echelle 10 multiplie les volumes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--echelle", type=float, default=1.0, help="facteur multiplicatif (défaut : 1)")
        parser.add_argument("--graine", type=int, default=2026, help="graine du générateur pseudo-aléatoire")

    def handle(self, *args, **options):
        if options["echelle"] <= 0:
            raise ArgumentInvalide("--echelle : l’échelle doit être strictement positive.")
        debut = time.perf_counter()
        try:
            resultat = generer(echelle=options["echelle"], graine=options["graine"])
        except BaseNonVide as erreur:
            raise Echec(str(erreur)) from None
        # Fresh planner statistics after a bulk load: without them PostgreSQL plans for empty tables.
        with connection.cursor() as curseur:
            curseur.execute("ANALYZE")
        duree = time.perf_counter() - debut
        for cle, valeur in resultat.items():
            self.stdout.write(f"{cle:>15} : {valeur:>8}")
        self.stdout.write(self.style.SUCCESS(f"Données nationales générées en {duree:.1f} s."))
