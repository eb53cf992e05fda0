"""Base of the management commands: errors are printed as a plain French message on stderr (without
Django's « CommandError: » prefix) and the command exits with the error's return code."""

import sys

from django.core.management.base import BaseCommand, CommandError


# argparse speaks English: the messages a user is likely to meet, in French.
TRADUCTIONS = {
    "unrecognized arguments:": "options inconnues :",
    "expected one argument": "une valeur est attendue",
    "the following arguments are required:": "arguments obligatoires manquants :",
    "invalid choice:": "choix invalide :",
    "argument ": "option ",
}


def traduire(message: str) -> str:
    for anglais, francais in TRADUCTIONS.items():
        message = message.replace(anglais, francais)
    return message


class Commande(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def erreur(message):
            texte = f"Option invalide : {traduire(message)}"
            if parser.called_from_command_line:
                parser.print_usage(sys.stderr)
                parser.exit(2, texte + "\n")
            raise CommandError(texte, returncode=2)

        parser.error = erreur
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as erreur:
            if getattr(self, "_called_from_command_line", False) and not options.get("traceback"):
                self.stderr.write(str(erreur))
                sys.exit(erreur.returncode)
            raise
