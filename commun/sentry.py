"""Error reports to Sentry, when SENTRY_DSN is set, with no personal data (README, « Journaux et
rapports d’erreurs »).

The SDK is told not to collect any (`data_collection`, successor of `send_default_pii=False`: no
local variables in the stack frames — a view's locals hold the titulaire it shows —, no request
body, no cookie), and every event goes
through `nettoyer_evenement` before it leaves: request body, cookies, query string and client
address removed, headers kept only from a short list, the user reduced to its id, database error
details (they quote the values of a row) and anything that looks like an e-mail address replaced."""

import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

RETIRE = "[retiré]"
ADRESSE_ELECTRONIQUE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# « DETAIL:  Key (email)=(…) already exists. »: PostgreSQL quotes the row's values there.
DETAIL_POSTGRESQL = re.compile(r"^(DETAIL|DÉTAIL)\s*:.*$", re.MULTILINE)
EN_TETES_SURS = {"host", "user-agent", "accept", "accept-language", "content-type", "content-length", "x-request-id"}
CHAMPS_REQUETE_RETIRES = ("data", "cookies", "query_string", "env")


def _nettoyer_texte(texte: str) -> str:
    return ADRESSE_ELECTRONIQUE.sub(RETIRE, DETAIL_POSTGRESQL.sub(RETIRE, texte))


def _nettoyer(valeur):
    """Every string of a nested structure, e-mail addresses and database details replaced."""
    if isinstance(valeur, str):
        return _nettoyer_texte(valeur)
    if isinstance(valeur, dict):
        return {cle: _nettoyer(v) for cle, v in valeur.items()}
    if isinstance(valeur, list | tuple):
        return [_nettoyer(v) for v in valeur]
    return valeur


def nettoyer_evenement(event: dict, hint=None) -> dict:
    requete = event.get("request")
    if isinstance(requete, dict):
        for champ in CHAMPS_REQUETE_RETIRES:
            requete.pop(champ, None)
        if isinstance(requete.get("url"), str):
            requete["url"] = requete["url"].split("?", 1)[0]
        en_tetes = requete.get("headers") or {}
        requete["headers"] = {nom: v for nom, v in en_tetes.items() if nom.lower() in EN_TETES_SURS}
    utilisateur = event.get("user")
    if isinstance(utilisateur, dict):
        event["user"] = {"id": utilisateur["id"]} if "id" in utilisateur else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        for cadre in (exception.get("stacktrace") or {}).get("frames") or []:
            cadre.pop("vars", None)
    for fil in (event.get("breadcrumbs") or {}).get("values") or []:
        fil.pop("data", None)
    return _nettoyer(event)


def options_sentry(dsn: str, environnement: str, version: str | None = None, **autres) -> dict:
    """The SDK's options. `data_collection` is sentry-sdk 2.x's successor of `send_default_pii=False`
    (deprecated there): nothing about the user, no cookie, body, query string, SQL parameter or local
    variable; of the headers, only the harmless ones."""
    return {
        "dsn": dsn,
        "environment": environnement,
        "release": version,
        "integrations": [DjangoIntegration()],
        "data_collection": {
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(EN_TETES_SURS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
            "gen_ai": {"inputs": False, "outputs": False},
        },
        "max_request_body_size": "never",
        "before_send": nettoyer_evenement,
        "before_send_transaction": nettoyer_evenement,
        "traces_sample_rate": 0,
        **autres,
    }


def initialiser_sentry(dsn: str, environnement: str, version: str | None = None, **autres):
    sentry_sdk.init(**options_sentry(dsn, environnement, version, **autres))
