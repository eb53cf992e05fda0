from django.urls import path

from employeurs import views

app_name = "employeurs"

urlpatterns = [
    path("", views.EmployeurListe.as_view(), name="liste"),
    path("<str:siret>/", views.EmployeurDetail.as_view(), name="detail"),
]
