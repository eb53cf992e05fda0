from django.urls import path

from pilotage import views

app_name = "pilotage"

urlpatterns = [
    path("tableau-de-bord/", views.TableauDeBordView.as_view(), name="tableau_de_bord"),
    path("", views.FinancementListe.as_view(), name="financements"),
]
