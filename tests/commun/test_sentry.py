"""Error reports to Sentry hold no personal data (issue 22, § 4). The SDK is configured as
config/settings.py does when SENTRY_DSN is set, with a transport that keeps the envelopes instead of
sending them (no network): an error on a titulaire's page sends an event, and the event holds
neither the titulaire's name or birth date, nor the user's e-mail, nor the session cookie, nor the
form that was posted. The request goes through Django's WSGI handler, as under gunicorn (the test
client skips the WSGI layer, where the SDK reads the URL, headers and query string)."""

import io
import json
import secrets
from datetime import date
from unittest import mock
from urllib.parse import urlencode

import pytest
import sentry_sdk
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.urls import reverse
from sentry_sdk.transport import Transport

from commun.sentry import RETIRE, nettoyer_evenement, options_sentry
from tests.factories import AffectationFactory, ConventionFactory, TitulaireFactory
from titulaires.views import TitulaireDetail

pytestmark = pytest.mark.django_db

# Written once here: the event carries the source lines around each frame (code, not data), and the
# test's own lines must not bring the values it looks for.
NOM, PRENOM, NAISSANCE, ADRESSE = "Benalizadeh", "Samiya", date(1987, 11, 23), "14 rue des Tilleuls"
CONTENU_DU_FORMULAIRE = "corps-de-la-requete-confidentiel"
PRENOM_AGENT, NOM_AGENT = "Bérénice", "Quintard"


class TransportDeCapture(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.enveloppes = []

    def capture_envelope(self, envelope):
        self.enveloppes.append(envelope)


@pytest.fixture
def transport():
    capture = TransportDeCapture()
    sentry_sdk.init(**options_sentry("https://cle@sentry.exemple.invalid/1", "test", "essai", transport=capture))
    yield capture
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: nothing is reported any more


def evenements(transport) -> list[tuple[dict, str]]:
    sentry_sdk.flush()
    resultat = []
    for enveloppe in transport.enveloppes:
        texte = enveloppe.serialize().decode()
        for element in enveloppe.items:
            if element.type == "event":
                resultat.append((element.payload.json, texte))
    return resultat


def requete_wsgi(methode, chemin, requete="", corps=b"", en_tetes=None) -> int:
    """One request through a WSGI application, as gunicorn makes it: its status code."""
    environ = {
        "REQUEST_METHOD": methode,
        "PATH_INFO": chemin,
        "QUERY_STRING": requete,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "203.0.113.9",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(corps)),
        "wsgi.input": io.BytesIO(corps),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **{f"HTTP_{nom.upper().replace('-', '_')}": valeur for nom, valeur in (en_tetes or {}).items()},
    }
    statuts = []
    # As Django's test client does: the test's connection (and its transaction) outlives the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        reponse = WSGIHandler()(environ, lambda statut, _en_tetes, *_: statuts.append(int(statut.split()[0])))
        b"".join(reponse)
        reponse.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return statuts[0]


