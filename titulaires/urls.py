from django.urls import path

from titulaires import views

app_name = "titulaires"

urlpatterns = [
    path("eligibilite/", views.VerifierEligibilite.as_view(), name="eligibilite"),
    path("titulaires/<int:pk>/", views.TitulaireDetail.as_view(), name="detail"),
    path("affectations/<int:pk>/verification/", views.NouvelleVerification.as_view(), name="nouvelle_verification"),
]
