"""« Importer des postes »: upload → preview (dry run) → confirmation, for agents and national admins.

The file is read once, at the preview; the table it gave waits in the user's own folder
(importation/depot.py) under a random token kept in the session, and the confirmation runs
the real import on that table in one transaction (the database checks are made again, under lock:
the database may have changed since the preview, and the page says so when the counts differ)."""

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.functional import lazy
from django.views import View
from dsfr.forms import DsfrBaseForm

from commun.noms_fichiers import en_piece_jointe
from commun.televersement import taille_lisible
from commun.vues import RoleRequisMixin
from comptes.models import Role
from importation import depot
from importation.lecture import COLONNES_MAX, FichierIllisible, lire_table, nombre
from importation.moteur import MESSAGES_MAX, Perimetre
from importation.services import fichier_rejets, importer_postes
from importation.valeurs import CELLULE_MAX

CLE_SESSION = "import_postes"
ERREURS_AFFICHEES = 200


def limites() -> dict:
    """The bounds of the page, as the page and its messages say them."""
    return {
        "taille": taille_lisible(settings.IMPORT_POSTES_TAILLE_MAX),
        "lignes": nombre(settings.IMPORT_POSTES_LIGNES_MAX),
        "colonnes": COLONNES_MAX,
        "cellule": nombre(CELLULE_MAX),
        "messages": nombre(MESSAGES_MAX),
        "affichees": ERREURS_AFFICHEES,
    }


def aide_depot() -> str:
    l = limites()
    return (
        "CSV (séparateur « ; » ou « , », UTF-8 ou Windows-1252), classeur Excel .xlsx, ou registre JSON de "
        "l’ANCT. Colonnes : celles de l’export des postes, ou celles du registre de l’ANCT. "
        f"Taille maximale : {l['taille']} ; au plus {l['lignes']} lignes et {l['colonnes']} colonnes."
    )


class DepotImportForm(DsfrBaseForm):
    # Said before the upload; lazy, so that it follows the settings.
    fichier = forms.FileField(label="Fichier à importer", help_text=lazy(aide_depot, str)())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser refuses a larger file before sending it (static/js/taille_fichier.js).
        self.fields["fichier"].widget.attrs.update(
            {
                "data-taille-max": settings.IMPORT_POSTES_TAILLE_MAX,
                "data-taille-max-lisible": taille_lisible(settings.IMPORT_POSTES_TAILLE_MAX),
            }
        )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > settings.IMPORT_POSTES_TAILLE_MAX:
            raise forms.ValidationError(
                f"Le fichier « {fichier.name[:80]} » pèse {taille_lisible(fichier.size)} : la taille maximale sur cette "
                f"page est de {taille_lisible(settings.IMPORT_POSTES_TAILLE_MAX)}. Découpez-le, ou faites-le importer "
                "par la commande importer_postes."
            )
        return fichier


class ConfirmationImportForm(DsfrBaseForm):
    jeton = forms.CharField(widget=forms.HiddenInput)
    partiel = forms.BooleanField(
        label="Importer les lignes valides",
        required=False,
        help_text="Les lignes rejetées ne sont pas importées ; vous pourrez les télécharger avec leurs motifs.",
    )


class ImportPostes(RoleRequisMixin, View):
    roles = (Role.AGENT,)
    template_name = "importation/import_postes.html"

    def afficher(self, request, contexte, status=200):
        return render(request, self.template_name, {"limites": limites(), **contexte}, status=status)

    def get(self, request):
        return self.afficher(request, {"form": DepotImportForm()})

    def post(self, request):
        if "jeton" in request.POST:
            return self.confirmer(request)
        form = DepotImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.afficher(request, {"form": form}, status=400)
        fichier = form.cleaned_data["fichier"]
        try:
            table = lire_table(fichier.read(), fichier.name, lignes_max=settings.IMPORT_POSTES_LIGNES_MAX)
            rapport = importer_postes(table, Perimetre(request.user), dry_run=True)
        except FichierIllisible as exc:
            form.add_error("fichier", f"Fichier illisible : {exc}")
            return self.afficher(request, {"form": form}, status=400)
        jeton = depot.deposer(request.user, table)
        if rapport.rejetes:
            depot.enregistrer_rejets(request.user, jeton, fichier_rejets(table, rapport))
        request.session[CLE_SESSION] = {"jeton": jeton, "nom": fichier.name[:200], "apercu": rapport.comptes()}
        return self.afficher(
            request,
            {
                "apercu": True,
                "rapport": rapport,
                "nom": fichier.name,
                "jeton": jeton,
                "erreurs": rapport.erreurs[:ERREURS_AFFICHEES],
                "erreurs_masquees": rapport.erreurs_total - min(len(rapport.erreurs), ERREURS_AFFICHEES),
                "confirmation": ConfirmationImportForm(initial={"jeton": jeton}),
            },
        )

    def confirmer(self, request):
        form = ConfirmationImportForm(request.POST)
        en_attente = request.session.get(CLE_SESSION) or {}
        if not form.is_valid() or form.cleaned_data["jeton"] != en_attente.get("jeton"):
            return self.afficher(request, {"form": DepotImportForm(), "expire": True}, status=400)
        jeton = form.cleaned_data["jeton"]
        try:
            table = depot.lire(request.user, jeton)
        except depot.DepotIntrouvable:
            return self.afficher(request, {"form": DepotImportForm(), "expire": True}, status=400)
        rapport = importer_postes(table, Perimetre(request.user), partiel=form.cleaned_data["partiel"], utilisateur=request.user)
        if rapport.rejetes:
            depot.enregistrer_rejets(request.user, jeton, fichier_rejets(table, rapport))
        if rapport.ecrit:
            depot.oublier_fichier(request.user, jeton)
            request.session.pop(CLE_SESSION, None)
        apercu = en_attente.get("apercu")
        return self.afficher(
            request,
            {
                "resultat": True,
                "rapport": rapport,
                "nom": en_attente.get("nom", ""),
                "jeton": jeton,
                "apercu_different": apercu is not None and apercu != rapport.comptes(),
                "erreurs": rapport.erreurs[:ERREURS_AFFICHEES],
                "erreurs_masquees": rapport.erreurs_total - min(len(rapport.erreurs), ERREURS_AFFICHEES),
                "confirmation": None if rapport.ecrit else ConfirmationImportForm(initial={"jeton": jeton}),
                "form": DepotImportForm(),
            },
        )


class RejetsImport(RoleRequisMixin, View):
    """The rejected lines of one of the user's own imports, with their reasons (CSV)."""

    roles = (Role.AGENT,)

    def get(self, request, jeton):
        try:
            contenu = depot.lire_rejets(request.user, jeton)
        except depot.DepotIntrouvable as exc:
            raise Http404("Fichier introuvable.") from exc
        return en_piece_jointe(HttpResponse(contenu, content_type="text/csv; charset=utf-8"), "lignes-rejetees", ".csv")
