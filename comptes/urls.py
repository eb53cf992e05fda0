from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from comptes import proconnect, views
from comptes.forms import NouveauMotDePasseForm, ReinitialisationForm

app_name = "comptes"

urlpatterns = [
    path("connexion/", views.ConnexionView.as_view(), name="connexion"),
    path("deconnexion/", views.DeconnexionView.as_view(), name="deconnexion"),
    path("proconnect/connexion/", proconnect.DemandeProConnectView.as_view(), name="proconnect"),
    path("proconnect/retour/", proconnect.RetourProConnectView.as_view(), name="proconnect_retour"),
    path("double-facteur/activation/", views.double_facteur_enrolement, name="double_facteur_enrolement"),
    path("double-facteur/verification/", views.double_facteur_verification, name="double_facteur_verification"),
    path("verrouillages/", views.verrouillages, name="verrouillages"),
    path("verrouillages/debloquer/", views.debloquer, name="debloquer"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            template_name="comptes/reinitialisation.html",
            email_template_name="comptes/email_reinitialisation.txt",
            subject_template_name="comptes/email_reinitialisation_sujet.txt",
            form_class=ReinitialisationForm,
            success_url=reverse_lazy("comptes:reinitialisation_envoyee"),
        ),
        name="reinitialisation",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="comptes/reinitialisation_envoyee.html"),
        name="reinitialisation_envoyee",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="comptes/nouveau_mot_de_passe.html",
            form_class=NouveauMotDePasseForm,
            success_url=reverse_lazy("comptes:mot_de_passe_change"),
        ),
        name="nouveau_mot_de_passe",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordResetCompleteView.as_view(template_name="comptes/mot_de_passe_change.html"),
        name="mot_de_passe_change",
    ),
]
