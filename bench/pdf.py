"""Benchmark of the convention PDF: milliseconds per PDF (median over 50) and time of a ZIP of 200.
In the same run, WeasyPrint renders a plain two-page text document (same Marianne fonts and font
configuration, same A4 page and margins, no image, no table, no logo stylesheet) as many times: the
ratio convention / plain document is what the convention's layout costs on top of WeasyPrint itself
(issue 22: at most 1.2×).

    .venv/bin/python bench/pdf.py                  # embedded PostgreSQL of this checkout, or DATABASE_URL
    .venv/bin/python bench/pdf.py --prechauffage   # first warms up, as web and task workers do at start

The data (one employer, 200 posts and conventions: 150 signed, 50 drafts) is created inside a
transaction that is rolled back at the end; signed PDFs are stored in a temporary MEDIA_ROOT that is
deleted afterwards. Nothing stays in the database. The database must be migrated."""

import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test import override_settings  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from conventions.archives import archive_zip  # noqa: E402
from conventions.models import Convention  # noqa: E402
from conventions.pdf import prechauffer_weasyprint, rendre_html, rendre_pdf, ressources_weasyprint  # noqa: E402
from employeurs.models import Employeur  # noqa: E402
from postes.models import Poste  # noqa: E402
from quartiers.models import Departement  # noqa: E402

NOMBRE_PDF, NOMBRE_ZIP = 50, 200

PARAGRAPHE = (
    "L’employeur transmet chaque trimestre les justificatifs de l’occupation du poste, bulletins de salaire, "
    "contrat de travail et ses avenants ; le préfet et l’Agence de services et de paiement peuvent contrôler "
    "sur pièces et sur place le respect de la convention, et les sommes indûment perçues donnent lieu à reversement. "
)
# Two A4 pages of running text in Marianne 9.5 pt, as the convention's body.
DOCUMENT_SIMPLE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Document simple</title><style>'
    "@page { size: A4; margin: 22mm 20mm; } "
    'body { font-family: "Marianne", sans-serif; font-size: 9.5pt; line-height: 1.45; }'
    "</style></head><body>" + "".join(f"<p>{n}. {PARAGRAPHE * 2}</p>" for n in range(1, 11)) + "</body></html>"
)


class Annulation(Exception):
    pass


def creer_donnees() -> list[Convention]:
    dep = Departement.objects.get(code="93")
    employeur = Employeur.objects.create(
        siret="99999999900018",
        raison_sociale="Association du banc d’essai",
        forme_juridique="association",
        adresse="1 rue de l’Essai",
        code_postal="93200",
        commune="Saint-Denis",
        departement=dep,
    )
    conventions = []
    for n in range(NOMBRE_ZIP):
        poste = Poste.objects.create(
            identifiant=f"09399R{n:04d}01",
            employeur=employeur,
            departement=dep,
            intitule="Médiateur social",
            missions="Accueillir les habitants et les orienter vers les services publics. " * 3,
            statut="actif",
        )
        signee = n % 4 != 0
        conventions.append(
            Convention.objects.create(
                poste=poste,
                numero=f"BANC-{n:04d}",
                date_debut=date(2025, 1, 1),
                date_fin=date(2027, 12, 31),
                statut="en_cours" if signee else "projet",
                date_signature=date(2024, 12, 1) if signee else None,
                signataire="Le préfet de la Seine-Saint-Denis" if signee else "",
            )
        )
    return conventions


def rendre_document_simple() -> bytes:
    return rendre_document(DOCUMENT_SIMPLE)


class TexteSeul(HTMLParser):
    """The text of a convention's HTML, one paragraph per block (headings, paragraphs, table cells,
    signature blocks…), without the bloc-marque's images, the watermark or any other structure."""

    BLOCS = {"p", "h1", "h2", "th", "td", "div", "header", "section", "li"}

    def __init__(self):
        super().__init__()
        self.paragraphes, self.courant, self.ignore = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCS:
            self._fin_de_paragraphe()
        if tag == "br":
            self.courant.append(" ")
        # The <style> and <title> of the head, the watermark (a div without nested blocks).
        if tag in ("style", "title") or ("class", "filigrane") in attrs:
            self.ignore = tag

    def handle_endtag(self, tag):
        if tag == self.ignore:
            self.ignore = None
        if tag in self.BLOCS:
            self._fin_de_paragraphe()

    def handle_data(self, data):
        if not self.ignore:
            self.courant.append(data)

    def _fin_de_paragraphe(self):
        texte = " ".join("".join(self.courant).split())
        if texte:
            self.paragraphes.append(texte)
        self.courant = []


def document_du_texte_seul(html: str) -> str:
    """The convention's text as the plain document is written: same page, same font, plain paragraphs."""
    lecteur = TexteSeul()
    lecteur.feed(html)
    lecteur.close()
    corps = "".join(f"<p>{escape(texte)}</p>" for texte in lecteur.paragraphes)
    return DOCUMENT_SIMPLE.split("<body>")[0] + "<body>" + corps + "</body></html>"


