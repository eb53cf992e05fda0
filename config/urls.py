from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from postes.views import accueil

urlpatterns = [
    path("", accueil, name="accueil"),
    path("comptes/", include("comptes.urls")),
    path("employeurs/", include("employeurs.urls")),
    path("demandes/", include("postes.urls_demandes")),
    path("financements/", include("financements.urls")),
    path("", include("postes.urls")),
    path("", include("config.pages_legales")),
    # One sign-in page for everyone (throttling, ProConnect, second factor): the admin's goes there.
    path("admin/login/", RedirectView.as_view(pattern_name="comptes:connexion", query_string=True)),
    path("admin/", admin.site.urls),
]
