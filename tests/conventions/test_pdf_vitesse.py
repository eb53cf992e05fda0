"""Speed of the convention PDF (issue 22, bench/pdf.py): the bloc-marque's SVG images are drawn once
per process and their drawing replayed (conventions.pdf.DessinMemorise), with the same PDF operators
as WeasyPrint's own drawing; a drawing that needs more than plain graphic states is never replayed."""

import io
from datetime import date

import pydyf
import pytest
from django.conf import settings
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.images import SVGImage
from weasyprint.matrix import Matrix

from conventions.pdf import DessinMemorise, prechauffer_weasyprint, rendre_html, rendre_pdf, ressources_weasyprint
from tests.factories import ConventionFactory


def contenus(pdf: bytes) -> list[bytes]:
    """Every page's content stream and, depth first, those of the forms it draws (the images of the
    bloc-marque are forms): what a viewer draws, whatever the objects' numbers."""
    trouves = []

    def formes(ressources):
        objets = ressources.get("/XObject", {}) if ressources else {}
        for nom in sorted(objets):
            forme = objets[nom].get_object()
            trouves.append(forme.get_data())
            formes(forme.get("/Resources"))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        trouves.append(page.get_contents().get_data())
        formes(page.get("/Resources"))
    return trouves


@pytest.mark.django_db
def test_le_bloc_marque_rejoue_est_dessine_comme_weasyprint_le_dessine(poste93):
    convention = ConventionFactory(poste=poste93, numero="09324R000101-1")
    prechauffer_weasyprint()  # records the drawings, the convention replays them
    html = rendre_html(convention, aujourd_hui=date(2025, 1, 6))
    r = ressources_weasyprint()
    rejoue = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=r.lecteur).write_pdf(
        stylesheets=r.feuilles, font_config=r.configuration, cache=r.cache
    )
    # WeasyPrint alone: an image cache of its own, every image fetched and drawn for this document.
    dessine = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=r.lecteur).write_pdf(
        stylesheets=r.feuilles, font_config=r.configuration, cache={}
    )
    assert contenus(rejoue) == contenus(dessine)


@pytest.mark.django_db
def test_apres_le_prechauffage_aucune_convention_ne_redessine_le_bloc_marque(poste93, monkeypatch):
    prechauffer_weasyprint()
    dessins = []
    dessiner = SVGImage.draw
    monkeypatch.setattr(SVGImage, "draw", lambda image, *args: dessins.append(image) or dessiner(image, *args))
    for numero in ("09324R000101-1", "09324R000101-2"):
        rendre_pdf(ConventionFactory(poste=poste93, numero=numero))
    assert dessins == []
    assert all(isinstance(image, DessinMemorise) for image in ressources_weasyprint().cache.values())


class FluxFactice:
    """What DessinMemorise uses of a WeasyPrint stream."""

    def __init__(self):
        self.stream = []
        self._resources = {"ExtGState": pydyf.Dictionary(), "Pattern": pydyf.Dictionary(), "Font": None}
        self._ctm_stack = [Matrix()]
        self._current_color = self._current_color_stroke = None
        self._current_alpha = self._current_alpha_stroke = self._current_font = None

    @property
    def ctm(self):
        return self._ctm_stack[-1]


class ImageFactice:
    def __init__(self, ressource):
        self.ressource, self.dessins = ressource, 0

    def draw(self, stream, largeur, hauteur, style):
        self.dessins += 1
        stream.stream += [b"q", b"/a1 gs", b"0 0 m 1 1 l f", b"Q"]
        stream._resources[self.ressource][f"x{self.dessins}"] = (
            pydyf.Dictionary({"ca": 1}) if self.ressource == "ExtGState" else pydyf.Stream()
        )
        stream._current_alpha = "a1"


def test_un_dessin_qui_n_ajoute_que_des_etats_graphiques_est_rejoue_a_l_identique():
    image = ImageFactice("ExtGState")
    memorise = DessinMemorise(image)
    premier, second = FluxFactice(), FluxFactice()
    memorise.draw(premier, 44, 18, None)
    memorise.draw(second, 44, 18, None)
    assert image.dessins == 1
    assert second.stream == premier.stream
    assert second._resources["ExtGState"] == {"x1": {"ca": 1}}
    assert second._current_alpha == "a1"
    memorise.draw(FluxFactice(), 88, 36, None)  # another size: drawn again
    assert image.dessins == 2


def test_un_dessin_qui_ajoute_un_motif_n_est_jamais_rejoue():
    image = ImageFactice("Pattern")
    memorise = DessinMemorise(image)
    memorise.draw(FluxFactice(), 44, 18, None)
    memorise.draw(FluxFactice(), 44, 18, None)
    assert image.dessins == 2
