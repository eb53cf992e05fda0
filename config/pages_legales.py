"""Legal pages a State service shows to everyone, signed in or not."""

from django.conf import settings
from django.urls import path
from django.views.generic import TemplateView

app_name = "legal"


class PageLegale(TemplateView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "retention_annees": settings.RETENTION_TITULAIRES_ANNEES}


urlpatterns = [
    path("accessibilite/", PageLegale.as_view(template_name="config/legal/accessibilite.html"), name="accessibilite"),
    path("mentions-legales/", PageLegale.as_view(template_name="config/legal/mentions_legales.html"), name="mentions_legales"),
    path(
        "donnees-personnelles/",
        PageLegale.as_view(template_name="config/legal/donnees_personnelles.html"),
        name="donnees_personnelles",
    ),
]
