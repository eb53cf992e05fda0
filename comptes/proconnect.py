"""Agent sign-in with ProConnect, the State's identity federation for public agents (OpenID Connect,
authorisation code flow with state, nonce and PKCE, through mozilla-django-oidc).

- Enabled only when the client and the provider's endpoints are configured (README, « ProConnect »);
  otherwise the sign-in page shows no ProConnect button and its URLs answer 404.
- No account is ever created here: the e-mail given by ProConnect must be that of an existing, active
  agent or national administrator. Anyone else gets a clear French message on the sign-in page.
- The id_token is checked beyond the library's defaults: signature and algorithm, nonce, audience
  (our client id), issuer (when `OIDC_OP_ISSUER` is set) and expiry; the userinfo answer (a signed
  JWT at ProConnect) must name the same subject.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from comptes.models import Role, Utilisateur

logger = logging.getLogger(__name__)

REGLAGES_OBLIGATOIRES = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
ROLES_PROCONNECT = (Role.AGENT, Role.ADMIN_NATIONAL)

MESSAGE_AGENT_INCONNU = (
    "Aucun compte agent actif ne correspond à l’adresse {email}. Les comptes des agents sont ouverts "
    "par un administrateur national : demandez-lui d’ouvrir le vôtre avec cette adresse, puis "
    "reconnectez-vous avec ProConnect."
)
MESSAGE_COMPTE_EMPLOYEUR = (
    "ProConnect est réservé aux agents de l’État. Le compte {email} est un compte employeur : "
    "connectez-vous avec votre adresse électronique et votre mot de passe."
)
MESSAGE_ECHEC = (
    "La connexion avec ProConnect n’a pas abouti. Réessayez, ou connectez-vous avec votre adresse "
    "électronique et votre mot de passe."
)


def proconnect_actif() -> bool:
    return all(getattr(settings, nom, "") for nom in REGLAGES_OBLIGATOIRES)


class ProConnectBackend(OIDCAuthenticationBackend):
    """Matches the ProConnect identity to an existing active agent or national administrator."""

    def authenticate(self, request, **kwargs):
        """A token that fails a check, or a provider that does not answer, is a failed sign-in (back
        to the sign-in page with a message), not an error page."""
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError) as erreur:
            logger.warning("Connexion ProConnect refusée : %s", erreur)
            return None

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return Utilisateur.objects.none()
        return Utilisateur.objects.filter(email__iexact=email, is_active=True).filter(
            Q(role__in=ROLES_PROCONNECT) | Q(is_superuser=True)
        )

    def verify_claims(self, claims):
        return bool(claims.get("email"))

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the id_token (userinfo JWTs are verified without a nonce)
            verifier_id_token(payload, client_id=self.OIDC_RP_CLIENT_ID, issuer=settings.OIDC_OP_ISSUER)
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        user_info = super().get_userinfo(access_token, id_token, payload)
        if user_info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("Le sujet de userinfo diffère de celui de l’id_token.")
        return user_info

    def get_or_create_user(self, access_token, id_token, payload):
        user_info = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(user_info):
            raise SuspiciousOperation("ProConnect n’a pas transmis d’adresse électronique.")
        users = list(self.filter_users_by_claims(user_info))
        if len(users) == 1:
            return self.update_user(users[0], user_info)
        self.refuser(user_info["email"])
        return None

    def refuser(self, email: str):
        employeur = Utilisateur.objects.filter(email__iexact=email, role=Role.EMPLOYEUR, is_superuser=False).exists()
        gabarit = MESSAGE_COMPTE_EMPLOYEUR if employeur else MESSAGE_AGENT_INCONNU
        logger.warning("Connexion ProConnect refusée : aucun agent actif pour cette adresse.")
        messages.error(self.request, gabarit.format(email=email))
        self.request.proconnect_refus = True

    def update_user(self, user, claims):
        """Fill the name from ProConnect when the account has none; nothing else changes."""
        champs = []
        if not user.prenom and claims.get("given_name"):
            user.prenom, champs = claims["given_name"][:150], champs + ["prenom"]
        if not user.nom and claims.get("usual_name"):
            user.nom, champs = claims["usual_name"][:150], champs + ["nom"]
        if champs:
            user.save(update_fields=champs)
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def verifier_id_token(payload: dict, *, client_id: str, issuer: str) -> None:
    """OpenID Connect Core § 3.1.3.7: the id_token is meant for us, from our provider, and dated."""
    audience = payload.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        raise SuspiciousOperation("id_token destiné à un autre client.")
    if issuer and payload.get("iss") != issuer:
        raise SuspiciousOperation("id_token émis par un autre fournisseur.")
    if "exp" not in payload:
        raise SuspiciousOperation("id_token sans date d’expiration.")


class DemandeProConnectView(OIDCAuthenticationRequestView):
    """Sends the agent to ProConnect (404 when ProConnect is not configured)."""

    def get(self, request):
        if not proconnect_actif():
            raise Http404
        return super().get(request)


class RetourProConnectView(OIDCAuthenticationCallbackView):
    """ProConnect sends the agent back here; on failure, back to the sign-in page with a message."""

    @property
    def failure_url(self):
        return reverse("comptes:connexion")

    def get(self, request):
        if not proconnect_actif():
            raise Http404
        return super().get(request)

    def login_failure(self):
        if not getattr(self.request, "proconnect_refus", False):
            messages.error(self.request, MESSAGE_ECHEC)
        return super().login_failure()


def url_deconnexion_proconnect(request, id_token: str) -> str | None:
    """ProConnect's end-session URL for this session (ProConnect ends its own session too, then
    sends the agent back to our sign-in page), or None when it is not configured."""
    if not (proconnect_actif() and settings.OIDC_OP_LOGOUT_ENDPOINT and id_token):
        return None
    parametres = {
        "id_token_hint": id_token,
        "state": get_random_string(32),
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("comptes:connexion")),
    }
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(parametres)}"
