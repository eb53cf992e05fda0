from django.urls import path

from financements import views, vues_liste

app_name = "financements"

urlpatterns = [
    path("simulateur/", views.SimulateurView.as_view(), name="simulateur"),
    path("tableau-de-bord/", views.TableauDeBordView.as_view(), name="tableau_de_bord"),
    path("", vues_liste.FinancementListe.as_view(), name="liste"),
]
