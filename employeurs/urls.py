from django.urls import path

from employeurs import views, vues_gestion

app_name = "employeurs"

urlpatterns = [
    path("", views.EmployeurListe.as_view(), name="liste"),
    path("nouvelle-structure/", vues_gestion.creer_employeur, name="creer"),
    path("structure-active/", vues_gestion.changer_structure, name="changer_structure"),
    path("<str:siret>/", views.EmployeurDetail.as_view(), name="detail"),
    path("<str:siret>/inviter/", vues_gestion.inviter, name="inviter"),
    path("<str:siret>/forme-juridique/", vues_gestion.preciser_forme_juridique, name="forme_juridique"),
]
