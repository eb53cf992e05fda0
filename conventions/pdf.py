"""The convention as a PDF (WeasyPrint): the State's layout (bloc-marque « Préfet de … » drawn by
the design system's own logo stylesheet, Marianne font from the design system's files), the content
required by art. D5134-151 of the code du travail, signature blocks, and a PROJET watermark before
signature. Rendering only: storing the signed PDF lives in conventions/services/cycle.py."""

import atexit
import threading
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from commun.titres import titre_dans_une_phrase
from conventions.echeancier import PLEINE, echeancier_convention
from conventions.models import renouvellements_dans_la_chaine
from conventions.regles import StatutConvention
from financements.models import lignes_bareme
from financements.regles import HEURES_TEMPS_PLEIN, REGLE_AIDE, arrondir_au_centime, euros, taux_en_vigueur

# How each département's name follows « Préfet » (INSEE « charnière »); anything else: « de ».
CHARNIERES = {
    "du ": "14 15 18 25 29 30 32 39 45 46 56 59 62 63 67 68 69 81 83 90 94 95",
    "de la ": "16 17 19 2A 2B 21 23 24 26 31 33 42 43 44 48 50 51 52 53 55 57 58 70 72 73 74 76 80 85 86 87 93 "
    "971 972 973 987 988",
    "de l’": "01 02 03 07 09 10 11 12 27 34 36 38 60 61 89 91",
    "des ": "04 05 06 08 13 22 40 64 65 66 78 79 88 92",
    "d’": "28 35 37",
}
_CHARNIERE_PAR_CODE = {code: charniere for charniere, codes in CHARNIERES.items() for code in codes.split()}


def prefet_de(departement) -> str:
    """« Préfet de la Seine-Saint-Denis », « Préfet du Rhône », « Préfet de l’Ain »."""
    return f"Préfet {_CHARNIERE_PAR_CODE.get(departement.code, 'de ')}{departement.nom}"


def le_prefet_de(departement) -> str:
    """« Le préfet de la Seine-Saint-Denis » (the signatory proposed; commun/titres.py puts it in a
    sentence: « … par le préfet de la Seine-Saint-Denis »)."""
    return "Le " + titre_dans_une_phrase(prefet_de(departement))


def chaine_css(texte: str) -> str:
    """A CSS string literal (for `content:` in @page margins)."""
    return '"' + texte.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ") + '"'


def _chemin_statique(chemin: str) -> Path:
    trouve = finders.find(chemin)
    if not trouve:
        raise FileNotFoundError(f"Fichier statique introuvable : {chemin}")
    return Path(trouve)


def _fichier_statique(chemin: str) -> str:
    return _chemin_statique(chemin).as_uri()


def polices() -> dict:
    """file:// addresses of the Marianne font files shipped with django-dsfr."""
    return {
        nom: _fichier_statique(f"dsfr/dist/fonts/Marianne-{nom}.woff")
        for nom in ("Regular", "Bold", "Medium", "Light", "Regular_Italic")
    }


def _projet(poste) -> str:
    """Nature of the project (D5134-151, 1°): the request's project, else the post's missions."""
    try:
        demande = poste.demande
    except ObjectDoesNotExist:
        demande = None
    if demande is not None and demande.projet.strip():
        return demande.projet
    return poste.missions or poste.intitule


def contexte_pdf(convention, aujourd_hui: date | None = None) -> dict:
    poste = convention.poste
    bareme = lignes_bareme()
    annuel = taux_en_vigueur(bareme, convention.date_debut.replace(day=1))
    quotite = convention.heures_hebdomadaires / HEURES_TEMPS_PLEIN
    estimation = None
    if annuel is not None:
        estimation = echeancier_convention(convention, occupation=PLEINE, bareme=bareme)
    par_annee = {}
    for mois in estimation.mois if estimation else ():
        par_annee[mois.annee] = par_annee.get(mois.annee, Decimal("0.00")) + mois.montant
    return {
        "convention": convention,
        "poste": poste,
        "employeur": poste.employeur,
        "departement": poste.departement,
        "prefet": prefet_de(poste.departement),
        "le_prefet": le_prefet_de(poste.departement),
        "prefet_complement": prefet_de(poste.departement).removeprefix("Préfet "),
        "projet": _projet(poste),
        "quartiers": list(poste.quartiers.all()),
        "domaines": list(poste.domaines.all()),
        "avenants": list(convention.avenants.all()),
        "montant_annuel_bareme": euros(annuel) if annuel is not None else None,
        "montant_annuel_poste": euros(arrondir_au_centime(Fraction(annuel) * Fraction(quotite))) if annuel is not None else None,
        "pourcentage_temps": (quotite * 100).quantize(Decimal("0.1")),
        "estimation_totale": euros(estimation.total) if estimation else None,
        "estimation_par_annee": [(str(annee), euros(montant)) for annee, montant in sorted(par_annee.items())],
        "pied_de_page": chaine_css(f"Convention n° {convention.numero} – poste {poste.identifiant}"),
        "regle_aide": REGLE_AIDE,
        "renouvellements_max": settings.CONVENTION_RENOUVELLEMENTS_MAX,
        # The same count as the allowed actions (conventions.regles.actions_permises).
        "renouvellements_restants": settings.CONVENTION_RENOUVELLEMENTS_MAX - renouvellements_dans_la_chaine(convention),
        "projet_filigrane": convention.statut == StatutConvention.PROJET,
        "edite_le": aujourd_hui or timezone.localdate(),
    }


