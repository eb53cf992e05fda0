from datetime import date

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from comptes.scopes import ScopedQuerySet

# Département on 3 characters (093, 02A, 971, and 59L / 59V for the two Nord offices in ANCT's
# register), year on 2 digits, then « R » + sequence (4) + version (2), or the older « RT » + 5 digits.
FORMAT_IDENTIFIANT_POSTE = r"^[0-9]{2}[0-9A-Z][0-9]{2}R(T[0-9]{5}|[0-9]{6})$"
HEURES_MIN = 17.5  # half time (D5134-151: full time or at least half time)
HEURES_MAX = 35
DUREE_MAX_CONVENTION_ANS = 3  # D5134-147


def ajouter_annees(jour: date, annees: int) -> date:
    """Same day `annees` later; 29 February becomes 28 February in a common year."""
    try:
        return jour.replace(year=jour.year + annees)
    except ValueError:
        return jour.replace(year=jour.year + annees, day=28)


def fin_maximale_convention(debut: date) -> date:
    """Last day allowed for a convention starting on `debut`: three years minus one day (D5134-147)."""
    from datetime import timedelta

    return ajouter_annees(debut, DUREE_MAX_CONVENTION_ANS) - timedelta(days=1)


class DomaineMediation(models.Model):
    """Reference list of mediation domains seen in practice."""

    code = models.SlugField("code", max_length=50, unique=True)
    libelle = models.CharField("libellé", max_length=150, unique=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "domaine de médiation"
        verbose_name_plural = "domaines de médiation"
        ordering = ["ordre", "libelle"]

    def __str__(self):
        return self.libelle


class StatutPoste(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente de convention"
    ACTIF = "actif", "Actif"
    FERME = "ferme", "Fermé"


class PosteQuerySet(ScopedQuerySet):
    pass


heures_validators = [
    MinValueValidator(HEURES_MIN, "La durée hebdomadaire doit être d’au moins 17,5 heures (mi-temps)."),
    MaxValueValidator(HEURES_MAX, "La durée hebdomadaire ne peut pas dépasser 35 heures."),
]


def heures_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(heures_hebdomadaires__gte=HEURES_MIN, heures_hebdomadaires__lte=HEURES_MAX), name=name
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
    domaines = models.ManyToManyField(
        DomaineMediation, verbose_name="domaines de médiation", related_name="postes", blank=True
    )
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
        constraints = [
            models.CheckConstraint(
                condition=Q(identifiant__regex=FORMAT_IDENTIFIANT_POSTE), name="poste_identifiant_format"
            ),
            heures_constraint("poste_heures_entre_mi_temps_et_temps_plein"),
            models.CheckConstraint(condition=Q(statut__in=StatutPoste.values), name="poste_statut_connu"),
        ]

    def __str__(self):
        return self.identifiant


class StatutConvention(models.TextChoices):
    PROJET = "projet", "Projet"
    SIGNEE = "signee", "Signée"
    EN_COURS = "en_cours", "En cours"
    ECHUE = "echue", "Échue"
    RESILIEE = "resiliee", "Résiliée"
    CADUQUE = "caduque", "Caduque"


class RangConvention(models.TextChoices):
    INITIALE = "initiale", "Convention initiale"
    RENOUVELLEMENT = "renouvellement", "Renouvellement"


class MotifResiliation(models.TextChoices):
    MANQUEMENT = "manquement", "Manquement de l’employeur à ses obligations"
    FAUSSE_DECLARATION = "fausse_declaration", "Fausse déclaration"
    ABSENCE_JUSTIFICATIFS = "absence_justificatifs", "Absence de justificatifs pendant deux trimestres"
    INITIATIVE_EMPLOYEUR = "initiative_employeur", "À l’initiative de l’employeur (préavis de deux mois)"


class ConventionQuerySet(ScopedQuerySet):
    scope_departement = "poste__departement"
    scope_employeur = "poste__employeur"


class PlusAnnees(Func):
    """SQL: (date + N years - 1 day)::date, to bound a convention to three years in a constraint."""

    template = "((%(expressions)s + interval '%(annees)s years' - interval '1 day')::date)"
    output_field = models.DateField()


class Convention(models.Model):
    poste = models.ForeignKey(Poste, verbose_name="poste", on_delete=models.PROTECT, related_name="conventions")
    numero = models.CharField("numéro", max_length=30, unique=True)
    rang = models.CharField("rang", max_length=20, choices=RangConvention.choices, default=RangConvention.INITIALE)
    precedente = models.OneToOneField(
        "self",
        verbose_name="convention renouvelée",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renouvellement",
    )
    date_debut = models.DateField("date de début")
    date_fin = models.DateField("date de fin")
    statut = models.CharField(
        "statut", max_length=20, choices=StatutConvention.choices, default=StatutConvention.PROJET
    )
    heures_hebdomadaires = models.DecimalField(
        "heures hebdomadaires", max_digits=4, decimal_places=2, default=35, validators=heures_validators
    )
    derogation_residence = models.BooleanField("dérogation à la condition de résidence", default=False)
    motif_derogation = models.TextField("motif de la dérogation", blank=True)
    date_signature = models.DateField("date de signature", null=True, blank=True)
    motif_resiliation = models.CharField(
        "motif de résiliation", max_length=30, choices=MotifResiliation.choices, blank=True
    )
    date_resiliation = models.DateField("date de résiliation", null=True, blank=True)
    cree_le = models.DateTimeField("créée le", auto_now_add=True)

    history = HistoricalRecords(verbose_name="historique de la convention")
    objects = ConventionQuerySet.as_manager()

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = ["-date_debut", "numero"]
        constraints = [
            models.CheckConstraint(condition=Q(date_fin__gte=F("date_debut")), name="convention_dates_ordonnees"),
            models.CheckConstraint(
                condition=Q(date_fin__lte=PlusAnnees(F("date_debut"), annees=DUREE_MAX_CONVENTION_ANS)),
                name="convention_duree_3_ans_maximum",
            ),
            heures_constraint("convention_heures_entre_mi_temps_et_temps_plein"),
            models.CheckConstraint(
                condition=Q(derogation_residence=False) | ~Q(motif_derogation=""),
                name="convention_derogation_motivee",
            ),
            models.CheckConstraint(condition=Q(statut__in=StatutConvention.values), name="convention_statut_connu"),
            models.CheckConstraint(
                condition=~Q(statut__in=["signee", "en_cours", "echue", "caduque"]) | Q(date_signature__isnull=False),
                name="convention_signee_datee",
            ),
            models.CheckConstraint(
                condition=~Q(statut="resiliee") | (Q(date_resiliation__isnull=False) & ~Q(motif_resiliation="")),
                name="convention_resiliation_motivee",
            ),
        ]

    def __str__(self):
        return f"Convention {self.numero}"

    def clean(self):
        if self.date_debut and self.date_fin:
            if self.date_fin < self.date_debut:
                raise ValidationError({"date_fin": "La date de fin doit suivre la date de début."})
            if self.date_fin > fin_maximale_convention(self.date_debut):
                raise ValidationError(
                    {"date_fin": "Une convention dure au plus trois ans (art. D5134-147 du code du travail)."}
                )
        if self.derogation_residence and not self.motif_derogation.strip():
            raise ValidationError({"motif_derogation": "Indiquez le motif de la dérogation de résidence."})


class SituationAvantEmbauche(models.TextChoices):
    SANS_EMPLOI = "sans_emploi", "Sans emploi"
    CUI_CAE = "cui", "En CUI-CAE se terminant avant l’embauche"
    EN_EMPLOI = "en_emploi", "En emploi"


class TitulaireQuerySet(models.QuerySet):
    def for_user(self, user):
        """A titulaire is reachable through the posts they held or hold."""
        postes = Poste.objects.for_user(user)
        if user is not None and user.is_authenticated and user.est_admin_national:
            return self
        return self.filter(pk__in=Affectation.objects.filter(poste__in=postes).values("titulaire"))


class Titulaire(models.Model):
    """The person holding (or having held) a post: the adulte-relais."""

    nom = models.CharField("nom", max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    date_naissance = models.DateField("date de naissance")
    adresse = models.CharField("adresse", max_length=255, blank=True)
    qpv_residence = models.ForeignKey(
        "quartiers.QuartierPrioritaire",
        verbose_name="quartier prioritaire de résidence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    situation_avant_embauche = models.CharField(
        "situation avant l’embauche", max_length=20, choices=SituationAvantEmbauche.choices
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    objects = TitulaireQuerySet.as_manager()

    class Meta:
        verbose_name = "titulaire"
        verbose_name_plural = "titulaires"
        ordering = ["nom", "prenom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(situation_avant_embauche__in=SituationAvantEmbauche.values),
                name="titulaire_situation_connue",
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"


class TypeContrat(models.TextChoices):
    CDI = "cdi", "Contrat à durée indéterminée"
    CDD = "cdd", "Contrat à durée déterminée"


class AffectationQuerySet(ScopedQuerySet):
    scope_departement = "poste__departement"
    scope_employeur = "poste__employeur"

    def en_cours(self, jour: date):
        return self.filter(Q(date_fin__isnull=True) | Q(date_fin__gte=jour), date_debut__lte=jour)


class Affectation(models.Model):
    """A titulaire on a post between two dates. Two affectations of one post never overlap."""

    poste = models.ForeignKey(Poste, verbose_name="poste", on_delete=models.PROTECT, related_name="affectations")
    titulaire = models.ForeignKey(
        Titulaire, verbose_name="titulaire", on_delete=models.PROTECT, related_name="affectations"
    )
    date_debut = models.DateField("date de début")
    date_fin = models.DateField("date de fin", null=True, blank=True, help_text="Vide tant que le contrat court.")
    date_signature_contrat = models.DateField("date de signature du contrat de travail", null=True, blank=True)
    type_contrat = models.CharField("type de contrat", max_length=3, choices=TypeContrat.choices, default="cdi")

    history = HistoricalRecords(verbose_name="historique de l’affectation")
    objects = AffectationQuerySet.as_manager()

    class Meta:
        verbose_name = "affectation"
        verbose_name_plural = "affectations"
        ordering = ["-date_debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=F("date_debut")),
                name="affectation_dates_ordonnees",
            ),
            # Without the btree_gist extension (absent from the embedded server), the post is turned
            # into a one-value range so that a plain GiST index can enforce "no overlap per post".
            ExclusionConstraint(
                name="affectation_sans_chevauchement",
                expressions=[
                    (Func(F("poste"), F("poste"), Value("[]"), function="int8range"), RangeOperators.OVERLAPS),
                    (
                        Func(
                            F("date_debut"),
                            Coalesce(F("date_fin"), Value(date.max)),
                            Value("[]"),
                            function="daterange",
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                violation_error_message="Ce poste est déjà occupé sur une partie de cette période.",
            ),
        ]

    def __str__(self):
        return f"{self.titulaire} sur {self.poste}"


class StatutDemande(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    DEPOSEE = "deposee", "Déposée"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    A_COMPLETER = "a_completer", "À compléter"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"
    CLASSEE_SANS_SUITE = "classee_sans_suite", "Classée sans suite"


class DemandeQuerySet(ScopedQuerySet):
    pass


class Demande(models.Model):
    """An employer's request for a post. Its workflow lives in postes/services.py."""

    employeur = models.ForeignKey(
        "employeurs.Employeur", verbose_name="employeur", on_delete=models.PROTECT, related_name="demandes"
    )
    departement = models.ForeignKey(
        "quartiers.Departement", verbose_name="département", on_delete=models.PROTECT, related_name="demandes"
    )
    statut = models.CharField(
        "statut", max_length=20, choices=StatutDemande.choices, default=StatutDemande.BROUILLON
    )
    projet = models.TextField("nature du projet", blank=True)
    missions = models.TextField("missions", blank=True)
    domaines = models.ManyToManyField(DomaineMediation, verbose_name="domaines de médiation", blank=True)
    quartiers = models.ManyToManyField(
        "quartiers.QuartierPrioritaire", verbose_name="quartiers d’intervention", blank=True
    )
    heures_hebdomadaires = models.DecimalField(
        "heures hebdomadaires", max_digits=4, decimal_places=2, default=35, validators=heures_validators
    )
    date_debut_souhaitee = models.DateField("date de début souhaitée", null=True, blank=True)
    cofinancements = models.TextField("cofinancements", blank=True)
    budget_previsionnel = models.DecimalField(
        "budget prévisionnel annuel (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    instructeur = models.ForeignKey(
        "comptes.Utilisateur",
        verbose_name="instructeur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_instruites",
    )
    date_depot = models.DateTimeField("date de dépôt", null=True, blank=True)
    date_decision = models.DateTimeField("date de décision", null=True, blank=True)
    motif_decision = models.TextField("motif de la décision", blank=True)
    poste = models.OneToOneField(
        Poste, verbose_name="poste créé", on_delete=models.PROTECT, null=True, blank=True, related_name="demande"
    )
    cree_par = models.ForeignKey(
        "comptes.Utilisateur",
        verbose_name="créée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_creees",
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    history = HistoricalRecords(verbose_name="historique de la demande")
    objects = DemandeQuerySet.as_manager()

    class Meta:
        verbose_name = "demande"
        verbose_name_plural = "demandes"
        ordering = ["-cree_le"]
        constraints = [
            heures_constraint("demande_heures_entre_mi_temps_et_temps_plein"),
            models.CheckConstraint(condition=Q(statut__in=StatutDemande.values), name="demande_statut_connu"),
            models.CheckConstraint(
                condition=Q(budget_previsionnel__isnull=True) | Q(budget_previsionnel__gte=0),
                name="demande_budget_positif",
            ),
            models.CheckConstraint(
                condition=~Q(statut="refusee") | ~Q(motif_decision=""), name="demande_refus_motive"
            ),
        ]

    def __str__(self):
        return f"Demande n° {self.pk} – {self.employeur}"
