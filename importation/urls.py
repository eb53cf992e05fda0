from django.urls import path

from importation import views

app_name = "importation"

urlpatterns = [
    path("postes/importer/", views.DeposerImport.as_view(), name="importer"),
    path("postes/importer/<int:pk>/", views.SuiviImport.as_view(), name="suivi"),
    path("postes/importer/<int:pk>/lignes-rejetees.csv", views.RejetsImport.as_view(), name="rejets"),
]
