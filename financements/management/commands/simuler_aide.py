"""python manage.py simuler_aide --debut AAAA-MM-JJ --fin AAAA-MM-JJ --heures H [--vacance AAAA-MM-JJ:AAAA-MM-JJ …] [--json]

Prints the aid month by month (financements/regles.py). With --json, exactly:
{"total": "12345.67", "mois": [{"mois": "2024-07", "montant": "1900.88"}, …]}
Exit status 2 with a French message on stderr for an impossible period or date, hours outside
17.5–35, or a period no barème covers."""

import json
import sys

from commun.commandes import Commande
from financements.models import lignes_bareme
from financements.regles import NOMS_MOIS, AideImpossible, euros, heures_fr
from financements.simulation import lire_date, lire_heures, lire_vacance, simuler


class Command(Commande):
    help = "Simule l’aide de l’État pour un poste d’adulte-relais, mois par mois."

    def add_arguments(self, parser):
        parser.add_argument("--debut", required=True, help="Premier jour, AAAA-MM-JJ.")
        parser.add_argument("--fin", required=True, help="Dernier jour, AAAA-MM-JJ.")
        parser.add_argument("--heures", required=True, help="Heures hebdomadaires, de 17,5 à 35.")
        parser.add_argument(
            "--vacance", action="append", default=[], help="Période sans titulaire AAAA-MM-JJ:AAAA-MM-JJ (répétable)."
        )
        parser.add_argument("--json", action="store_true", help="Sortie JSON : total et montant de chaque mois.")

    def handle(self, *args, **options):
        try:
            debut = lire_date(options["debut"], "--debut")
            fin = lire_date(options["fin"], "--fin")
            heures = lire_heures(options["heures"], "--heures")
            vacances = [lire_vacance(v) for v in options["vacance"]]
            simulation = simuler(debut, fin, heures, vacances, lignes_bareme())
        except AideImpossible as erreur:
            self.stderr.write(str(erreur))
            sys.exit(2)
        echeancier = simulation.aide
        if options["json"]:
            self.stdout.write(json.dumps(echeancier.en_json(), ensure_ascii=False))
            return
        self.stdout.write(
            f"Aide de l’État du {debut:%d/%m/%Y} au {fin:%d/%m/%Y}, {heures_fr(heures)} heures par semaine"
            + (f", poste vacant {len(vacances)} fois" if vacances else "")
        )
        self.stdout.write(f"{'Mois':<16}{'Jours occupés':>15}{'Barème annuel':>18}{'Montant':>16}")
        for m in echeancier.mois:
            bareme = euros(m.taux_annuel) if m.taux_annuel is not None else "—"
            self.stdout.write(
                f"{NOMS_MOIS[m.mois - 1] + ' ' + str(m.annee):<16}{f'{m.jours_occupes}/{m.jours_du_mois}':>15}"
                f"{bareme:>18}{euros(m.montant):>16}"
            )
        self.stdout.write(f"{'Total':<49}{euros(echeancier.total):>16}")
