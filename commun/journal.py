"""Logs for a host that collects standard output: one JSON line per request, and every log record
as one JSON line when LOG_FORMAT is `json` (README, « Journaux et rapports d’erreurs »).

A request's line holds its method, its path WITHOUT the query string (searches put names there),
its status, its duration, its request id (taken from `X-Request-ID` when the front server sends a
sound one, generated otherwise, and sent back in the response) and the user's id, never an e-mail
address, a name, a cookie or a form field."""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

import sentry_sdk
from django.utils.functional import empty

journal_requetes = logging.getLogger("adultes_relais.requetes")

# A request id from the front server is kept if it is short and plain (no injection into the logs).
IDENTIFIANT_ACCEPTABLE = re.compile(r"[A-Za-z0-9._:-]{1,128}")
CLE_SESSION_UTILISATEUR = "_auth_user_id"  # django.contrib.auth's SESSION_KEY


def identifiant_de_requete(request) -> str:
    propose = request.headers.get("X-Request-ID", "")
    return propose if IDENTIFIANT_ACCEPTABLE.fullmatch(propose) else str(uuid.uuid4())


def identifiant_utilisateur(request):
    """The signed-in user's id, or None, without any query of its own: from the user if a view has
    loaded it, else from the session if it was read."""
    utilisateur = request.__dict__.get("user")
    if utilisateur is not None:
        enveloppe = getattr(utilisateur, "_wrapped", utilisateur)
        if enveloppe is not empty:
            return enveloppe.pk if enveloppe.is_authenticated else None
    session = getattr(request, "session", None)
    cache = getattr(session, "_session_cache", None) if session is not None else None
    valeur = cache.get(CLE_SESSION_UTILISATEUR) if isinstance(cache, dict) else None
    try:
        return int(valeur) if valeur is not None else None
    except (TypeError, ValueError):
        return None


class JournalRequetesMiddleware:
    """First of the middlewares: it sees every response, 500 pages included, and times them all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        debut = time.perf_counter()
        request.id_requete = identifiant_de_requete(request)
        sentry_sdk.set_tag("request_id", request.id_requete)  # an error report names its request
        response = self.get_response(request)
        response["X-Request-ID"] = request.id_requete
        journal_requetes.info(
            "requête",
            extra={
                "requete": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - debut) * 1000, 1),
                    "request_id": request.id_requete,
                    "user_id": identifiant_utilisateur(request),
                }
            },
        )
        return response


class FormatJSON(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the traceback, if any); a
    request's line carries its fields at the top level."""

    def format(self, record: logging.LogRecord) -> str:
        ligne = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        requete = getattr(record, "requete", None)
        if isinstance(requete, dict):
            ligne.update(requete)
        else:
            ligne["message"] = record.getMessage()
        if record.exc_info:
            ligne["exception"] = self.formatException(record.exc_info)
        return json.dumps(ligne, ensure_ascii=False, default=str)


class FormatTexte(logging.Formatter):
    """The same, readable in a terminal (`make run`): a request is one short line."""

    def format(self, record: logging.LogRecord) -> str:
        requete = getattr(record, "requete", None)
        if not isinstance(requete, dict):
            return super().format(record)
        utilisateur = "-" if requete["user_id"] is None else requete["user_id"]
        return (
            f"{requete['method']} {requete['path']} {requete['status']} {requete['duration_ms']} ms "
            f"id={requete['request_id']} utilisateur={utilisateur}"
        )
