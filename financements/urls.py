from django.urls import path

from financements import views

app_name = "financements"

urlpatterns = [
    path("", views.FinancementListe.as_view(), name="liste"),
]
