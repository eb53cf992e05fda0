from django.urls import path

import commun.convertisseurs  # noqa: F401 — registers <texte:…>
from employeurs import views, vues_gestion

app_name = "employeurs"

urlpatterns = [
    path("", views.EmployeurListe.as_view(), name="liste"),
    path("nouvelle-structure/", vues_gestion.creer_employeur, name="creer"),
    path("structure-active/", vues_gestion.changer_structure, name="changer_structure"),
    path("<texte:siret>/", views.EmployeurDetail.as_view(), name="detail"),
    path("<texte:siret>/inviter/", vues_gestion.inviter, name="inviter"),
    path("<texte:siret>/forme-juridique/", vues_gestion.preciser_forme_juridique, name="forme_juridique"),
]
