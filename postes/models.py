from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from comptes.scopes import ScopedQuerySet
from financements.regles import HEURES_MINIMUM as HEURES_MIN
from financements.regles import HEURES_TEMPS_PLEIN as HEURES_MAX
from postes.regles import StatutPoste

# Département on 3 characters (093, 02A, 971, and 59L / 59V for the two Nord offices in ANCT's
# register), year on 2 digits, then « R » + sequence (4) + version (2), or the older « RT » + 5 digits.
FORMAT_IDENTIFIANT_POSTE = r"^[0-9]{2}[0-9A-Z][0-9]{2}R(T[0-9]{5}|[0-9]{6})$"


class DomaineMediation(models.Model):
    """Reference list of mediation domains seen in practice."""

    code = models.SlugField(
        "code", max_length=50, unique=True, error_messages={"unique": "Un autre domaine de médiation porte déjà ce code."}
    )
    libelle = models.CharField(
        "libellé", max_length=150, unique=True, error_messages={"unique": "Un autre domaine de médiation porte déjà ce libellé."}
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "domaine de médiation"
        verbose_name_plural = "domaines de médiation"
        ordering = ["ordre", "libelle"]

    def __str__(self):
        return self.libelle


class PosteQuerySet(ScopedQuerySet):
    pass


heures_validators = [
    MinValueValidator(HEURES_MIN, "La durée hebdomadaire doit être d’au moins 17,5 heures (mi-temps)."),
    MaxValueValidator(HEURES_MAX, "La durée hebdomadaire ne peut pas dépasser 35 heures."),
]


MESSAGE_HEURES = "La durée hebdomadaire doit être comprise entre 17,5 heures (mi-temps) et 35 heures (temps plein)."


def heures_constraint(name: str, message: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(heures_hebdomadaires__gte=HEURES_MIN, heures_hebdomadaires__lte=HEURES_MAX),
        name=name,
        violation_error_message=message,
    )


class Poste(models.Model):
    identifiant = models.CharField(
        "identifiant",
        max_length=12,
        unique=True,
        help_text=(
            "Département (3), année (2), « R », numéro d’ordre (4), version (2) : 09324R000101. "
            "Le registre de l’ANCT connaît aussi 59L…/59V… (Nord) et les anciens …RT…."
        ),
    )
    employeur = models.ForeignKey(
        "employeurs.Employeur", verbose_name="employeur", on_delete=models.PROTECT, related_name="postes"
    )
    departement = models.ForeignKey(
        "quartiers.Departement", verbose_name="département", on_delete=models.PROTECT, related_name="postes"
    )
    quartiers = models.ManyToManyField(
        "quartiers.QuartierPrioritaire", verbose_name="quartiers d’intervention", related_name="postes", blank=True
    )
    domaines = models.ManyToManyField(DomaineMediation, verbose_name="domaines de médiation", related_name="postes", blank=True)
    intitule = models.CharField("intitulé", max_length=255, blank=True)
    missions = models.TextField("missions", blank=True)
    heures_hebdomadaires = models.DecimalField(
        "heures hebdomadaires", max_digits=4, decimal_places=2, default=35, validators=heures_validators
    )
    statut = models.CharField("statut", max_length=20, choices=StatutPoste.choices, default=StatutPoste.EN_ATTENTE)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    history = HistoricalRecords(verbose_name="historique du poste")
    objects = PosteQuerySet.as_manager()

    class Meta:
        verbose_name = "poste"
        verbose_name_plural = "postes"
        ordering = ["identifiant"]
        # Indexes of the list filters and sorts (query budget, issue 7).
        indexes = [
            models.Index(fields=["departement", "statut"], name="poste_dep_statut_idx"),
            models.Index(fields=["cree_le"], name="poste_cree_le_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(identifiant__regex=FORMAT_IDENTIFIANT_POSTE),
                name="poste_identifiant_format",
                violation_error_message="L’identifiant du poste doit suivre le format du registre national : département sur 3 caractères, année sur 2 chiffres, « R », numéro d’ordre et version (par exemple 09324R000101).",
            ),
            heures_constraint("poste_heures_entre_mi_temps_et_temps_plein", MESSAGE_HEURES),
            models.CheckConstraint(
                condition=Q(statut__in=StatutPoste.values),
                name="poste_statut_connu",
                violation_error_message="Choisissez un statut de poste de la liste.",
            ),
        ]

    def __str__(self):
        return self.identifiant


class FinancementAnnuelQuerySet(ScopedQuerySet):
    """Reached through the post: its département for agents, its employer for employers."""

    scope_departement = "poste__departement"
    scope_employeur = "poste__employeur"


class FinancementAnnuel(models.Model):
    """The State aid paid for a post over a budget year (one row of ANCT's register of funded posts)."""

    poste = models.ForeignKey(Poste, verbose_name="poste", on_delete=models.PROTECT, related_name="financements")
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
