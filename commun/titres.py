"""A title (« Le préfet de la Seine-Saint-Denis », « la sous-préfète chargée de mission ») read
correctly where it is inserted: lower case inside a sentence (« Signée pour l’État par le préfet de
la Seine-Saint-Denis »), capital at the start of a line (the signature block of the PDF). Only the
first letter changes, and only when the first word is an article or a common noun of office: a
person's name (« Jeanne Martin, préfète ») or a proper noun keeps its capital."""

import re

# Articles and nouns of office that French writes in lower case in running text.
MOTS_COMMUNS = frozenset(
    """le la les l’ l' un une pour par préfet préfète sous-préfet sous-préfète secrétaire directeur directrice
    délégué déléguée adjoint adjointe chef cheffe responsable président présidente maire""".split()
)
PREMIER_MOT = re.compile(r"^([^\W\d_]+(?:-[^\W\d_]+)*)([’']?)")


def _premier_mot_commun(titre: str) -> bool:
    trouve = PREMIER_MOT.match(titre)
    return bool(trouve) and (trouve.group(1) + trouve.group(2)).lower() in MOTS_COMMUNS


def titre_dans_une_phrase(titre: str) -> str:
    """« Le préfet de la Seine-Saint-Denis » → « le préfet de la Seine-Saint-Denis »."""
    titre = (titre or "").strip()
    if titre and _premier_mot_commun(titre):
        return titre[0].lower() + titre[1:]
    return titre


def titre_en_debut_de_ligne(titre: str) -> str:
    """« le préfet de la Seine-Saint-Denis » → « Le préfet de la Seine-Saint-Denis »."""
    titre = (titre or "").strip()
    return titre[:1].upper() + titre[1:]
