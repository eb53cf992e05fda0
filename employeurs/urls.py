from django.urls import path

import commun.convertisseurs  # noqa: F401 — registers <texte:…>
from employeurs import views

app_name = "employeurs"

urlpatterns = [
    path("", views.EmployeurListe.as_view(), name="liste"),
    path("nouvelle-structure/", views.creer_employeur, name="creer"),
    path("structure-active/", views.changer_structure, name="changer_structure"),
    path("<texte:siret>/", views.EmployeurDetail.as_view(), name="detail"),
    path("<texte:siret>/inviter/", views.inviter, name="inviter"),
    path("<texte:siret>/forme-juridique/", views.preciser_forme_juridique, name="forme_juridique"),
]
