from django.urls import path

from importation import views

app_name = "importation"

urlpatterns = [
    path("postes/importer/", views.ImportPostes.as_view(), name="importer"),
    path("postes/importer/<str:jeton>/lignes-rejetees.csv", views.RejetsImport.as_view(), name="rejets"),
]
