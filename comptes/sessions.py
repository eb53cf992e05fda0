"""Sessions end after SESSION_COOKIE_AGE without activity (two hours by default)."""

from django.utils import timezone

CLE = "_derniere_prolongation"
INTERVALLE = 60  # seconds


class ProlongationSessionMiddleware:
    """Push a signed-in session's expiry back on activity, at most once a minute. Django's
    SESSION_SAVE_EVERY_REQUEST would write the session row (an UPDATE and a commit) on every page;
    here the inactivity delay is between SESSION_COOKIE_AGE − 60 s and SESSION_COOKIE_AGE, for one
    write a minute per user. Placed after SessionMiddleware, which saves a modified session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # No stored session (anonymous visitor, signed out): nothing to prolong, nothing to create.
        if session is not None and session.session_key:
            maintenant = int(timezone.now().timestamp())
            if maintenant - session.get(CLE, 0) >= INTERVALLE:
                session[CLE] = maintenant  # marks it modified: saved with a new expiry
        return response
