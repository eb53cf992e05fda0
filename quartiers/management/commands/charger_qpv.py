"""`python manage.py charger_qpv SOURCE [--geographie 2024]`: load the official QPV file of the ANCT."""

from commun.commandes import ArgumentInvalide, Commande, Echec
from commun.nombres import nombre as grouper
from commun.nombres import pluriel as accord
from quartiers.chargement import FichierInvalide, SourceIntrouvable, charger_qpv
from quartiers.models import Geographie


def nombre(n: int, singulier: str, pluriel: str) -> str:
    """1584 → « 1 584 créés » (singular for 0 and 1, as in French)."""
    return f"{grouper(n)} {accord(n, f'{singulier},{pluriel}')}"


class Command(Commande):
    help = (
        "Charge ou met à jour les quartiers prioritaires depuis le GeoJSON officiel de l’ANCT (chemin, URL ou "
        "archive ZIP), en WGS84. Idempotent : une seconde exécution ne change rien et le dit."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Chemin ou URL du fichier GeoJSON (ou de l’archive ZIP qui le contient).")
        parser.add_argument(
            "--geographie",
            default=Geographie.QPV_2024.value,
            help="Géographie prioritaire du fichier : 2024 (par défaut, codes QN…) ou 2015 (codes QP…).",
        )

    def handle(self, *args, source, geographie, **options):
        if geographie not in Geographie.values:
            raise ArgumentInvalide(f"Géographie « {geographie} » inconnue : choisissez parmi {', '.join(Geographie.values)}.")
        try:
            bilan = charger_qpv(source, geographie)
        except SourceIntrouvable as erreur:
            raise ArgumentInvalide(str(erreur)) from None
        except FichierInvalide as erreur:
            raise Echec(str(erreur)) from None
        self.stdout.write(
            f"Quartiers prioritaires, géographie {geographie} : {nombre(bilan.crees, 'créé', 'créés')}, "
            f"{nombre(bilan.mis_a_jour, 'mis à jour', 'mis à jour')}, {nombre(bilan.inchanges, 'inchangé', 'inchangés')}"
            f" ({nombre(bilan.repares, 'contour réparé', 'contours réparés')})."
        )
        if bilan.absents:
            self.stdout.write(
                f"{nombre(bilan.absents, 'quartier', 'quartiers')} de la géographie {geographie} hors du fichier, "
                "laissés en place."
            )
        if bilan.rien_change:
            self.stdout.write("Rien n’a changé : le référentiel était déjà à jour.")
        else:
            self.stdout.write(self.style.SUCCESS("Référentiel des quartiers prioritaires mis à jour."))
