"""Where a person lives, for the residence condition of art. L5134-102: from an address (geocoded then
located), from a point, or from a QPV code chosen by the agent. The result keeps what was used, so
that an eligibility diagnosis can store it."""

from dataclasses import dataclass, field

from quartiers.geocodage import AdresseGeocodee, geocoder
from quartiers.index_spatial import Localisation
from quartiers.localisation import localiser_point
from quartiers.models import QuartierPrioritaire

PROCHE_FRONTIERE_M = 30  # contours are known to about 10 m: closer than this, say it


class QuartierInconnu(ValueError):
    pass


class Mode:
    ADRESSE = "adresse"
    POINT = "point"
    QPV = "qpv"
    AUCUNE = "aucune"  # residence not given: only a derogation can satisfy the condition


@dataclass(frozen=True)
class Residence:
    mode: str
    qpv: QuartierPrioritaire | None = None
    adresse: str = ""
    geocodage: AdresseGeocodee | None = None
    lon: float | None = None
    lat: float | None = None
    localisation: Localisation | None = None
    justification: str = ""
    avertissements: list[str] = field(default_factory=list)

    @property
    def qpv_choisi_a_la_main(self) -> bool:
        return self.mode == Mode.QPV

    @property
    def non_indiquee(self) -> bool:
        return self.mode == Mode.AUCUNE

    def en_json(self) -> dict:
        """What the diagnosis stores about the residence."""
        donnees = {"mode": self.mode, "qpv": self.qpv.code if self.qpv else None}
        if self.adresse:
            donnees["adresse"] = self.adresse
        if self.geocodage:
            donnees["geocodage"] = {"libelle": self.geocodage.libelle, "score": self.geocodage.score}
        if self.lon is not None:
            donnees["point"] = [self.lon, self.lat]
        if self.localisation:
            donnees["localisation"] = {
                "code": self.localisation.code,
                "dedans": self.localisation.dedans,
                "distance_frontiere_m": round(self.localisation.distance_frontiere_m, 1),
            }
        if self.justification:
            donnees["justification"] = self.justification
        return donnees


def _avertissements(qpv: QuartierPrioritaire | None, localisation: Localisation | None) -> list[str]:
    messages = []
    if localisation and localisation.distance_frontiere_m < PROCHE_FRONTIERE_M:
        cote = "à l’intérieur" if localisation.dedans else "à l’extérieur"
        messages.append(
            f"Le logement est {cote} du quartier {localisation.nom} ({localisation.code}), à "
            f"{localisation.distance_frontiere_m:.0f} m de sa limite : vérifiez sur un plan avant de conclure."
        )
    if qpv is not None and qpv.geometrie_demo:
        messages.append(f"Le contour de {qpv.nom} est un contour de démonstration : ne l’utilisez pas pour instruire.")
    return messages


def lire_point(texte: str) -> tuple[float, float]:
    """« 2.3873, 48.9177 » → (longitude, latitude) in WGS84. ValueError with a French message."""
    try:
        lon, lat = (float(m) for m in (texte or "").replace(";", ",").split(","))
    except ValueError:
        raise ValueError(f"« {texte} » n’est pas de la forme longitude, latitude (par exemple 2.3873, 48.9177).") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"« {texte} » est hors des coordonnées WGS84 (longitude ±180, latitude ±90).")
    return lon, lat


def residence_par_point(lon: float, lat: float, *, mode: str = Mode.POINT, **extra) -> Residence:
    qpv, localisation = localiser_point(lon, lat)
    return Residence(
        mode=mode,
        qpv=qpv,
        lon=lon,
        lat=lat,
        localisation=localisation,
        avertissements=_avertissements(qpv, localisation),
        **extra,
    )


def residence_par_adresse(adresse: str) -> Residence:
    """Geocode then locate. Raises quartiers.geocodage.GeocodageImpossible (French message)."""
    trouvee = geocoder(adresse)
    return residence_par_point(trouvee.lon, trouvee.lat, mode=Mode.ADRESSE, adresse=adresse.strip(), geocodage=trouvee)


def quartier_par_code(code: str) -> QuartierPrioritaire:
    code = (code or "").strip().upper()
    try:
        return QuartierPrioritaire.objects.select_related("departement").get(code=code)
    except QuartierPrioritaire.DoesNotExist:
        raise QuartierInconnu(f"Aucun quartier prioritaire ne porte le code « {code} ».") from None


def residence_par_code(code: str, justification: str = "", adresse: str = "") -> Residence:
    """The QPV chosen by hand, with the address typed if any (kept as typed, not geocoded: the address
    service may be down). Raises QuartierInconnu."""
    qpv = quartier_par_code(code)
    return Residence(
        mode=Mode.QPV,
        qpv=qpv,
        adresse=adresse.strip(),
        justification=justification.strip(),
        avertissements=_avertissements(qpv, None),
    )
