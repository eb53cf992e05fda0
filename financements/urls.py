from django.urls import path

from financements import views

app_name = "financements"

urlpatterns = [
    path("simulateur/", views.SimulateurView.as_view(), name="simulateur"),
]
