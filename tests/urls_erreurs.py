"""The application's URLs plus one page that fails, to see the 500 page a person gets."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def panne(request):
    raise RuntimeError("panne simulée")


urlpatterns = [*urlpatterns, path("panne-simulee/", panne)]
