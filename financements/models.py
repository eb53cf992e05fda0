from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from comptes.scopes import ScopedQuerySet
from financements.aide import motif_date_effet_bareme, motif_date_effet_smic


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


class FinancementAnnuelQuerySet(ScopedQuerySet):
    """Reached through the post: its département for agents, its employer for employers."""

    scope_departement = "poste__departement"
    scope_employeur = "poste__employeur"


class FinancementAnnuel(models.Model):
    """The State aid paid for a post over a budget year (one row of ANCT's register of funded posts)."""

    poste = models.ForeignKey("postes.Poste", verbose_name="poste", on_delete=models.PROTECT, related_name="financements")
    annee = models.PositiveSmallIntegerField("année")
    montant = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    code_contrat_ville = models.CharField("contrat de ville", max_length=20, blank=True)

    objects = FinancementAnnuelQuerySet.as_manager()

    class Meta:
        verbose_name = "financement annuel"
        verbose_name_plural = "financements annuels"
        ordering = ["-annee", "poste__identifiant"]
        # Indexes of the list filters and sorts (query budget, issue 7).
        indexes = [
            models.Index(fields=["annee"], name="financement_annee_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["poste", "annee"],
                name="financement_unique_par_poste_annee",
                violation_error_message="Ce poste a déjà un financement pour cette année : modifiez-le plutôt que d’en créer un second.",
            ),
            models.CheckConstraint(
                condition=Q(montant__gte=0),
                name="financement_montant_positif",
                violation_error_message="Le montant du financement ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(annee__gte=1999, annee__lte=2100),
                name="financement_annee_plausible",
                violation_error_message="L’année doit être comprise entre 1999 (création du programme) et 2100.",
            ),
        ]

    def __str__(self):
        return f"Financement {self.annee} du poste {self.poste}"


class JournalBudget(models.Model):
    """One row per write statement touching a département's conventions, affectations, avenants or
    posts, written by database triggers (migration 0006), whatever wrote it: a service, an import,
    a bulk insert, the admin. The dashboard's cache key of a département is (SUM(n), MAX(id)) of
    its rows: a commit always adds a row, so the sum changes, and ids are never reused, not even
    after a TRUNCATE. Rows are appended without touching a shared row, so writers never wait on
    each other; the daily `calculer_tableau_de_bord` merges them (`compacter_journal_budget`)."""

    id = models.BigAutoField(primary_key=True)
    departement = models.ForeignKey(
        "quartiers.Departement",
        verbose_name="département",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the (département, id) index below serves
    )
    n = models.PositiveIntegerField("écritures", default=1)

    class Meta:
        verbose_name = "écriture du journal budgétaire"
        verbose_name_plural = "journal budgétaire"
        indexes = [models.Index(fields=["departement", "id"], name="journal_budget_dep_idx")]