def rendre_document(html: str) -> bytes:
    from weasyprint import HTML

    r = ressources_weasyprint()
    return HTML(string=html, url_fetcher=r.lecteur).write_pdf(stylesheets=r.feuilles[:1], font_config=r.configuration)


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def main():
    if MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes()):
        sys.exit("La base n’est pas migrée : lancez d’abord « python manage.py migrate ».")
    with tempfile.TemporaryDirectory() as medias, override_settings(MEDIA_ROOT=medias):
        try:
            with transaction.atomic():
                conventions = creer_donnees()
                prechauffage = None
                if "--prechauffage" in sys.argv[1:]:
                    debut = time.perf_counter()
                    prechauffer_weasyprint()
                    prechauffage = (time.perf_counter() - debut) * 1000
                debut = time.perf_counter()
                rendre_pdf(conventions[0])
                premier = (time.perf_counter() - debut) * 1000
                rendre_document_simple()
                # The same conventions' text alone: what their structure costs, apart from their text.
                textes = [document_du_texte_seul(rendre_html(c)) for c in conventions[:NOMBRE_PDF]]
                rendre_document(textes[0])
                durees, processeur, simples, simples_cpu, textes_seuls = [], [], [], [], []
                # Interleaved, so that the load of the machine weighs the same on both.
                for convention, texte in zip(conventions[:NOMBRE_PDF], textes, strict=True):
                    debut, debut_cpu = time.perf_counter(), time.process_time()
                    contenu = rendre_pdf(convention)
                    durees.append((time.perf_counter() - debut) * 1000)
                    processeur.append((time.process_time() - debut_cpu) * 1000)
                    debut, debut_cpu = time.perf_counter(), time.process_time()
                    simple = rendre_document_simple()
                    simples.append((time.perf_counter() - debut) * 1000)
                    simples_cpu.append((time.process_time() - debut_cpu) * 1000)
                    debut = time.perf_counter()
                    seul = rendre_document(texte)
                    textes_seuls.append((time.perf_counter() - debut) * 1000)
                debut, debut_cpu = time.perf_counter(), time.process_time()
                zip_froid = archive_zip(Convention.objects.filter(numero__startswith="BANC-").select_related("poste"))
                froid, froid_cpu = time.perf_counter() - debut, time.process_time() - debut_cpu
                debut, debut_cpu = time.perf_counter(), time.process_time()
                archive_zip(Convention.objects.filter(numero__startswith="BANC-").select_related("poste"))
                chaud, chaud_cpu = time.perf_counter() - debut, time.process_time() - debut_cpu
                raise Annulation
        except Annulation:
            pass
    charge = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine : {os.cpu_count()} processeurs, charge moyenne {charge} (les durées réelles en dépendent)")
    print(
        f"PDF d’une convention : médiane {statistics.median(durees):.0f} ms sur {NOMBRE_PDF} "
        f"(temps processeur médian {statistics.median(processeur):.0f} ms ; min {min(durees):.0f}, max {max(durees):.0f} ; "
        f"{len(contenu) / 1024:.0f} Kio)"
    )
    if prechauffage is None:
        print(f"Premier PDF du processus, sans préchauffage (WeasyPrint et polices à charger) : {premier:.0f} ms")
    else:
        print(f"Préchauffage au démarrage : {prechauffage:.0f} ms ; premier PDF d’une convention ensuite : {premier:.0f} ms")
    print(
        f"Document simple de {pages(simple)} pages (texte seul, mêmes polices, même page) : médiane "
        f"{statistics.median(simples):.0f} ms (processeur {statistics.median(simples_cpu):.0f} ms) ; "
        f"convention ({pages(contenu)} pages) / document simple : {statistics.median(durees) / statistics.median(simples):.2f}× "
        f"(processeur {statistics.median(processeur) / statistics.median(simples_cpu):.2f}×)"
    )
    print(
        f"Texte seul de la convention ({pages(seul)} pages, mêmes paragraphes en texte simple, sans titres, gras, "
        f"tableau, en-tête, signatures ni pied de page) : médiane {statistics.median(textes_seuls):.0f} ms, "
        f"{statistics.median(textes_seuls) / statistics.median(simples):.2f}× le document simple ; sa structure coûte "
        f"donc {(statistics.median(durees) - statistics.median(textes_seuls)) / statistics.median(simples):.2f}× de plus"
    )
    print(
        f"ZIP de {NOMBRE_ZIP} conventions (150 signées, 50 projets), PDF signés générés et archivés : {froid:.1f} s "
        f"(processeur {froid_cpu:.1f} s ; {len(zip_froid) / 1024 / 1024:.1f} Mio)"
    )
    print(
        f"ZIP de {NOMBRE_ZIP} conventions, PDF signés déjà archivés (seuls les 50 projets sont rendus) : {chaud:.1f} s "
        f"(processeur {chaud_cpu:.1f} s)"
    )
    print("Données créées dans une transaction annulée : rien n’est resté en base.")


if __name__ == "__main__":
    main()
