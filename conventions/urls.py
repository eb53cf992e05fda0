from django.urls import path

import commun.convertisseurs  # noqa: F401 — registers <texte:…>
from conventions import views

app_name = "conventions"

urlpatterns = [
    # A post's page and the hire on a post gather the post's conventions (conventions/views.py).
    path("postes/<texte:identifiant>/", views.PosteDetail.as_view(), name="poste"),
    path("postes/<texte:identifiant>/embauche/", views.EnregistrerEmbauche.as_view(), name="embauche"),
    path("conventions/", views.ConventionListe.as_view(), name="liste"),
    path("conventions/<int:pk>/", views.ConventionDetail.as_view(), name="detail"),
    path("conventions/<int:pk>/signer/", views.SignerConvention.as_view(), name="signer"),
    path("conventions/<int:pk>/resilier/", views.ResilierConvention.as_view(), name="resilier"),
    path("conventions/<int:pk>/caducite/", views.ConstaterCaducite.as_view(), name="caducite"),
    path("conventions/<int:pk>/renouveler/", views.RenouvelerConvention.as_view(), name="renouveler"),
    path("conventions/<int:pk>/avenant-heures/", views.AvenantHeures.as_view(), name="avenant_heures"),
    path("conventions/<int:pk>/avenant-titulaire/", views.AvenantTitulaire.as_view(), name="avenant_titulaire"),
    path("conventions/<int:pk>/pdf/", views.convention_pdf, name="pdf"),
    path("conventions/pdf.zip", views.ConventionsZip.as_view(), name="zip"),
    path("conventions/archives/<int:pk>/", views.SuiviArchive.as_view(), name="archive"),
    path("conventions/archives/<int:pk>/telecharger/", views.TelechargerArchive.as_view(), name="telecharger_archive"),
]
