from django.contrib import admin
from django.urls import include, path

from postes.views import accueil

urlpatterns = [
    path("", accueil, name="accueil"),
    path("comptes/", include("comptes.urls")),
    path("employeurs/", include("employeurs.urls")),
    path("financements/", include("financements.urls")),
    path("", include("postes.urls")),
    path("admin/", admin.site.urls),
]
