"""Django strips a `{# … #}` comment only when it holds on one line: on several lines it is printed
as text (it was on page 1 of every convention PDF). Multi-line comments use {% comment %}."""

import re
from pathlib import Path

from django.conf import settings

COMMENTAIRE_SUR_PLUSIEURS_LIGNES = re.compile(r"\{#(?:(?!#\}).)*\n")


def test_aucun_gabarit_n_a_de_commentaire_court_sur_plusieurs_lignes():
    fautifs = []
    for gabarit in sorted(Path(settings.BASE_DIR, "templates").rglob("*")):
        if gabarit.is_file():
            texte = gabarit.read_text(encoding="utf-8")
            for trouve in COMMENTAIRE_SUR_PLUSIEURS_LIGNES.finditer(texte):
                fautifs.append(f"{gabarit.relative_to(settings.BASE_DIR)}:{texte[: trouve.start()].count(chr(10)) + 1}")
    assert fautifs == [], f"Commentaires {{# #}} sur plusieurs lignes (imprimés tels quels) : {fautifs}"
