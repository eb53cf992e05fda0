"""Error pages a person can meet (400, 403, CSRF failure, 404, 500): French DSFR pages with the
header, a sentence that says what happened and a way back (the DSFR « page d’erreur » pattern).

The 400 and 500 pages are rendered without the request: no context processor runs, so they need
neither the database (session, user) nor a sound request; `{% static %}` and `{% url %}` need
neither. If even that fails, a last French page written here is served.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from commun.site import SITE

logger = logging.getLogger(__name__)

GABARIT = "commun/erreur.html"

PAGE_DE_SECOURS = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Erreur inattendue — Adultes-relais</title></head>
<body><main><h1>Erreur inattendue</h1><p>Erreur 500</p>
<p>Le service rencontre un problème. Réessayez dans quelques minutes.</p>
<p><a href="/">Retourner à l’accueil</a></p></main></body></html>"""


class AccesRefuse(PermissionDenied):
    """A refusal whose French sentence (first argument) is shown on the 403 page."""


def _page(code: int, titre: str, message: str, conseil: str = "", *, bouton_connexion=False) -> dict:
    return {
        "SITE_CONFIG": SITE,
        "code": code,
        "titre_erreur": titre,
        "message": message,
        "conseil": conseil,
        "bouton_connexion": bouton_connexion,
    }


def _rendre(contexte: dict, request=None) -> str:
    return loader.get_template(GABARIT).render(contexte, request)


@requires_csrf_token
def requete_incorrecte(request, exception=None):
    contexte = _page(
        400,
        "Requête incorrecte",
        "Le service n’a pas pu comprendre la demande envoyée par votre navigateur.",
        "Vérifiez l’adresse de la page, ou repartez de l’accueil du service.",
    )
    return HttpResponseBadRequest(_rendre(contexte))


@requires_csrf_token
def acces_refuse(request, exception=None):
    motif = exception.args[0] if isinstance(exception, AccesRefuse) and exception.args else ""
    contexte = _page(
        403,
        "Accès refusé",
        motif or "Vous n’avez pas le droit d’accéder à cette page.",
        "Si vous pensez que c’est une erreur, adressez-vous au service de la préfecture qui suit votre dossier.",
    )
    return HttpResponseForbidden(_rendre(contexte, request))


@requires_csrf_token
def page_introuvable(request, exception=None):
    contexte = _page(
        404,
        "Page introuvable",
        "La page que vous cherchez est introuvable : l’adresse est peut-être mal saisie, ou la page "
        "n’existe plus, ou elle ne fait pas partie de votre périmètre.",
        "Vérifiez l’adresse de la page, ou repartez de l’accueil du service.",
    )
    return HttpResponseNotFound(_rendre(contexte, request))


def echec_csrf(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without its security token (expired page, blocked cookies)."""
    contexte = _page(
        403,
        "Formulaire expiré",
        "Le formulaire n’a pas été pris en compte : il a été envoyé sans son jeton de sécurité, ou "
        "la page était ouverte depuis trop longtemps.",
        "Revenez à la page précédente, rechargez-la, puis envoyez le formulaire à nouveau. Si le "
        "problème persiste, vérifiez que votre navigateur accepte les cookies de ce site.",
        bouton_connexion=not getattr(getattr(request, "user", None), "is_authenticated", False),
    )
    return HttpResponseForbidden(_rendre(contexte, request))


@requires_csrf_token
def erreur_serveur(request):
    contexte = _page(
        500,
        "Erreur inattendue",
        "Le service rencontre un problème, nous travaillons à le résoudre au plus vite.",
        "Réessayez dans quelques minutes. Ce que vous étiez en train d’enregistrer ne l’a peut-être pas "
        "été : vérifiez-le avant de recommencer.",
    )
    try:
        corps = _rendre(contexte)
    except Exception:  # the last page must always answer
        logger.exception("La page d’erreur 500 n’a pas pu être affichée.")
        corps = PAGE_DE_SECOURS
    return HttpResponseServerError(corps)
