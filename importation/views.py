"""« Importer des postes »: upload → preview (dry run) → confirmation, for agents and national admins.

The request only keeps the file and defers its job (importation/taches.py); the worker reads it once
and checks every line (the preview), and after the confirmation writes the kept table in one
transaction (the database checks are made again, under lock: the database may have changed since the
preview, and the page says so when the counts differ). The page of the import follows those steps,
refreshed every 2 s while the worker is at it, with a progress bar (importation/suivi.py)."""

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import lazy
from django.views import View
from dsfr.forms import DsfrBaseForm

from commun.nombres import nombre
from commun.noms_fichiers import en_piece_jointe
from commun.televersement import taille_lisible
from commun.vues import RAFRAICHIR_S, RoleRequisMixin
from comptes.models import Role
from importation import depot
from importation.lecture import COLONNES_MAX
from importation.models import ImportPostes
from importation.moteur import MESSAGES_MAX
from importation.services import Rapport
from importation.taches import confirmer_import, demander_import
from importation.valeurs import CELLULE_MAX

ERREURS_AFFICHEES = 200
IMPORTS_LISTES = 10  # the user's latest imports, under the upload form


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
                "class": "fr-upload",  # the DSFR's file input (django-dsfr leaves it bare)
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
    partiel = forms.BooleanField(
        label="Importer les lignes valides",
        required=False,
        help_text="Les lignes rejetées ne sont pas importées ; vous pourrez les télécharger avec leurs motifs.",
    )


class DeposerImport(RoleRequisMixin, View):
    """The upload form, and the user's latest imports (they may have left an import's page)."""

    roles = (Role.AGENT,)
    template_name = "importation/import_postes.html"

    def afficher(self, request, form, status=200):
        recents = ImportPostes.objects.for_user(request.user)[:IMPORTS_LISTES]
        return render(request, self.template_name, {"limites": limites(), "form": form, "recents": recents}, status=status)

    def get(self, request):
        return self.afficher(request, DepotImportForm())

    def post(self, request):
        form = DepotImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.afficher(request, form, status=400)
        imp = demander_import(request.user, form.cleaned_data["fichier"])
        return redirect("importation:suivi", imp.pk)


class SuiviImport(RoleRequisMixin, View):
    """One import: its progress, then its preview and the confirmation, then its result."""

    roles = (Role.AGENT,)
    template_name = "importation/import_suivi.html"

    def afficher(self, request, imp, status=200, deja_confirme=False):
        rapport_dict = imp.rapport_affiche
        rapport = Rapport.depuis_dict(rapport_dict) if rapport_dict else None
        apercu = imp.apercu or {}
        contexte = {
            "imp": imp,
            "limites": limites(),
            "rafraichir_s": RAFRAICHIR_S,
            "rapport": rapport,
            "resultat": imp.resultat is not None,
            "apercu_different": imp.resultat is not None and {k: apercu.get(k) for k in rapport.comptes()} != rapport.comptes(),
            "erreurs": rapport.erreurs[:ERREURS_AFFICHEES] if rapport else [],
            "erreurs_masquees": rapport.erreurs_total - min(len(rapport.erreurs), ERREURS_AFFICHEES) if rapport else 0,
            "confirmation": ConfirmationImportForm() if imp.en_attente_de_confirmation else None,
            "deja_confirme": deja_confirme,
        }
        return render(request, self.template_name, contexte, status=status)

    def get(self, request, pk):
        return self.afficher(request, get_object_or_404(ImportPostes.objects.for_user(request.user), pk=pk))

    def post(self, request, pk):
        imp = get_object_or_404(ImportPostes.objects.for_user(request.user), pk=pk)
        form = ConfirmationImportForm(request.POST)
        if not form.is_valid() or not confirmer_import(imp, form.cleaned_data["partiel"]):
            imp.refresh_from_db()
            return self.afficher(request, imp, status=400, deja_confirme=True)
        return redirect("importation:suivi", imp.pk)


class RejetsImport(RoleRequisMixin, View):
    """The rejected lines of one of the user's own imports, with their reasons (CSV)."""

    roles = (Role.AGENT,)

    def get(self, request, pk):
        imp = get_object_or_404(ImportPostes.objects.for_user(request.user), pk=pk)
        try:
            contenu = depot.lire_rejets(request.user, imp.jeton)
        except depot.DepotIntrouvable as exc:
            raise Http404("Fichier introuvable.") from exc
        return en_piece_jointe(HttpResponse(contenu, content_type="text/csv; charset=utf-8"), "lignes-rejetees", ".csv")
