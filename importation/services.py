"""Importing posts (our own export format, or ANCT's register of funded posts): one transaction.

By default nothing is written when a line is rejected; with `partiel=True` the valid lines are written
and the rejected ones are listed (and can be downloaded with their reasons, `fichier_rejets`).
Imports are serialised by a transaction-level advisory lock, and the rows they update are locked with
SELECT … FOR UPDATE, so that the plan computed from the database is still true when it is written.
"""

from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import connection, transaction

from commun.exports import contenu_csv
from importation.lecture import Table
from importation.moteur import Analyse, Perimetre, Probleme

VERROU_IMPORT = 0x41522D494D50  # "AR-IMP": pg_advisory_xact_lock key shared by every import


@dataclass
class Rapport:
    lignes: int
    crees: int
    mis_a_jour: int
    inchanges: int
    rejetes: int
    erreurs: list[Probleme]  # the first MESSAGES_MAX
    avertissements: list[Probleme] = field(default_factory=list)  # the first MESSAGES_MAX
    objets: dict = field(default_factory=dict)
    ecrit: bool = False
    erreurs_total: int | None = None
    avertissements_total: int | None = None
    motifs: dict[int, str] = field(default_factory=dict)  # rejected line → its reasons (every one)

    def __post_init__(self):
        if self.erreurs_total is None:
            self.erreurs_total = len(self.erreurs)
        if self.avertissements_total is None:
            self.avertissements_total = len(self.avertissements)

    @property
    def erreurs_masquees(self) -> int:
        return self.erreurs_total - len(self.erreurs)

    @property
    def avertissements_masques(self) -> int:
        return self.avertissements_total - len(self.avertissements)

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
            "erreurs_total": self.erreurs_total,
            "avertissements_total": self.avertissements_total,
        }

    @classmethod
    def depuis_dict(cls, donnees: dict) -> "Rapport":
        """The report kept as `as_dict()` (the preview computed by the worker), for the page."""
        problemes = lambda cle: [Probleme(**p) for p in donnees[cle]]  # noqa: E731
        champs = {k: donnees[k] for k in ("lignes", "crees", "mis_a_jour", "inchanges", "rejetes", "objets", "ecrit")}
        return cls(
            **champs,
            erreurs=problemes("erreurs"),
            avertissements=problemes("avertissements"),
            erreurs_total=donnees["erreurs_total"],
            avertissements_total=donnees["avertissements_total"],
        )

    def comptes(self) -> dict:
        return {k: getattr(self, k) for k in ("lignes", "crees", "mis_a_jour", "inchanges", "rejetes")}


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
    # A dry run writes nothing and locks nothing: outside a transaction, so that the progress the
    # worker records as it goes is seen by the page at once (importation/suivi.py).
    with nullcontext() if dry_run else transaction.atomic():
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
        erreurs, erreurs_total = analyse.premieres_erreurs()
        return Rapport(
            **comptes,
            erreurs=erreurs,
            erreurs_total=erreurs_total,
            avertissements=analyse.avertissements,
            avertissements_total=analyse.avertissements_total,
            objets=analyse.objets(),
            ecrit=ecrire,
            motifs=analyse.motifs(),
        )


ENTETE_LIGNE = "Ligne d’origine"
ENTETE_MOTIFS = "Motifs du rejet"


def fichier_rejets(table: Table, rapport: Rapport) -> bytes:
    """The rejected lines as they were, with their line number and reasons (CSV, French Excel dialect).
    The two added columns are ignored when the corrected file is imported again."""
    lignes = []
    for numero, cellules in table.lignes:
        if numero in rapport.motifs:
            cellules = list(cellules) + [None] * (len(table.entetes) - len(cellules))
            lignes.append([*cellules[: len(table.entetes)], numero, rapport.motifs[numero]])
    return contenu_csv([*table.entetes, ENTETE_LIGNE, ENTETE_MOTIFS], lignes)
