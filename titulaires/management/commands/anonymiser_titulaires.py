from datetime import date

from django.conf import settings
from django.utils import timezone

from commun.commandes import ArgumentInvalide, Commande
from titulaires.rgpd import anonymiser_titulaires, titulaires_a_anonymiser


class Command(Commande):
    verrou = "anonymiser_titulaires"  # daily work: one run at a time whatever the number of instances
    help = (
        "Anonymise les titulaires dont la dernière affectation a pris fin depuis plus que la durée de "
        "conservation (RETENTION_TITULAIRES_ANNEES). À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="date du jour (AAAA-MM-JJ), par défaut aujourd’hui")
        parser.add_argument("--dry-run", action="store_true", help="compter sans rien modifier")

    def handle(self, *args, **options):
        try:
            jour = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise ArgumentInvalide(f"--date : date invalide « {options['date']} » (format attendu AAAA-MM-JJ).") from None
        annees = settings.RETENTION_TITULAIRES_ANNEES
        if options["dry_run"]:
            nombre = titulaires_a_anonymiser(jour).count()
            self.stdout.write(f"{nombre} titulaire(s) seraient anonymisé(s) (conservation : {annees} ans).")
            return
        nombre = anonymiser_titulaires(jour)
        self.stdout.write(f"{nombre} titulaire(s) anonymisé(s) (conservation : {annees} ans).")