def rendre_html(convention, aujourd_hui: date | None = None) -> str:
    return render_to_string("conventions/pdf/convention.html", contexte_pdf(convention, aujourd_hui))


# The motto « Liberté Égalité Fraternité » of the bloc-marque is a sprite: the design system's SVG holds
# it twice, black at the top left and white (dark theme) at the bottom right, which the box never shows
# (background-position puts it below the box). WeasyPrint draws every path of a background image, shown
# or not: without the white copy, the PDF looks the same and the logo costs half as much to draw.
DEVISE_THEME_SOMBRE = "%3Cuse fill='%23fff' width='126' height='90' x='126' y='90' href='%23n'/%3E"


def feuille_du_logo() -> str:
    """The design system's logo stylesheet, without the hidden white copy of the motto."""
    feuille = _chemin_statique("dsfr/dist/component/logo/logo.main.min.css").read_text(encoding="utf-8")
    if feuille.count(DEVISE_THEME_SOMBRE) != 1:
        raise ValueError("Feuille du logo du système de design inattendue : la devise du thème sombre est introuvable.")
    return feuille.replace(DEVISE_THEME_SOMBRE, "")


class DessinMemorise:
    """An SVG image of WeasyPrint's image cache (the bloc-marque's Marianne and motto), drawn once and
    replayed. WeasyPrint walks the SVG tree again for every document, parsing each path's coordinates:
    a fifth of the convention's rendering time (bench/pdf.py). The PDF operators a drawing writes
    depend on nothing but the image, its size, the transformation and the graphic state in force, so
    the first drawing for a given key is recorded and the next ones copy it. A drawing that adds anything but plain graphic-state
    dictionaries to its stream's resources (a pattern, a shading, a nested object) is never replayed."""

    ETATS = ("_current_color", "_current_color_stroke", "_current_alpha", "_current_alpha_stroke", "_current_font")

    def __init__(self, image):
        self.image = image
        self._traces = {}

    def __getattr__(self, nom):
        # Intrinsic size, ratio…: what WeasyPrint asks of an image other than drawing it.
        return getattr(self.image, nom)

    def draw(self, stream, concrete_width, concrete_height, style):
        # What the operators may depend on: the size, the transformation, the colour and alpha in force.
        cle = (
            concrete_width,
            concrete_height,
            tuple(tuple(ligne) for ligne in stream.ctm),
            tuple(getattr(stream, attribut) for attribut in self.ETATS),
        )
        trace = self._traces.get(cle)
        if trace is not None:
            operateurs, ressources, etats = trace
            stream.stream.extend(operateurs)
            for categorie, nom, valeur in ressources:
                stream._resources[categorie].setdefault(nom, pydyf.Dictionary(valeur))
            for attribut, valeur in zip(self.ETATS, etats, strict=True):
                setattr(stream, attribut, valeur)
            return
        avant = len(stream.stream)
        noms_avant = {categorie: set(valeurs) for categorie, valeurs in _dictionnaires(stream._resources)}
        profondeur = len(stream._ctm_stack)
        self.image.draw(stream, concrete_width, concrete_height, style)
        ajouts = [
            (categorie, nom, valeurs[nom])
            for categorie, valeurs in _dictionnaires(stream._resources)
            for nom in set(valeurs) - noms_avant.get(categorie, set())
        ]
        # Only inline dictionaries of plain values: anything else is an object of this document.
        simples = all(
            type(valeur) is pydyf.Dictionary and all(isinstance(v, int | float | str) for v in valeur.values())
            for _, _, valeur in ajouts
        )
        if simples and len(stream._ctm_stack) == profondeur:
            ressources = [(categorie, nom, dict(valeur)) for categorie, nom, valeur in ajouts]
            etats = tuple(getattr(stream, attribut) for attribut in self.ETATS)
            self._traces[cle] = (tuple(stream.stream[avant:]), ressources, etats)


