from django.urls import path

import commun.convertisseurs  # noqa: F401 — registers <texte:…>
from postes import convention_views, views, views_eligibilite, views_import

app_name = "postes"

urlpatterns = [
    path("postes/", views.PosteListe.as_view(), name="liste"),
    path("postes/importer/", views_import.ImportPostes.as_view(), name="importer"),
    path("postes/importer/<str:jeton>/lignes-rejetees.csv", views_import.RejetsImport.as_view(), name="import_rejets"),
    path("postes/<texte:identifiant>/", views.PosteDetail.as_view(), name="detail"),
    path("conventions/", views.ConventionListe.as_view(), name="conventions"),
    path("conventions/<int:pk>/", views.ConventionDetail.as_view(), name="convention"),
    path("conventions/<int:pk>/signer/", convention_views.SignerConvention.as_view(), name="convention_signer"),
    path("conventions/<int:pk>/resilier/", convention_views.ResilierConvention.as_view(), name="convention_resilier"),
    path("conventions/<int:pk>/caducite/", convention_views.ConstaterCaducite.as_view(), name="convention_caducite"),
    path("conventions/<int:pk>/renouveler/", convention_views.RenouvelerConvention.as_view(), name="convention_renouveler"),
    path("conventions/<int:pk>/avenant-heures/", convention_views.AvenantHeures.as_view(), name="convention_avenant_heures"),
    path(
        "conventions/<int:pk>/avenant-titulaire/",
        convention_views.AvenantTitulaire.as_view(),
        name="convention_avenant_titulaire",
    ),
    path("conventions/<int:pk>/pdf/", convention_views.convention_pdf, name="convention_pdf"),
    path("conventions/pdf.zip", convention_views.ConventionsZip.as_view(), name="conventions_zip"),
    path("espace-employeur/", views.espace_employeur, name="espace_employeur"),
    path("eligibilite/", views_eligibilite.VerifierEligibilite.as_view(), name="eligibilite"),
    path("postes/<texte:identifiant>/embauche/", views_eligibilite.EnregistrerEmbauche.as_view(), name="embauche"),
    path("titulaires/<int:pk>/", views_eligibilite.TitulaireDetail.as_view(), name="titulaire"),
    path("affectations/<int:pk>/verification/", views_eligibilite.NouvelleVerification.as_view(), name="nouvelle_verification"),
]
