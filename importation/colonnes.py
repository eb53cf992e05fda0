"""The columns an import understands, and how a header is recognised.

A header is compared without case, accents, spaces or punctuation (`valeurs.cle`): « Raison sociale »,
`raison_sociale` and `RAISON SOCIALE` are the same column. Each field accepts the header of our own
exports and the one of ANCT's register (`id_poste`, `code_tiers`, `insee_dep`…).
"""

from dataclasses import dataclass

from importation.lecture import FichierIllisible
from importation.valeurs import cle
from postes.exports import CHAMPS

OBLIGATOIRES = ("identifiant", "siret")

_PAR_CLE = {}
for _champ, (_entete, _autres) in CHAMPS.items():
    for _nom in (_entete, *_autres):
        _PAR_CLE.setdefault(cle(_nom), _champ)

# Columns our own files add and the import ignores silently (the rejected-lines file adds them).
IGNOREES = {cle("Ligne d’origine"), cle("Motifs du rejet")}


@dataclass
class Colonnes:
    index: dict[str, int]  # field → position in the row
    noms: dict[str, str]  # field → header as written in the file (for messages)
    inconnues: list[str]
    doublons: list[str]

    def __contains__(self, champ):
        return champ in self.index

    def nom(self, champ: str) -> str:
        return self.noms.get(champ) or CHAMPS[champ][0]


def reconnaitre(entetes: list[str]) -> Colonnes:
    """Map the file's headers to fields; a file without the mandatory columns is not an import file."""
    index, noms, inconnues, doublons = {}, {}, [], []
    for position, entete in enumerate(entetes):
        k = cle(entete)
        if not k or k in IGNOREES:
            continue
        champ = _PAR_CLE.get(k)
        if champ is None:
            inconnues.append(entete)
        elif champ in index:
            doublons.append(entete)
        else:
            index[champ] = position
            noms[champ] = entete
    manquantes = [c for c in OBLIGATOIRES if c not in index]
    if manquantes:
        attendues = " ; ".join(f"« {CHAMPS[c][0]} » (ou « {CHAMPS[c][1][0]} »)" for c in manquantes)
        lues = ", ".join(f"« {e} »" for e in entetes if e) or "aucune"
        raise FichierIllisible(f"Colonne obligatoire introuvable : {attendues}. Colonnes lues : {lues}.")
    return Colonnes(index, noms, inconnues, doublons)