def _dictionnaires(ressources):
    return [(categorie, valeurs) for categorie, valeurs in ressources.items() if isinstance(valeurs, dict)]


class CacheDesImages(dict):
    """WeasyPrint's image cache (one per process), in which each SVG image is stored as a DessinMemorise
    when WeasyPrint fetches it (the document that fetched it draws the image itself; the next ones
    get the DessinMemorise)."""

    def __setitem__(self, adresse, image):
        from weasyprint.images import SVGImage

        super().__setitem__(adresse, DessinMemorise(image) if isinstance(image, SVGImage) else image)


class _Ressources:
    pass


_ressources = _Ressources()
# One set per process, used by one render at a time: a FontConfiguration must not be used by two
# threads at once, and a render holds the GIL most of the time anyway. Shared by the threads, it is
# loaded once per process: the procrastinate worker runs its jobs in a pool of threads, and warming
# it up at its start (prechauffer_weasyprint) then serves every one of them.
_verrou = threading.RLock()
# Release WeasyPrint's font configuration before the interpreter tears its modules down.
atexit.register(lambda: _ressources.__dict__.clear())


def ressources_weasyprint():
    """Stylesheets parsed once and fonts loaded once per process, plus WeasyPrint's image cache (the
    bloc-marque SVGs). Use them under `_verrou` when several threads may render."""
    with _verrou:
        if not hasattr(_ressources, "feuilles"):
            _charger_ressources()
    return _ressources


def _charger_ressources():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    configuration = FontConfiguration()
    polices_css = "".join(
        f'@font-face {{ font-family: "Marianne"; src: url("{adresse}") format("woff"); '
        f"font-weight: {graisse}; font-style: {style}; }}\n"
        for adresse, graisse, style in (
            (polices()["Regular"], 400, "normal"),
            (polices()["Regular_Italic"], 400, "italic"),
            (polices()["Medium"], 500, "normal"),
            (polices()["Bold"], 700, "normal"),
            (polices()["Light"], 300, "normal"),
        )
    )
    _ressources.configuration = configuration
    _ressources.feuilles = [
        CSS(string=polices_css, font_config=configuration),
        CSS(string=feuille_du_logo(), font_config=configuration),
        CSS(url=_fichier_statique("css/convention_pdf.css"), font_config=configuration),
    ]
    _ressources.cache = CacheDesImages()
    # Local files and data: URIs only (nothing is fetched from the network), built once: creating
    # a fetcher per document costs a TLS context each time.
    _ressources.lecteur = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


def _ecrire_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    with _verrou:
        r = ressources_weasyprint()
        document = HTML(string=html, base_url=base_url, url_fetcher=r.lecteur)
        return document.write_pdf(stylesheets=r.feuilles, font_config=r.configuration, cache=r.cache)


# The convention's header (same place on the page, so the logo's drawing recorded here is the one
# replayed in every convention), its table, and every Marianne face it uses (regular, italic, medium
# in the table's headings, bold).
DOCUMENT_DE_PRECHAUFFAGE = (
    '<header class="entete"><div class="bloc-marque"><p class="fr-logo">Préfet<br>de la Seine-Saint-Denis</p></div>'
    '<div class="references"><p><strong>Convention n° 0</strong></p></div></header>'
    '<table class="caracteristiques"><tr><th scope="row">Poste</th><td>Convention <em>signée</em></td></tr></table>'
)


def prechauffer_weasyprint() -> None:
    """What the first PDF of a process would pay for (WeasyPrint's modules, the stylesheets, the
    Marianne fonts, the bloc-marque's images and their drawing, the compiled template), paid at the
    start of a web worker (config/prechauffage.py) or of the procrastinate worker (config/worker.py)
    instead."""
    get_template("conventions/pdf/convention.html")
    # Twice: WeasyPrint draws an image it has just fetched itself, the next documents get it from
    # the cache (CacheDesImages), where the second rendering records its drawing.
    _ecrire_pdf(DOCUMENT_DE_PRECHAUFFAGE)
    _ecrire_pdf(DOCUMENT_DE_PRECHAUFFAGE)


def rendre_pdf(convention, aujourd_hui: date | None = None) -> bytes:
    return _ecrire_pdf(rendre_html(convention, aujourd_hui), base_url=str(settings.BASE_DIR))
