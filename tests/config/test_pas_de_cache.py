"""Pages with personal data are kept neither by the browser nor by proxies (`Cache-Control:
no-store`), static files keep their cache (issue 16, fault 12)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def sans_stockage(reponse) -> bool:
    return "no-store" in reponse.headers.get("Cache-Control", "")


def pages_agent(monde):
    return [
        reverse("accueil"),
        reverse("postes:liste"),
        reverse("conventions:poste", args=[monde.poste93.identifiant]),
        reverse("conventions:liste"),
        reverse("conventions:detail", args=[monde.convention93.pk]),
        reverse("titulaires:detail", args=[monde.affectation93.titulaire.pk]),
        reverse("employeurs:liste"),
        reverse("employeurs:detail", args=[monde.employeur93.siret]),
        reverse("demandes:liste"),
        reverse("demandes:detail", args=[monde.demande93.pk]),
        reverse("pilotage:financements"),
        reverse("pilotage:tableau_de_bord"),
        reverse("postes:liste") + "?format=csv",
        reverse("conventions:liste") + "?format=xlsx",
        reverse("employeurs:liste") + "?format=csv",
        "/postes/inexistant/",  # a 404 seen signed in
    ]


def test_chaque_page_et_chaque_export_de_l_agent_interdit_le_stockage(client, monde):
    client.force_login(monde.agent93)
    for url in pages_agent(monde):
        reponse = client.get(url)
        assert sans_stockage(reponse), f"{url} ({reponse.status_code}) : {reponse.headers.get('Cache-Control')}"
        assert "private" in reponse.headers["Cache-Control"], url


def test_pages_de_l_employeur_interdisent_le_stockage(client, monde):
    client.force_login(monde.membre93)
    for url in (
        reverse("espace_employeur"),
        reverse("demandes:mes_demandes"),
        reverse("conventions:poste", args=[monde.poste93.identifiant]),
        reverse("conventions:detail", args=[monde.convention93.pk]),
    ):
        assert sans_stockage(client.get(url)), url


def test_administration_de_l_administrateur_national_interdit_le_stockage(client, monde):
    client.force_login(monde.admin_national)
    for url in ("/admin/", "/admin/postes/titulaire/", reverse("postes:liste")):
        assert sans_stockage(client.get(url)), url


def test_un_telechargement_interdit_le_stockage_meme_sans_session():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from commun.securite import PasDeCacheMiddleware

    def vue(request):
        reponse = HttpResponse(b"a;b", content_type="text/csv")
        reponse["Content-Disposition"] = 'attachment; filename="export.csv"'
        return reponse

    reponse = PasDeCacheMiddleware(vue)(RequestFactory().get("/"))
    assert sans_stockage(reponse)


def test_les_fichiers_statiques_gardent_leur_cache_meme_connecte(client, agent93):
    client.force_login(agent93)
    reponse = client.get("/static/css/application.css")
    assert reponse.status_code == 200
    assert not sans_stockage(reponse)
    assert "max-age" in reponse.headers.get("Cache-Control", "")
