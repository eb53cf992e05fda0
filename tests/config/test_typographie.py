"""French typography of what a person reads in the templates (pages, e-mails, the convention PDF): a
non-breaking space inside « » and before « : », so that a line never starts with « : » or » and a
guillemet never stays alone at the end of a line. Only the text is read: Django tags, variables and
comments, <script> and <style> blocks, HTML tags and their attributes are left out."""

import re
from pathlib import Path

import pytest
from django.conf import settings

# A variable renders as text (« {{ nom }} : » reads « Dupont : »): it stands for a word.
VARIABLE = re.compile(r"\{\{.*?\}\}", re.S)
# What renders as nothing a person reads; the text on both sides then runs together (« </strong> : »).
NON_TEXTE = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}|\{%.*?%\}"
    r"|<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]*>",
    re.S,
)
FAUTES = {
    "espace sécable après «": re.compile(r"« "),
    "espace sécable avant »": re.compile(r"(?<=\S) »"),
    "espace sécable avant :": re.compile(r"(?<=\S) :(?=\s|$)"),
}
GABARITS = sorted(p for p in (Path(settings.BASE_DIR) / "templates").rglob("*") if p.suffix in (".html", ".txt"))


def texte_lu(source: str) -> str:
    return NON_TEXTE.sub("", VARIABLE.sub("x", source))


def fautes_de_typographie(source: str) -> list[str]:
    texte = texte_lu(source)
    return [
        f"{nom} : « {texte[max(0, m.start() - 25) : m.end() + 25].strip()} »"
        for nom, motif in FAUTES.items()
        for m in motif.finditer(texte)
    ]


def test_le_lecteur_trouve_les_espaces_secables_et_ignore_balises_et_code():
    assert len(fautes_de_typographie("<p>Statut : « en cours »</p>")) == 3
    assert fautes_de_typographie("<p>Statut\u00a0: «\u00a0en cours\u00a0»</p>") == []
    # Next to a variable or an inline tag, as the page renders it.
    assert len(fautes_de_typographie("<p><strong>Statut</strong> : «\u00a0{{ statut }} »</p>")) == 2
    ignores = (
        '{# a : b #}{% if a %}<a title="x : y">{{ a|default:" : " }}</a><script>f(a ? b : c)</script><style>a :hover {}</style>'
    )
    assert fautes_de_typographie(ignores) == []


@pytest.mark.parametrize("gabarit", GABARITS, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_les_gabarits_ont_les_espaces_insecables_du_francais(gabarit):
    assert fautes_de_typographie(gabarit.read_text(encoding="utf-8")) == []
