"""Importing posts (our own export format, or ANCT's register of funded posts): one transaction.

By default nothing is written when a line is rejected; with `partiel=True` the valid lines are written
and the rejected ones are listed (and can be downloaded with their reasons, `fichier_rejets`).
Imports are serialised by a transaction-level advisory lock, and the rows they update are locked with
SELECT … FOR UPDATE, so that the plan computed from the database is still true when it is written.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction

from commun.exports import contenu_csv
from postes.importation.lecture import Table
from postes.importation.moteur import Analyse, Perimetre, Probleme

VERROU_IMPORT = 0x41522D494D50  # "AR-IMP": pg_advisory_xact_lock key shared by every import


@dataclass
class Rapport:
    lignes: int
    crees: int
    mis_a_jour: int
    inchanges: int
    rejetes: int
    erreurs: list[Probleme]
    avertissements: list[Probleme] = field(default_factory=list)
    objets: dict = field(default_factory=dict)
    ecrit: bool = False

    def as_dict(self) -> dict:
        """The command's JSON: the keys of the issue first, then warnings and per-object counts."""
        return {
            "lignes": self.lignes,
            "crees": self.crees,
            "mis_a_jour": self.mis_a_jour,
            "inchanges": self.inchanges,
            "rejetes": self.rejetes,
            "erreurs": [e.as_dict() for e in self.erreurs],
            "avertissements": [a.as_dict() for a in self.avertissements],
            "objets": self.objets,
            "ecrit": self.ecrit,
        }

    def erreurs_par_ligne(self) -> dict[int, list[Probleme]]:
        par_ligne: dict[int, list[Probleme]] = {}
        for e in self.erreurs:
            par_ligne.setdefault(e.ligne, []).append(e)
        return par_ligne


def importer_postes(
    table: Table,
    perimetre: Perimetre,
    *,
    dry_run: bool = False,
    partiel: bool = False,
    utilisateur=None,
    progression=None,
) -> Rapport:
    """Check every line of `table`, then write (unless `dry_run`) when no line is rejected, or the
    valid lines when `partiel`. Returns the counts and every error with its line and column."""
    with transaction.atomic():
        if not dry_run:
            with connection.cursor() as curseur:
                curseur.execute("SELECT pg_advisory_xact_lock(%s)", [VERROU_IMPORT])
        analyse = Analyse(table, perimetre, verrouiller=not dry_run, progression=progression).executer()
        comptes = analyse.compte()
        # With --partiel, a file whose every line is rejected writes nothing (and says so).
        ecrire = not dry_run and (comptes["rejetes"] == 0 or (partiel and comptes["rejetes"] < comptes["lignes"]))
        if ecrire:
            if progression:
                progression(0, 1, "écriture")
            analyse.appliquer(utilisateur)
            if progression:
                progression(1, 1, "écriture")
        return Rapport(
            **comptes,
            erreurs=analyse.erreurs,
            avertissements=analyse.avertissements,
            objets=analyse.objets(),
            ecrit=ecrire,
        )


ENTETE_LIGNE = "Ligne d’origine"
ENTETE_MOTIFS = "Motifs du rejet"


def fichier_rejets(table: Table, rapport: Rapport) -> bytes:
    """The rejected lines as they were, with their line number and reasons (CSV, French Excel dialect).
    The two added columns are ignored when the corrected file is imported again."""
    par_ligne = rapport.erreurs_par_ligne()
    lignes = []
    for numero, cellules in table.lignes:
        if numero in par_ligne:
            cellules = list(cellules) + [None] * (len(table.entetes) - len(cellules))
            motifs = " | ".join(f"{e.colonne} : {e.message}" for e in par_ligne[numero])
            lignes.append([*cellules[: len(table.entetes)], numero, motifs])
    return contenu_csv([*table.entetes, ENTETE_LIGNE, ENTETE_MOTIFS], lignes)
