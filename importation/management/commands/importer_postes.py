"""python manage.py importer_postes FICHIER [--departement CODE …] [--dry-run] [--partiel] [--json]

Exit status: 0 when the lines were written (with --partiel, even if some were rejected) or when a dry
run found nothing to reject; 1 when lines were rejected and nothing was written; 2 when the file
cannot be read (missing, not CSV / XLSX / JSON, undecodable, without the mandatory columns).
"""

import json
import sys
import time
from pathlib import Path

from commun.commandes import Commande
from commun.nombres import pluriel
from importation.lecture import FichierIllisible, lire_table
from importation.moteur import Perimetre
from importation.services import importer_postes


class Progression:
    """A one-line progress bar on the terminal (stderr), redrawn at most ten times a second."""

    def __init__(self, flux):
        self.flux = flux
        self.dernier = 0.0

    def __call__(self, fait, total, etape):
        maintenant = time.monotonic()
        if fait < total and maintenant - self.dernier < 0.1:
            return
        self.dernier = maintenant
        part = fait / total if total else 1
        barre = "█" * int(part * 30)
        self.flux.write(f"\r{etape:<9} [{barre:<30}] {fait}/{total} ({part:.0%})")
        if fait >= total:
            self.flux.write("\n")
        self.flux.flush()


class Command(Commande):
    help = "Importe des postes (format d’export de l’application ou registre ANCT) depuis un fichier CSV, XLSX ou JSON."

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="fichier CSV, XLSX ou JSON (registre ANCT)")
        parser.add_argument(
            "--departement",
            nargs="+",
            action="extend",
            default=[],
            metavar="CODE",
            help="n’importer que dans ces départements (les autres lignes sont rejetées)",
        )
        parser.add_argument("--dry-run", action="store_true", help="tout vérifier sans rien écrire")
        parser.add_argument("--partiel", action="store_true", help="écrire les lignes valides même si d’autres sont rejetées")
        parser.add_argument("--json", action="store_true", help="résultat en JSON sur la sortie standard")

    def handle(self, *args, **options):
        chemin = Path(options["fichier"])
        try:
            if not chemin.is_file():
                raise FichierIllisible(f"Fichier introuvable : {chemin}")
            table = lire_table(chemin.read_bytes(), chemin.name)
            progression = None
            if not options["json"] and sys.stderr.isatty():
                progression = Progression(sys.stderr)
            rapport = importer_postes(
                table,
                Perimetre(departements=options["departement"] or None),
                dry_run=options["dry_run"],
                partiel=options["partiel"],
                progression=progression,
            )
        except FichierIllisible as exc:
            self.stderr.write(f"Fichier illisible : {exc}")
            sys.exit(2)
        except OSError as exc:
            self.stderr.write(f"Fichier illisible : {chemin} ({exc.strerror}).")
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps(rapport.as_dict(), ensure_ascii=False))
        else:
            self.afficher(rapport, options["dry_run"])
        if rapport.rejetes and not rapport.ecrit:
            sys.exit(1)

    def afficher(self, rapport, dry_run):
        self.stdout.write(
            f"{rapport.lignes} lignes : {rapport.crees} créées, {rapport.mis_a_jour} mises à jour, "
            f"{rapport.inchanges} inchangées, {rapport.rejetes} rejetées."
        )
        for e in rapport.erreurs:
            self.stdout.write(f"  ligne {e.ligne}, colonne « {e.colonne} » : {e.message}")
        if n := rapport.erreurs_masquees:
            self.stdout.write(f"  … et {n} autre{pluriel(n)} erreur{pluriel(n)} non affichée{pluriel(n)}.")
        for a in rapport.avertissements:
            self.stdout.write(f"  (avertissement) ligne {a.ligne}, colonne « {a.colonne} » : {a.message}")
        if n := rapport.avertissements_masques:
            self.stdout.write(f"  … et {n} autre{pluriel(n)} avertissement{pluriel(n)} non affiché{pluriel(n)}.")
        if rapport.ecrit:
            self.stdout.write(self.style.SUCCESS("Import enregistré."))
        elif dry_run:
            self.stdout.write("Essai à blanc : rien n’a été écrit.")
        else:
            self.stdout.write(
                self.style.ERROR("Des lignes sont rejetées : rien n’a été écrit (--partiel importe les lignes valides).")
            )
