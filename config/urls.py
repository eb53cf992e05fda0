from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from comptes.views import connexion_administration
from demandes.views import accueil, espace_employeur

ADMIN_DEPLACES = [
    ("postes", "convention", "conventions"),
    ("postes", "avenant", "conventions"),
    ("postes", "titulaire", "titulaires"),
    ("postes", "affectation", "titulaires"),
    ("postes", "regleageminimum", "titulaires"),
    ("postes", "diagnosticeligibilite", "titulaires"),
    ("postes", "demande", "demandes"),
    ("financements", "financementannuel", "postes"),
]

urlpatterns = [
    path("", accueil, name="accueil"),
    path("comptes/", include("comptes.urls")),
    path("employeurs/", include("employeurs.urls")),
    path("demandes/", include("demandes.urls")),
    path("financements/", include("financements.urls")),
    path("financements/", include("pilotage.urls")),
    path("", include("importation.urls")),  # postes/importer/ before conventions' postes/<identifiant>/
    path("", include("postes.urls")),
    path("", include("conventions.urls")),
    path("", include("titulaires.urls")),
    path("espace-employeur/", espace_employeur, name="espace_employeur"),
    path("", include("config.pages_legales")),
    # One sign-in page for everyone (throttling, ProConnect, second factor): the admin's goes there;
    # a signed-in agent or employer sent here by the admin gets a French 403 page, not a loop.
    path("admin/login/", connexion_administration),
    # Models that moved app (issue 17): their old administration addresses, bookmarked, still lead there.
    *[
        re_path(
            rf"^admin/{ancienne}/{modele}/(?P<reste>.*)$",
            RedirectView.as_view(url=f"/admin/{nouvelle}/{modele}/%(reste)s", query_string=True, permanent=True),
        )
        for ancienne, modele, nouvelle in ADMIN_DEPLACES
    ],
    path("admin/", admin.site.urls),
]

# Error pages in French, as DSFR pages (commun/erreurs.py); CSRF failures: settings.CSRF_FAILURE_VIEW.
handler400 = "commun.erreurs.requete_incorrecte"
handler403 = "commun.erreurs.acces_refuse"
handler404 = "commun.erreurs.page_introuvable"
handler500 = "commun.erreurs.erreur_serveur"
