"""python manage.py convention_pdf NUMERO -o fichier.pdf

Writes the convention's PDF: the stored signed archive (generated and stored on first use), or a
preview marked PROJET for a draft."""

from pathlib import Path

from commun.commandes import ArgumentInvalide, Commande, Echec
from conventions.models import Convention
from conventions.services.cycle import pdf_de_la_convention


class Command(Commande):
    help = "Écrit le PDF d’une convention (archive signée, ou aperçu « PROJET » avant signature)."

    def add_arguments(self, parser):
        parser.add_argument("numero", help="Numéro de la convention.")
        parser.add_argument("-o", "--output", required=True, help="Fichier PDF à écrire.")

    def handle(self, *args, **options):
        convention = (
            Convention.objects.select_related("poste__employeur", "poste__departement").filter(numero=options["numero"]).first()
        )
        if convention is None:
            raise ArgumentInvalide(f"Aucune convention ne porte le numéro « {options['numero']} ».")
        contenu, signe = pdf_de_la_convention(convention)
        sortie = Path(options["output"])
        try:
            sortie.write_bytes(contenu)
        except OSError as erreur:
            raise Echec(f"Impossible d’écrire {sortie} : {erreur.strerror}.") from None
        nature = "convention signée (archive)" if signe else "aperçu du projet"
        self.stdout.write(f"{sortie} : {nature} {convention.numero}, {len(contenu)} octets.")
