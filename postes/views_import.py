"""« Importer des postes »: upload → preview (dry run) → confirmation, for agents and national admins.

The uploaded file waits in the user's own folder (postes/importation/depot.py) under a random token
kept in the session; the confirmation re-reads it and runs the real import in one transaction."""

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views import View
from dsfr.forms import DsfrBaseForm

from commun.vues import RoleRequisMixin
from comptes.models import Role
from postes.importation import depot
from postes.importation.lecture import FichierIllisible, lire_table
from postes.importation.moteur import Perimetre
from postes.services.importation import fichier_rejets, importer_postes

CLE_SESSION = "import_postes"
ERREURS_AFFICHEES = 200


class DepotImportForm(DsfrBaseForm):
    fichier = forms.FileField(
        label="Fichier à importer",
        help_text=(
            "CSV (séparateur « ; » ou « , », UTF-8 ou Windows-1252), classeur Excel .xlsx, ou registre JSON de "
            "l’ANCT. Colonnes : celles de l’export des postes, ou celles du registre de l’ANCT."
        ),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > settings.IMPORT_POSTES_TAILLE_MAX:
            mo = settings.IMPORT_POSTES_TAILLE_MAX // (1024 * 1024)
            raise forms.ValidationError(f"Le fichier dépasse la taille maximale ({mo} Mo) : utilisez la commande importer_postes.")
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
    template_name = "postes/import_postes.html"

    def get(self, request):
        return render(request, self.template_name, {"form": DepotImportForm()})

    def post(self, request):
        if "jeton" in request.POST:
            return self.confirmer(request)
        form = DepotImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        fichier = form.cleaned_data["fichier"]
        contenu = fichier.read()
        try:
            table = lire_table(contenu, fichier.name)
            rapport = importer_postes(table, Perimetre(request.user), dry_run=True)
        except FichierIllisible as exc:
            form.add_error("fichier", f"Fichier illisible : {exc}")
            return render(request, self.template_name, {"form": form}, status=400)
        jeton = depot.deposer(request.user, contenu)
        if rapport.rejetes:
            depot.enregistrer_rejets(request.user, jeton, fichier_rejets(table, rapport))
        request.session[CLE_SESSION] = {"jeton": jeton, "nom": fichier.name}
        return render(
            request,
            self.template_name,
            {
                "apercu": True,
                "rapport": rapport,
                "nom": fichier.name,
                "jeton": jeton,
                "erreurs": rapport.erreurs[:ERREURS_AFFICHEES],
                "erreurs_masquees": max(0, len(rapport.erreurs) - ERREURS_AFFICHEES),
                "confirmation": ConfirmationImportForm(initial={"jeton": jeton}),
            },
        )

    def confirmer(self, request):
        form = ConfirmationImportForm(request.POST)
        en_attente = request.session.get(CLE_SESSION) or {}
        if not form.is_valid() or form.cleaned_data["jeton"] != en_attente.get("jeton"):
            return render(
                request,
                self.template_name,
                {"form": DepotImportForm(), "expire": True},
                status=400,
            )
        jeton = form.cleaned_data["jeton"]
        try:
            contenu = depot.lire(request.user, jeton)
        except depot.DepotIntrouvable:
            return render(request, self.template_name, {"form": DepotImportForm(), "expire": True}, status=400)
        table = lire_table(contenu, en_attente.get("nom", ""))
        rapport = importer_postes(
            table, Perimetre(request.user), partiel=form.cleaned_data["partiel"], utilisateur=request.user
        )
        if rapport.rejetes:
            depot.enregistrer_rejets(request.user, jeton, fichier_rejets(table, rapport))
        if rapport.ecrit:
            depot.oublier_fichier(request.user, jeton)
            request.session.pop(CLE_SESSION, None)
        return render(
            request,
            self.template_name,
            {
                "resultat": True,
                "rapport": rapport,
                "nom": en_attente.get("nom", ""),
                "jeton": jeton,
                "erreurs": rapport.erreurs[:ERREURS_AFFICHEES],
                "erreurs_masquees": max(0, len(rapport.erreurs) - ERREURS_AFFICHEES),
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
        reponse = HttpResponse(contenu, content_type="text/csv; charset=utf-8")
        reponse["Content-Disposition"] = 'attachment; filename="lignes-rejetees.csv"'
        return reponse
