from django.db import models


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    nom = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        verbose_name_plural = "régions"
        ordering = ["code"]

    def __str__(self):
        return self.nom


class DepartementQuerySet(models.QuerySet):
    def for_user(self, user):
        """Départements a user works on: all for a national administrator, their own for an agent,
        those of their structures for an employer."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.est_admin_national:
            return self
        if user.est_agent:
            return self.filter(pk__in=user.departements.values("pk"))
        return self.filter(pk__in=user.employeurs.values("departement"))


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    nom = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, verbose_name="région", on_delete=models.PROTECT, related_name="departements")

    objects = DepartementQuerySet.as_manager()

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^([0-9]{2}|2A|2B|97[0-9]|98[0-9])$"),
                name="departement_code_insee",
                violation_error_message="Le code du département doit être un code INSEE : deux chiffres (93), 2A, 2B, ou trois chiffres outre-mer (974).",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.nom}"


class Geographie(models.TextChoices):
    QPV_2015 = "2015", "Géographie prioritaire 2015"
    QPV_2024 = "2024", "Géographie prioritaire 2024"


GEOGRAPHIE_EN_VIGUEUR = Geographie.QPV_2024


def departement_du_code_qpv(code: str) -> str:
    """Read the département from a QPV code: `QN09339M` → 93, `QN02A01M` → 2A, `QN97401I` → 974,
    `QP093028` → 93 (2015 codes)."""
    code = code.strip().upper()
    dep = code[2:5]
    if dep.startswith("97"):
        return dep
    return dep[1:] if dep.startswith("0") else dep


class QuartierPrioritaireQuerySet(models.QuerySet):
    def for_user(self, user):
        # QPV are public reference data: every signed-in user may read them.
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self

    def en_vigueur(self):
        return self.filter(geographie=GEOGRAPHIE_EN_VIGUEUR)


class QuartierPrioritaire(models.Model):
    code = models.CharField("code", max_length=10, unique=True)
    nom = models.CharField("nom", max_length=255)
    geographie = models.CharField("géographie", max_length=4, choices=Geographie.choices)
    departement = models.ForeignKey(Departement, verbose_name="département", on_delete=models.PROTECT, related_name="quartiers")
    communes = models.JSONField(
        "communes", default=list, blank=True, help_text="Les communes du quartier, chacune avec son code INSEE et son nom."
    )
    geometrie = models.JSONField(
        "contour (GeoJSON, WGS84)",
        null=True,
        blank=True,
        help_text="Le contour publié par l’ANCT (GeoJSON, coordonnées en degrés WGS84) ; il sert à dire si une adresse est dans le quartier.",
    )
    geometrie_demo = models.BooleanField(
        "contour de démonstration",
        default=False,
        help_text="Contour simplifié dessiné pour la démonstration : ne pas utiliser pour instruire.",
    )
    # Lets every process see that the contours changed and rebuild its spatial index (localisation.py).
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = QuartierPrioritaireQuerySet.as_manager()

    class Meta:
        verbose_name = "quartier prioritaire"
        verbose_name_plural = "quartiers prioritaires"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^(QN[0-9]{2}[0-9AB][0-9]{2}[A-Z]|QP[0-9]{2}[0-9AB][0-9]{3})$"),
                name="qpv_code_format",
                violation_error_message="Le code du quartier prioritaire doit suivre le format officiel : QN suivi de 6 caractères (QN09339M) pour la géographie 2024, QP suivi de 6 caractères pour celle de 2015.",
            ),
            models.CheckConstraint(
                condition=models.Q(geographie__in=Geographie.values),
                name="qpv_geographie_connue",
                violation_error_message="La géographie d’un quartier prioritaire est 2015 ou 2024.",
            ),
        ]

    def __str__(self):
        return f"{self.nom} ({self.code})"

    @property
    def noms_communes(self):
        return ", ".join(c.get("nom") or c.get("insee", "") for c in self.communes)