def test_erreur_sur_la_page_d_un_titulaire_rapportee_sans_donnees_personnelles(client, agent93, poste93, transport):
    ConventionFactory(poste=poste93, statut="en_cours", date_signature=date(2023, 12, 1))
    titulaire = TitulaireFactory(nom=NOM, prenom=PRENOM, date_naissance=NAISSANCE, adresse=ADRESSE)
    AffectationFactory(poste=poste93, titulaire=titulaire, date_debut=date(2024, 1, 2))
    agent93.prenom, agent93.nom = PRENOM_AGENT, NOM_AGENT
    agent93.save()
    client.force_login(agent93)
    url = reverse("titulaires:detail", args=[titulaire.pk])
    assert NOM in client.get(url).content.decode()  # the page shows personal data

    contexte_de_la_page = TitulaireDetail.get_context_data

    def contexte_puis_erreur(vue, **kwargs):
        contexte = contexte_de_la_page(vue, **kwargs)  # noqa: F841 (a local holding the titulaire)
        raise RuntimeError("échec du rendu de la fiche")

    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    jeton_csrf = secrets.token_hex(16)  # a CSRF secret, in the cookie and in the form
    corps = urlencode(
        {"csrfmiddlewaretoken": jeton_csrf, "commentaire": CONTENU_DU_FORMULAIRE, "courriel": agent93.email}
    ).encode()
    with (
        mock.patch.object(TitulaireDetail, "get_context_data", contexte_puis_erreur),
        mock.patch.object(TitulaireDetail, "post", TitulaireDetail.get, create=True),
    ):
        statut = requete_wsgi(
            "POST",
            url,
            requete=urlencode({"recherche": NOM}),
            corps=corps,
            en_tetes={
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={jeton_csrf}",
                "Referer": f"http://testserver/titulaires/?q={agent93.email}",
                "User-Agent": "Firefox/140.0",
                "X-Request-ID": "req-42",
            },
        )
    assert statut == 500

    ((evenement, texte),) = evenements(transport)
    (exception,) = evenement["exception"]["values"]
    assert exception["type"] == "RuntimeError" and exception["value"] == "échec du rendu de la fiche"
    assert evenement["tags"]["request_id"] == "req-42"
    assert evenement["request"]["url"] == f"http://testserver{url}"
    assert evenement["request"]["method"] == "POST"
    assert evenement["request"]["headers"] == {"Host": "testserver", "User-Agent": "Firefox/140.0", "X-Request-Id": "req-42"} | {
        nom: valeur for nom, valeur in evenement["request"]["headers"].items() if nom in ("Content-Type", "Content-Length")
    }
    for donnee in (
        NOM,
        PRENOM,
        NAISSANCE.isoformat(),
        f"{NAISSANCE:%d/%m/%Y}",
        ADRESSE,
        agent93.email,
        NOM_AGENT,
        PRENOM_AGENT,
        session,
        jeton_csrf,
        CONTENU_DU_FORMULAIRE,
        "recherche",
        "203.0.113.9",
    ):
        for forme in (donnee, json.dumps(donnee)[1:-1]):  # as written, and as JSON escapes it (« \\u00e9 »)
            assert forme not in texte, (donnee, texte[max(0, texte.find(forme) - 300) : texte.find(forme) + 100])


def test_nettoyage_d_un_evenement():
    evenement = {
        "request": {
            "url": "https://adultes-relais.exemple.gouv.fr/titulaires/3/?q=Durand",
            "query_string": "q=Durand",
            "data": {"nom": "Durand"},
            "cookies": {"sessionid": "abc"},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
            "headers": {
                "Cookie": "sessionid=abc",
                "User-Agent": "Firefox",
                "Referer": "https://…/?q=Durand",
                "Authorization": "x",
            },
        },
        "user": {"id": "7", "email": "agent@exemple.gouv.fr", "username": "agent@exemple.gouv.fr", "ip_address": "203.0.113.9"},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": 'duplicate key\nDETAIL:  Key (email)=(camille.durand@exemple.fr) already exists.\nrow "Durand"',
                    "stacktrace": {"frames": [{"function": "vue", "vars": {"titulaire": "<Titulaire: Durand>"}}]},
                }
            ]
        },
        "breadcrumbs": {"values": [{"category": "query", "message": "SELECT 1", "data": {"params": ["Durand"]}}]},
        "extra": {"note": "écrit par Camille.Durand@exemple.fr"},
    }
    propre = nettoyer_evenement(evenement)
    assert propre["request"] == {
        "url": "https://adultes-relais.exemple.gouv.fr/titulaires/3/",
        "headers": {"User-Agent": "Firefox"},
    }
    assert propre["user"] == {"id": "7"}
    (exception,) = propre["exception"]["values"]
    assert exception["value"] == f'duplicate key\n{RETIRE}\nrow "Durand"'  # the exception's own text stays, details go
    assert "vars" not in exception["stacktrace"]["frames"][0]
    assert propre["breadcrumbs"]["values"] == [{"category": "query", "message": "SELECT 1"}]
    assert propre["extra"] == {"note": f"écrit par {RETIRE}"}
