from django.urls import path

from postes import views

app_name = "postes"

urlpatterns = [
    path("postes/", views.PosteListe.as_view(), name="liste"),
]
