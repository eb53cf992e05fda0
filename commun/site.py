"""Site-wide template context. Replaces django-dsfr's DsfrConfig lookup (one query a page) by settings."""

from types import SimpleNamespace

SITE = SimpleNamespace(
    site_title="Adultes-relais",
    site_tagline="Gestion des postes et des conventions adultes-relais",
    header_brand_html="République<br>Française",
    footer_brand_html="République<br>Française",
    footer_description="Service de gestion du programme adultes-relais, à l’usage des préfectures et des employeurs.",
    beta_tag=True,
    mourning=False,
    notice_title="",
    notice_description="",
    accessibility_status="PARTIAL",
)


def site(request):
    return {"SITE_CONFIG": SITE}
