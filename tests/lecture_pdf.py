"""Reading the PDFs the application produces, as a person would read them.

`texte_pdf()` extracts the text of a PDF (pypdf), spaces normalised. `verifier_pdf_lisible()` fails
on what a person must never read in a convention: template syntax left in the output (`{#`, `{%`,
`{{`) or a Python value printed as such (`None`, `nan`). The autouse fixture of tests/conftest.py
(`pdf_produits_lisibles`) runs it on every PDF rendered during the tests (conventions.pdf.rendre_pdf is
the only place that produces one)."""

import io
import re

from pypdf import PdfReader

SYNTAXE_DE_GABARIT = ("{#", "#}", "{%", "%}", "{{", "}}")
VALEURS_BRUTES = re.compile(r"\b(None|nan|NaN)\b")


def texte_pdf(pdf: bytes) -> str:
    brut = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", brut)


class PdfIllisible(AssertionError):
    pass


def defauts_du_texte(texte: str) -> list[str]:
    """What a person must not read in the text of a PDF, as a list of French findings."""
    defauts = [f"syntaxe de gabarit « {s} »" for s in SYNTAXE_DE_GABARIT if s in texte]
    defauts += [f"valeur brute « {m.group(0)} »" for m in VALEURS_BRUTES.finditer(texte)]
    return defauts


def verifier_pdf_lisible(pdf: bytes, nom: str = "PDF") -> str:
    """The PDF's text, or PdfIllisible naming each defect with its context."""
    texte = texte_pdf(pdf)
    defauts = defauts_du_texte(texte)
    if defauts:
        raise PdfIllisible(f"{nom} : {', '.join(defauts)} dans le texte produit : {texte[:600]}…")
    return texte
