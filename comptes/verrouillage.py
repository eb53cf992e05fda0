"""Throttling of failed sign-ins (django-axes), per account and per client address.

- an account is locked after `AXES_FAILURE_LIMIT` failures (5 by default) within `AXES_COOLOFF_TIME`;
- a client address after `CONNEXION_ECHECS_MAX_PAR_ADRESSE` failures (50 by default): higher, because
  the agents of a prefecture reach us through the State network from a few shared addresses;
- a locked account or address is refused even with the right password, until the cool-off ends or a
  national administrator unlocks it (page « Comptes bloqués », `comptes:verrouillages`).

The same rules apply to known and unknown addresses, so a lockout reveals nothing about accounts.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def identifiant_tente(request, credentials=None) -> str | None:
    """The account an attempt targets: the e-mail typed, trimmed and lower-cased (as accounts are
    stored), so that `Agent@…` and `agent@…` share one counter. None when no e-mail was given."""
    if credentials is not None:
        valeur = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        valeur = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    valeur = (valeur or "").strip().lower()
    return valeur or None


def adresse_client(request) -> str | None:
    """The client's address. Behind `NOMBRE_PROXYS_DE_CONFIANCE` reverse proxies, each appending the
    address it received the request from to X-Forwarded-For, the client is the n-th address from the
    right; anything further left was written by the client and is not trusted."""
    return adresse_parmi_proxys(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.NOMBRE_PROXYS_DE_CONFIANCE,
    )


def adresse_parmi_proxys(remote_addr: str | None, x_forwarded_for: str, proxys: int) -> str | None:
    if proxys <= 0:
        return remote_addr
    adresses = [a.strip() for a in x_forwarded_for.split(",") if a.strip()]
    if len(adresses) < proxys:
        return remote_addr
    return adresses[-proxys]


class GestionnaireTentatives(AxesDatabaseHandler):
    """Axes' database handler with one limit per account and another, higher, per address.

    Axes compares a single failure count to a single limit; `get_failures` therefore answers the
    account's count, raised to the account limit when the address has reached its own limit."""

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        seuil = get_cool_off_threshold(request)
        recentes = AccessAttempt.objects.filter(attempt_time__gte=seuil)
        par_compte = 0
        if username is not None:
            par_compte = recentes.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0
        par_adresse = recentes.filter(ip_address=request.axes_ip_address).aggregate(n=Sum("failures_since_start"))["n"] or 0
        if par_adresse >= settings.CONNEXION_ECHECS_MAX_PAR_ADRESSE:
            return max(par_compte, settings.AXES_FAILURE_LIMIT)
        return par_compte


MESSAGE_BLOCAGE = (
    "Trop de tentatives de connexion ont échoué : la connexion est bloquée pendant {minutes} minutes. "
    "Réessayez plus tard, ou demandez à un administrateur national de débloquer votre compte. "
    "Vous pouvez aussi choisir un nouveau mot de passe avec « Mot de passe oublié ? »."
)


def minutes_de_blocage() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


@dataclass(frozen=True)
class Blocage:
    """A locked account (`compte`) or client address (`adresse`), as shown to national administrators."""

    genre: str
    valeur: str
    echecs: int
    derniere_tentative: datetime


def blocages_en_cours() -> list[Blocage]:
    """Accounts and addresses currently locked (within the cool-off window), most recent first."""
    seuil = timezone.now() - settings.AXES_COOLOFF_TIME
    recentes = AccessAttempt.objects.filter(attempt_time__gte=seuil)
    resultat = []
    regroupements = [
        ("compte", "username", settings.AXES_FAILURE_LIMIT),
        ("adresse", "ip_address", settings.CONNEXION_ECHECS_MAX_PAR_ADRESSE),
    ]
    for genre, champ, limite in regroupements:
        lignes = (
            recentes.exclude(**{f"{champ}__isnull": True})
            .values(champ)
            .annotate(echecs=Sum("failures_since_start"), derniere=Max("attempt_time"))
            .filter(echecs__gte=limite)
        )
        resultat += [Blocage(genre, ligne[champ], ligne["echecs"], ligne["derniere"]) for ligne in lignes]
    return sorted(resultat, key=lambda b: b.derniere_tentative, reverse=True)


def debloquer(genre: str, valeur: str) -> int:
    """Forget the failed attempts of an account or an address; returns how many records went."""
    from axes.utils import reset

    if genre == "compte":
        return reset(username=valeur)
    if genre == "adresse":
        return reset(ip=valeur)
    raise ValueError(f"Genre de blocage inconnu : {genre}")
