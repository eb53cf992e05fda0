"""A fake ProConnect for the tests: a small OpenID Connect provider on 127.0.0.1 (no network beyond
this machine), with the endpoints and behaviour of ProConnect's API v2 that the application uses:

- /authorize: the agent is deemed signed in at their identity provider; back to the application
  with a single-use code (state passed through);
- /token: checks the client's id and secret, the code, the redirect URI and the PKCE verifier, and
  answers an id_token signed (RS256) with a key generated for the test run, carrying the nonce;
- /userinfo: the identity as a signed JWT (`application/jwt`), like ProConnect;
- /jwks: the public key; /session/end: ends the session and goes back to `post_logout_redirect_uri`.

`identite` is the agent ProConnect will vouch for; `demandes` records what the application sent.
"""

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@functools.cache
def cle_de_signature():
    """One RSA key per test run (generating one takes a moment)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FauxProConnect:
    def __init__(self, client_id="adultes-relais-test", client_secret="secret-du-faux-proconnect"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.cle = cle_de_signature()
        self.kid = "cle-du-faux-proconnect"
        self.identite = {}
        self.codes = {}
        self.jetons = {}
        self.demandes = []
        self.deconnexions = []
        self.audience = None  # to forge a token meant for another client
        self.serveur = ThreadingHTTPServer(("127.0.0.1", 0), self._gestionnaire())
        self._fil = threading.Thread(target=self.serveur.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.serveur.server_address[1]}/api/v2"

    def __enter__(self):
        self._fil.start()
        return self

    def __exit__(self, *exc):
        self.serveur.shutdown()
        self.serveur.server_close()

    def reglages(self) -> dict:
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.url}/session/end",
            "OIDC_OP_ISSUER": self.url,
        }

    def vouer(self, email, prenom="Dominique", nom="Agent", sub=None):
        self.identite = {
            "sub": sub or hashlib.sha256(email.encode()).hexdigest(),
            "email": email,
            "given_name": prenom,
            "usual_name": nom,
            "uid": "1234",
            "idp_id": "fia1v2",
        }

    def signer(self, contenu: dict) -> str:
        return jwt.encode(contenu, self.cle, algorithm="RS256", headers={"kid": self.kid})

    def jwks(self) -> dict:
        cle = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.cle.public_key()))
        return {"keys": [{**cle, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    # --- endpoints ------------------------------------------------------------------------------

    def autoriser(self, params):
        self.demandes.append(params)
        if params.get("client_id") != self.client_id:
            return 400, {"error": "invalid_client"}
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**params, "identite": dict(self.identite)}
        retour = f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}"
        return 302, retour

    def jeton(self, form):
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client"}
        demande = self.codes.pop(form.get("code", ""), None)  # single use
        if demande is None or form.get("redirect_uri") != demande["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        if "code_challenge" in demande:
            verif = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            if verif.rstrip(b"=").decode() != demande["code_challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        maintenant = int(time.time())
        id_token = self.signer(
            {
                "iss": self.url,
                "sub": demande["identite"]["sub"],
                "aud": self.audience or self.client_id,
                "exp": maintenant + 60,
                "iat": maintenant,
                "nonce": demande.get("nonce"),
                "acr": "eidas1",
            }
        )
        acces = secrets.token_urlsafe(16)
        self.jetons[acces] = demande["identite"]
        return 200, {"access_token": acces, "token_type": "Bearer", "expires_in": 60, "id_token": id_token}

    def userinfo(self, autorisation):
        identite = self.jetons.get(autorisation.removeprefix("Bearer "))
        if identite is None:
            return 401, {"error": "invalid_token"}
        return 200, self.signer({**identite, "iss": self.url, "aud": self.client_id})

    def fin_de_session(self, params):
        self.deconnexions.append(params)
        return 302, f"{params['post_logout_redirect_uri']}?{urlencode({'state': params.get('state', '')})}"

    def _gestionnaire(self):
        faux = self

        class Gestionnaire(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def repondre(self, statut, corps):
                if statut == 302:
                    self.send_response(302)
                    self.send_header("Location", corps)
                    self.end_headers()
                    return
                if isinstance(corps, str):
                    donnees, type_ = corps.encode(), "application/jwt; charset=utf-8"
                else:
                    donnees, type_ = json.dumps(corps).encode(), "application/json"
                self.send_response(statut)
                self.send_header("Content-Type", type_)
                self.send_header("Content-Length", str(len(donnees)))
                self.end_headers()
                self.wfile.write(donnees)

            def do_GET(self):
                adresse = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(adresse.query).items()}
                routes = {
                    "/api/v2/authorize": lambda: faux.autoriser(params),
                    "/api/v2/userinfo": lambda: faux.userinfo(self.headers.get("Authorization", "")),
                    "/api/v2/jwks": lambda: (200, faux.jwks()),
                    "/api/v2/session/end": lambda: faux.fin_de_session(params),
                }
                self.repondre(*routes.get(adresse.path, lambda: (404, {"error": "not_found"}))())

            def do_POST(self):
                longueur = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(longueur).decode()).items()}
                if urlsplit(self.path).path == "/api/v2/token":
                    self.repondre(*faux.jeton(form))
                else:
                    self.repondre(404, {"error": "not_found"})

        return Gestionnaire
