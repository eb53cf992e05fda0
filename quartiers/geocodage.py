"""Client of the national address API (Géoplateforme geocoder, Base adresse nationale).

`geocoder(adresse)` returns the best match, or raises `GeocodageImpossible` with a French message
the agent can act on (service down, too slow, nothing found, score too low). It never lets a network
error through. Settings: GEOCODEUR_URL, GEOCODEUR_TIMEOUT (seconds), GEOCODEUR_SCORE_MINIMUM (0 to 1).
"""

from dataclasses import dataclass

import requests
from django.conf import settings

CONSEIL = (
    "Choisissez le quartier prioritaire à la main, en justifiant ce choix (l’adresse saisie est conservée), "
    "ou indiquez les coordonnées du logement."
)


def virgule(nombre: float) -> str:
    """0.6 → « 0,60 »."""
    return f"{nombre:.2f}".replace(".", ",")


@dataclass(frozen=True)
class AdresseGeocodee:
    libelle: str
    score: float
    lon: float
    lat: float
    type: str = ""  # housenumber, street, locality, municipality

    @property
    def score_affiche(self) -> str:
        return virgule(self.score)


class GeocodageImpossible(Exception):
    """The address could not be located with enough confidence. `candidat`: the best match, if any."""

    def __init__(self, message: str, candidat: AdresseGeocodee | None = None):
        super().__init__(message)
        self.message = message
        self.candidat = candidat


def _lire_candidat(feature: dict) -> AdresseGeocodee:
    proprietes = feature["properties"]
    lon, lat = feature["geometry"]["coordinates"][:2]
    return AdresseGeocodee(
        libelle=str(proprietes["label"]),
        score=float(proprietes["score"]),
        lon=float(lon),
        lat=float(lat),
        type=str(proprietes.get("type", "")),
    )


def geocoder(adresse: str) -> AdresseGeocodee:
    adresse = " ".join((adresse or "").split())
    if len(adresse) < 3:
        raise GeocodageImpossible("L’adresse est trop courte pour être localisée : indiquez la voie et la commune.")
    delai = settings.GEOCODEUR_TIMEOUT
    try:
        reponse = requests.get(
            settings.GEOCODEUR_URL,
            params={"q": adresse, "limit": 1},
            timeout=delai,
            headers={"Accept": "application/json"},
        )
    except requests.Timeout:
        raise GeocodageImpossible(
            f"Le service d’adresses n’a pas répondu dans le délai de {delai:g} secondes. {CONSEIL}"
        ) from None
    except requests.RequestException:
        raise GeocodageImpossible(f"Le service d’adresses est injoignable. {CONSEIL}") from None
    if reponse.status_code == 429:
        raise GeocodageImpossible(
            f"Le service d’adresses reçoit trop de demandes (erreur 429) : réessayez dans un instant. {CONSEIL}"
        )
    if reponse.status_code >= 500:
        raise GeocodageImpossible(f"Le service d’adresses est indisponible (erreur {reponse.status_code}). {CONSEIL}")
    if reponse.status_code != 200:
        raise GeocodageImpossible(
            f"Le service d’adresses n’a pas compris la demande (erreur {reponse.status_code}) : vérifiez l’adresse. {CONSEIL}"
        )
    try:
        features = reponse.json()["features"]
        candidat = _lire_candidat(features[0]) if features else None
    except (ValueError, KeyError, IndexError, TypeError):
        raise GeocodageImpossible(f"La réponse du service d’adresses est illisible. {CONSEIL}") from None
    if candidat is None:
        raise GeocodageImpossible(f"Aucune adresse ne correspond à « {adresse} ». {CONSEIL}")
    minimum = settings.GEOCODEUR_SCORE_MINIMUM
    if candidat.score < minimum:
        raise GeocodageImpossible(
            f"L’adresse la plus proche trouvée, « {candidat.libelle} », l’est avec un score de "
            f"{candidat.score_affiche}, sous le minimum de {virgule(minimum)} : elle n’est pas assez sûre. {CONSEIL}",
            candidat,
        )
    return candidat
