"""Base of every management command of the project (README, « Codes de sortie des commandes »):

- messages in French, printed on stderr without Django's « CommandError: » prefix, argparse's own
  errors translated;
- exit code **2** for a bad argument or an unknown object (`ArgumentInvalide`, argparse errors),
  **1** for a failure of the work itself (`Echec`, any other error), **0** otherwise;
- never a traceback, unless `--traceback` is given (then the error propagates as Django does).

Called through `call_command()` (tests, other code), errors propagate as `CommandError` with their
`returncode`, as Django does.

A command that must not run twice at once (the daily work, started on several instances) names its
lock: `verrou = "mettre_a_jour_conventions"`. It then runs under that PostgreSQL advisory lock
(commun/verrous.py); a second run started meanwhile does nothing, says so and exits 0."""

import errno
import re
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from commun.verrous import MESSAGE_DEJA_EN_COURS, verrou_exclusif

SORTIE_ECHEC = 1
SORTIE_ARGUMENT = 2
SORTIE_INTERRUPTION = 130


class ArgumentInvalide(CommandError):
    """Bad argument or unknown object (a file that does not exist, a number no convention has): exit 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("returncode", SORTIE_ARGUMENT)
        super().__init__(*args, **kwargs)


class Echec(CommandError):
    """The work itself failed (rejected file, database error, file that cannot be written): exit 1."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("returncode", SORTIE_ECHEC)
        super().__init__(*args, **kwargs)


# argparse speaks English: its messages, in French. Order matters (longer phrases first).
TRADUCTIONS = {
    "the following arguments are required:": "arguments obligatoires manquants :",
    "unrecognized arguments:": "options inconnues :",
    "expected one argument": "une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected at most one argument": "au plus une valeur est attendue",
    "ignored explicit argument": "valeur non attendue",
    "not allowed with argument": "incompatible avec l’option",
    "ambiguous option:": "option ambiguë :",
    "could match": "peut désigner",
    "invalid choice:": "choix invalide :",
    "choose from": "choisissez parmi",
    "invalid int value:": "nombre entier attendu, reçu",
    "invalid float value:": "nombre attendu, reçu",
    "invalid date value:": "date attendue, reçue",
    "invalid value:": "valeur invalide :",
    "argument ": "option ",
    "usage:": "utilisation :",
}


def traduire(message: str) -> str:
    message = re.sub(r"\bargument (\S+): ", r"option \1 : ", message)
    for anglais, francais in TRADUCTIONS.items():
        message = message.replace(anglais, francais)
    return re.sub(r"'([^']*)'", r"« \1 »", message)


ERREURS_SYSTEME = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EISDIR: "c’est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n’est pas un dossier",
    errno.EEXIST: "le fichier existe déjà",
}


def message_systeme(erreur: OSError) -> str:
    """An operating-system error in French (its English text when the code is not listed)."""
    return ERREURS_SYSTEME.get(erreur.errno, erreur.strerror or str(erreur))


def message_echec(erreur: Exception) -> str:
    """One French line for an unexpected error of a command."""
    if isinstance(erreur, OSError):
        cible = f" ({erreur.filename})" if erreur.filename else ""
        return f"erreur du système{cible} : {message_systeme(erreur)}"
    premiere_ligne = (str(erreur).strip().splitlines() or [type(erreur).__name__])[0]
    if isinstance(erreur, DatabaseError):
        return f"erreur de la base de données, inaccessible ou pas à jour (python manage.py migrate) : {premiere_ligne}"
    return f"erreur inattendue ({type(erreur).__name__}) : {premiere_ligne}"


class Commande(BaseCommand):
    # Name of the advisory lock the whole run holds (None: no lock).
    verrou: str | None = None

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def erreur(message):
            texte = f"Option invalide : {traduire(message)}"
            if parser.called_from_command_line:
                sys.stderr.write(traduire(parser.format_usage()))
                parser.exit(SORTIE_ARGUMENT, texte + "\n")
            raise ArgumentInvalide(texte)

        parser.error = erreur
        return parser

    def _executer(self, *args, **options):
        if self.verrou is None:
            return super().execute(*args, **options)
        with verrou_exclusif(self.verrou, options.get("database") or DEFAULT_DB_ALIAS) as obtenu:
            if not obtenu:
                self.stdout.write(MESSAGE_DEJA_EN_COURS)
                return None
            return super().execute(*args, **options)

    def execute(self, *args, **options):
        en_ligne_de_commande = getattr(self, "_called_from_command_line", False)
        if not en_ligne_de_commande or options.get("traceback"):
            return self._executer(*args, **options)
        try:
            return self._executer(*args, **options)
        except CommandError as erreur:
            self.stderr.write(str(erreur))
            sys.exit(erreur.returncode)
        except KeyboardInterrupt:
            self.stderr.write("Interrompu.")
            sys.exit(SORTIE_INTERRUPTION)
        except Exception as erreur:  # noqa: BLE001 — the promise: no traceback on the command line
            self.stderr.write(
                f"Échec de la commande : {message_echec(erreur)}.\n(Relancez avec --traceback pour le détail technique.)"
            )
            sys.exit(SORTIE_ECHEC)
