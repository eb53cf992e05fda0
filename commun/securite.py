"""Security headers added to every response: the Content-Security-Policy (Django's own middleware,
configured by `politique_csp`), the Permissions-Policy (`PermissionsPolicyMiddleware`) and
`Cache-Control: no-store` on what carries personal data (`PasDeCacheMiddleware`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.csp import CSP


def origine(url: str) -> str | None:
    parties = urlsplit(url)
    return f"{parties.scheme}://{parties.netloc}" if parties.scheme and parties.netloc else None


def politique_csp(*, origines_formulaires=(), https=True) -> dict:
    """A strict policy: everything from our own origin, no inline script or style, no plugin, no
    frame in or around our pages. `origines_formulaires`: other origins a form may lead to (the
    sign-out form is redirected to ProConnect's end-session page)."""
    politique = {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF],
        "style-src": [CSP.SELF],
        "img-src": [CSP.SELF, "data:"],  # the DSFR's icons are data: SVGs in its stylesheet
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "manifest-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "frame-src": [CSP.NONE],
        "frame-ancestors": [CSP.NONE],
        "base-uri": [CSP.NONE],
        "form-action": [CSP.SELF, *sorted({o for o in origines_formulaires if o})],
        "upgrade-insecure-requests": https,
    }
    return politique


class PermissionsPolicyMiddleware:
    """Turns off the browser features the service never uses (camera, microphone, location…)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def est_telechargement(response) -> bool:
    """An export, a PDF, a ZIP, an attached file: the response is meant to be saved."""
    return response.headers.get("Content-Disposition", "").lower().startswith("attachment")


class PasDeCacheMiddleware:
    """Every page seen signed in, and every download, may hold personal data: neither the browser
    (back button on a shared computer) nor a proxy keeps it (`Cache-Control: no-store`). Sits below
    WhiteNoise, which answers static files itself: those keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or est_telechargement(response):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, max-age=0
            patch_cache_control(response, private=True)
        return response
