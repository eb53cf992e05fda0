from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from comptes.scopes import ScopedQuerySet
from financements.regles import motif_date_effet_bareme, motif_date_effet_smic


class Smic(models.Model):
    """Gross hourly SMIC (metropolitan France) from a date. Monthly = hourly × 151.67."""

    date_effet = models.DateField(
        "en vigueur à partir du",
        unique=True,
        error_messages={"unique": "Un SMIC prend déjà effet à cette date : modifiez-le plutôt que d’en créer un second."},
        help_text="Le 1er d’un mois : chaque 1er janvier, ou en cours d’année après une revalorisation exceptionnelle.",
    )
    horaire_brut = models.DecimalField("montant horaire brut (€)", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "SMIC"
        verbose_name_plural = "SMIC"
        ordering = ["-date_effet"]
        constraints = [
            models.CheckConstraint(
                condition=Q(horaire_brut__gt=0),
                name="smic_positif",
                violation_error_message="Le SMIC horaire brut doit être supérieur à zéro.",
            ),
            models.CheckConstraint(
                condition=Q(date_effet__day=1),
                name="smic_date_effet_premier_du_mois",
                violation_error_message="Le SMIC est revalorisé à compter du premier jour d’un mois : la date d’effet doit être le 1er d’un mois.",
            ),
        ]

    def clean(self):
        if self.date_effet and (motif := motif_date_effet_smic(self.date_effet)):
            raise ValidationError({"date_effet": motif})

    def __str__(self):
        return f"SMIC au {self.date_effet:%d/%m/%Y} : {self.horaire_brut} €/h"


class Bareme(models.Model):
    """Flat annual aid for a full-time post from a date (revalued every 1 July, D5134-158 to -160)."""

    date_effet = models.DateField(
        "en vigueur à partir du",
        unique=True,
        error_messages={"unique": "Un barème prend déjà effet à cette date : modifiez-le plutôt que d’en créer un second."},
        help_text="Toujours un 1er juillet : le barème est revalorisé chaque année à cette date.",
    )
    montant_annuel = models.DecimalField("montant annuel à temps plein (€)", max_digits=10, decimal_places=2)
    reference = models.CharField("texte de référence", max_length=255, blank=True)

    class Meta:
        verbose_name = "barème de l’aide"
        verbose_name_plural = "barèmes de l’aide"
        ordering = ["-date_effet"]
        constraints = [
            models.CheckConstraint(
                condition=Q(montant_annuel__gte=0),
                name="bareme_montant_positif",
                violation_error_message="Le montant annuel du barème ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(date_effet__month=7, date_effet__day=1),
                name="bareme_date_effet_1er_juillet",
                violation_error_message="Le barème de l’aide est revalorisé chaque 1er juillet (art. D5134-158 à D5134-160 du code du travail) : la date d’effet doit être un 1er juillet.",
            ),
        ]

    def clean(self):
        if self.date_effet and (motif := motif_date_effet_bareme(self.date_effet)):
            raise ValidationError({"date_effet": motif})

    def __str__(self):
        return f"Barème au {self.date_effet:%d/%m/%Y} : {self.montant_annuel} €"


class EnveloppeQuerySet(ScopedQuerySet):
    scope_employeur = None  # employers do not see budget envelopes


class Enveloppe(models.Model):
    """Posts and amount allotted to a département for a year."""

    departement = models.ForeignKey(
        "quartiers.Departement", verbose_name="département", on_delete=models.PROTECT, related_name="enveloppes"
    )
    annee = models.PositiveSmallIntegerField("année")
    nombre_postes = models.PositiveIntegerField("nombre de postes")
    montant = models.DecimalField("montant (€)", max_digits=14, decimal_places=2)

    objects = EnveloppeQuerySet.as_manager()

    class Meta:
        verbose_name = "enveloppe"
        verbose_name_plural = "enveloppes"
        ordering = ["-annee", "departement__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "annee"],
                name="enveloppe_unique_par_departement_annee",
                violation_error_message="Ce département a déjà une enveloppe pour cette année : modifiez-la plutôt que d’en créer une seconde.",
            ),
            models.CheckConstraint(
                condition=Q(montant__gte=0),
                name="enveloppe_montant_positif",
                violation_error_message="Le montant de l’enveloppe ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(nombre_postes__gte=0),
                name="enveloppe_postes_positif",
                violation_error_message="Le nombre de postes de l’enveloppe ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(annee__gte=1999, annee__lte=2100),
                name="enveloppe_annee_plausible",
                violation_error_message="L’année doit être comprise entre 1999 (création du programme) et 2100.",
            ),
        ]

    def __str__(self):
        return f"Enveloppe {self.annee} – {self.departement}"


# The dated series the pure rules read (financements/regles.py), oldest first.
def lignes_bareme() -> list[tuple[date, Decimal]]:
    return list(Bareme.objects.order_by("date_effet").values_list("date_effet", "montant_annuel"))


def lignes_smic() -> list[tuple[date, Decimal]]:
    return list(Smic.objects.order_by("date_effet").values_list("date_effet", "horaire_brut"))
