"""Daily: signed conventions become « en cours » when they start, « échue » after their end,
« caduque » when nobody was hired within five months; posts follow. Idempotent."""

from datetime import date

from django.utils import timezone

from commun.commandes import ArgumentInvalide, Commande
from conventions.regles import StatutConvention
from conventions.services.cycle import mettre_a_jour_conventions
from postes.regles import StatutPoste


def lire_date_option(texte: str, option: str) -> date:
    try:
        return date.fromisoformat(texte)
    except ValueError:
        raise ArgumentInvalide(f"{option} : date impossible « {texte} » (format attendu AAAA-MM-JJ).")


class Command(Commande):
    verrou = "mettre_a_jour_conventions"  # daily work: one run at a time whatever the number of instances
    help = "Met à jour le statut des conventions (en cours, échue, caduque) et des postes à une date (aujourd’hui par défaut)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Date de référence AAAA-MM-JJ (par défaut : aujourd’hui).")

    def handle(self, *args, **options):
        jour = lire_date_option(options["date"], "--date") if options["date"] else timezone.localdate()
        changements, postes = mettre_a_jour_conventions(jour)
        if not changements and not postes:
            self.stdout.write(f"Aucune convention à mettre à jour au {jour:%d/%m/%Y}.")
            return
        for c in changements:
            self.stdout.write(
                f"Convention {c.convention.numero} : {StatutConvention(c.avant).label} → {StatutConvention(c.apres).label}"
            )
        for poste in postes:
            self.stdout.write(f"Poste {poste.identifiant} : désormais « {StatutPoste(poste.statut).label.lower()} »")
        self.stdout.write(
            f"{len(changements)} convention{'s' if len(changements) > 1 else ''} et {len(postes)} "
            f"poste{'s' if len(postes) > 1 else ''} mis à jour au {jour:%d/%m/%Y}."
        )
