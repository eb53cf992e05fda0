"""python manage.py archiver_pdf_conventions [--departement CODE]

Generates and stores, once, the PDF of every signed convention that has none yet (conventions
imported or signed before this version). Afterwards downloads and ZIPs only read the archive."""

from commun.commandes import ArgumentInvalide, Commande
from conventions.models import Convention
from conventions.regles import STATUTS_SIGNES
from conventions.services.cycle import pdf_de_la_convention
from quartiers.models import Departement


class Command(Commande):
    help = "Génère et archive le PDF des conventions signées qui n’en ont pas encore."

    def add_arguments(self, parser):
        parser.add_argument("--departement", help="Code du département (par défaut : tous).")

    def handle(self, *args, **options):
        conventions = Convention.objects.filter(statut__in=STATUTS_SIGNES, pdf="").select_related(
            "poste__employeur", "poste__departement"
        )
        if options["departement"]:
            if not Departement.objects.filter(code=options["departement"]).exists():
                raise ArgumentInvalide(f"--departement : aucun département ne porte le code « {options['departement']} ».")
            conventions = conventions.filter(poste__departement__code=options["departement"])
        nombre = 0
        for convention in conventions.order_by("numero").iterator(chunk_size=100):
            pdf_de_la_convention(convention)
            nombre += 1
        self.stdout.write(
            f"{nombre} PDF de convention{'s' if nombre > 1 else ''} signée{'s' if nombre > 1 else ''} archivé{'s' if nombre > 1 else ''}."
        )
