"""Security headers added to every response: the Content-Security-Policy (Django's own middleware,
configured by `politique_csp`) and the Permissions-Policy (`PermissionsPolicyMiddleware`)."""

from urllib.parse import urlsplit

from django.conf import settings
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
