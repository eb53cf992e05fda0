from django.contrib import admin
from django.urls import include, path

from postes.views import accueil

urlpatterns = [
    path("", accueil, name="accueil"),
    path("comptes/", include("comptes.urls")),
    path("employeurs/", include("employeurs.urls")),
    path("demandes/", include("postes.urls_demandes")),
    path("", include("postes.urls")),
    path("", include("config.pages_legales")),
    path("admin/", admin.site.urls),
]
