from django.urls import path

from demandes import views as vues

app_name = "demandes"

urlpatterns = [
    path("", vues.DemandeListe.as_view(), name="liste"),
    path("mes-demandes/", vues.MesDemandes.as_view(), name="mes_demandes"),
    path("nouvelle/", vues.nouvelle, name="nouvelle"),
    path("<int:pk>/", vues.detail, name="detail"),
    path("<int:pk>/modifier/<slug:etape>/", vues.etape, name="etape"),
    path("<int:pk>/deposer/", vues.deposer, name="deposer"),
    path("<int:pk>/supprimer/", vues.supprimer, name="supprimer"),
    path("<int:pk>/instruire/", vues.instruire, name="instruire"),
    path("<int:pk>/instructeur/", vues.affecter, name="affecter"),
    path("<int:pk>/notes/", vues.noter, name="noter"),
    path("<int:pk>/complements/", vues.completer, name="completer"),
    path("<int:pk>/reprendre/", vues.reprendre, name="reprendre"),
    path("<int:pk>/decision/", vues.decider, name="decider"),
    path("pieces/<int:pk>/", vues.piece, name="piece"),
]
