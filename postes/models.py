from datetime import date

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from commun.titres import titre_dans_une_phrase, titre_en_debut_de_ligne
from comptes.scopes import ScopedQuerySet
from financements.aide import HEURES_MINIMUM as HEURES_MIN
from financements.aide import HEURES_TEMPS_PLEIN as HEURES_MAX
from postes.regles_convention import (  # the statuses' vocabulary lives with their rules
    PREAVIS_EMPLOYEUR_MOIS,
    STATUTS_DATES_DE_SIGNATURE,
    STATUTS_SIGNES,
    StatutConvention,
    StatutPoste,
)
from postes.regles_demandes import DECISIONS, MODIFIABLES_PAR_L_EMPLOYEUR, StatutDemande, TypePiece

# Département on 3 characters (093, 02A, 971, and 59L / 59V for the two Nord offices in ANCT's
# register), year on 2 digits, then « R » + sequence (4) + version (2), or the older « RT » + 5 digits.
FORMAT_IDENTIFIANT_POSTE = r"^[0-9]{2}[0-9A-Z][0-9]{2}R(T[0-9]{5}|[0-9]{6})$"
# A convention number is written into file names (PDF, ZIP entries) and headers: letters, digits,
# `-` and `_` only, starting with a letter or a digit (no space, line break, `/`, `.` or quote).
FORMAT_NUMERO_CONVENTION = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$"
MESSAGE_NUMERO_CONVENTION = (
    "lettres sans accent, chiffres, « - » et « _ » seulement, 30 caractères au plus, en commençant par une "
    "lettre ou un chiffre (exemple : 09324R000101-1)."
)
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


class PlusMois(Func):
    """SQL: (date + N months)::date (end of a shorter month when the day does not exist, like
    `financements.aide.ajouter_mois`)."""

    template = "((%(expressions)s + interval '%(mois)s months')::date)"
    output_field = models.DateField()


def chemin_pdf_convention(convention, nom_fichier):
    """Stored signed PDFs: MEDIA_ROOT/conventions/<département>/<numéro>.pdf (never served directly)."""
    return f"conventions/{convention.poste.departement.code}/{convention.numero}.pdf"


class Convention(models.Model):
    poste = models.ForeignKey(Poste, verbose_name="poste", on_delete=models.PROTECT, related_name="conventions")
    numero = models.CharField(
        "numéro",
        max_length=30,
        unique=True,
        validators=[RegexValidator(FORMAT_NUMERO_CONVENTION, f"Numéro de convention : {MESSAGE_NUMERO_CONVENTION}")],
        help_text=f"Numéro unique : {MESSAGE_NUMERO_CONVENTION}",
    )
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
    statut = models.CharField("statut", max_length=20, choices=StatutConvention.choices, default=StatutConvention.PROJET)
    heures_hebdomadaires = models.DecimalField(
        "heures hebdomadaires", max_digits=4, decimal_places=2, default=35, validators=heures_validators
    )
    derogation_residence = models.BooleanField("dérogation à la condition de résidence", default=False)
    motif_derogation = models.TextField("motif de la dérogation", blank=True)
    date_signature = models.DateField("date de signature", null=True, blank=True)
    motif_resiliation = models.CharField("motif de résiliation", max_length=30, choices=MotifResiliation.choices, blank=True)
    date_resiliation = models.DateField(
        "date d’effet de la résiliation",
        null=True,
        blank=True,
        help_text="Premier jour où la convention ne produit plus d’effet (l’aide court jusqu’à la veille).",
    )
    date_notification_resiliation = models.DateField("date de notification de la résiliation", null=True, blank=True)
    signataire = models.CharField(
        "signataire pour l’État", max_length=255, blank=True, help_text="Nom et qualité : « Le préfet, Jeanne Martin »."
    )
    pdf = models.FileField("convention signée (PDF)", upload_to=chemin_pdf_convention, blank=True, max_length=255)
    pdf_sha256 = models.CharField("empreinte SHA-256 du PDF", max_length=64, blank=True)
    pdf_genere_le = models.DateTimeField("PDF généré le", null=True, blank=True)
    cree_le = models.DateTimeField("créée le", auto_now_add=True)

    history = HistoricalRecords(verbose_name="historique de la convention")
    objects = ConventionQuerySet.as_manager()

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = ["-date_debut", "numero"]
        # Indexes of the list filters and sorts (query budget, issue 7).
        indexes = [
            models.Index(fields=["-date_debut", "numero"], name="convention_tri_idx"),
            models.Index(fields=["statut", "date_fin"], name="convention_statut_fin_idx"),
            models.Index(fields=["poste", "date_debut"], name="convention_poste_debut_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(numero__regex=FORMAT_NUMERO_CONVENTION),
                name="convention_numero_format",
                violation_error_message=f"Numéro de convention : {MESSAGE_NUMERO_CONVENTION}",
            ),
            models.CheckConstraint(
                condition=Q(date_fin__gte=F("date_debut")),
                name="convention_dates_ordonnees",
                violation_error_message="La date de fin de la convention doit suivre sa date de début.",
            ),
            models.CheckConstraint(
                condition=Q(date_fin__lte=PlusAnnees(F("date_debut"), annees=DUREE_MAX_CONVENTION_ANS)),
                name="convention_duree_3_ans_maximum",
                violation_error_message="Une convention dure au plus trois ans (art. D5134-147 du code du travail) : avancez la date de fin.",
            ),
            heures_constraint("convention_heures_entre_mi_temps_et_temps_plein", MESSAGE_HEURES),
            models.CheckConstraint(
                condition=Q(derogation_residence=False) | ~Q(motif_derogation=""),
                name="convention_derogation_motivee",
                violation_error_message="Une dérogation à la condition de résidence doit être motivée : indiquez son motif.",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=StatutConvention.values),
                name="convention_statut_connu",
                violation_error_message="Choisissez un statut de convention de la liste.",
            ),
            models.CheckConstraint(
                condition=~Q(statut__in=list(STATUTS_DATES_DE_SIGNATURE)) | Q(date_signature__isnull=False),
                name="convention_signee_datee",
                violation_error_message="Une convention signée, en cours, échue ou caduque doit avoir une date de signature.",
            ),
            models.CheckConstraint(
                condition=~Q(statut="resiliee") | (Q(date_resiliation__isnull=False) & ~Q(motif_resiliation="")),
                name="convention_resiliation_motivee",
                violation_error_message="Une convention résiliée doit avoir un motif et une date d’effet de résiliation.",
            ),
            models.CheckConstraint(
                condition=Q(date_notification_resiliation__isnull=True)
                | Q(date_resiliation__gte=F("date_notification_resiliation")),
                name="convention_resiliation_apres_notification",
                violation_error_message="La résiliation ne peut pas prendre effet avant sa notification.",
            ),
            models.CheckConstraint(
                condition=~Q(motif_resiliation="initiative_employeur")
                | Q(date_notification_resiliation__isnull=True)
                | Q(date_resiliation__gte=PlusMois(F("date_notification_resiliation"), mois=PREAVIS_EMPLOYEUR_MOIS)),
                name="convention_preavis_employeur_deux_mois",
                violation_error_message="À l’initiative de l’employeur, la résiliation prend effet au plus tôt deux mois après sa notification (préavis).",
            ),
            models.CheckConstraint(
                condition=Q(pdf="") | Q(statut__in=STATUTS_SIGNES),
                name="convention_pdf_seulement_si_signee",
                violation_error_message="Seule une convention signée peut avoir un PDF signé archivé.",
            ),
            models.CheckConstraint(
                condition=(Q(pdf="") & Q(pdf_sha256="")) | (~Q(pdf="") & Q(pdf_sha256__regex=r"^[0-9a-f]{64}$")),
                name="convention_pdf_avec_empreinte",
                violation_error_message="Un PDF archivé doit être accompagné de son empreinte SHA-256 (64 caractères hexadécimaux), et une empreinte d’un PDF.",
            ),
        ]

    def __str__(self):
        return f"Convention {self.numero}"

    @property
    def signataire_dans_une_phrase(self) -> str:
        """« Signée pour l’État par le préfet de la Seine-Saint-Denis » (commun/titres.py)."""
        return titre_dans_une_phrase(self.signataire)

    @property
    def signataire_en_debut_de_ligne(self) -> str:
        """« Le préfet de la Seine-Saint-Denis », at the start of the PDF's signature block."""
        return titre_en_debut_de_ligne(self.signataire)

    def clean(self):
        if self.date_debut and self.date_fin:
            if self.date_fin < self.date_debut:
                raise ValidationError({"date_fin": "La date de fin doit suivre la date de début."})
            if self.date_fin > fin_maximale_convention(self.date_debut):
                raise ValidationError({"date_fin": "Une convention dure au plus trois ans (art. D5134-147 du code du travail)."})
        if self.derogation_residence and not self.motif_derogation.strip():
            raise ValidationError({"motif_derogation": "Indiquez le motif de la dérogation de résidence."})


class TypeAvenant(models.TextChoices):
    HEURES = "heures", "Modification de la durée hebdomadaire de travail"
    TITULAIRE = "titulaire", "Changement de titulaire du poste"


class AvenantQuerySet(ScopedQuerySet):
    scope_departement = "convention__poste__departement"
    scope_employeur = "convention__poste__employeur"


class Avenant(models.Model):
    """A signed amendment of a convention: new weekly hours from a date, or a new titulaire on the
    post (the post and the convention stay). Created by postes/services/conventions.py."""

    convention = models.ForeignKey(Convention, verbose_name="convention", on_delete=models.PROTECT, related_name="avenants")
    numero = models.PositiveSmallIntegerField("numéro d’avenant")
    type = models.CharField("objet", max_length=20, choices=TypeAvenant.choices)
    date_effet = models.DateField("date d’effet")
    date_signature = models.DateField("date de signature")
    description = models.TextField("description", blank=True)
    heures_avant = models.DecimalField("heures hebdomadaires avant", max_digits=4, decimal_places=2, null=True, blank=True)
    heures_apres = models.DecimalField(
        "heures hebdomadaires après",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=heures_validators,
    )
    affectation = models.OneToOneField(
        "Affectation",
        verbose_name="nouvelle affectation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="avenant",
    )
    cree_par = models.ForeignKey(
        "comptes.Utilisateur", verbose_name="saisi par", on_delete=models.SET_NULL, null=True, blank=True
    )
    cree_le = models.DateTimeField("saisi le", auto_now_add=True)

    objects = AvenantQuerySet.as_manager()

    class Meta:
        verbose_name = "avenant"
        verbose_name_plural = "avenants"
        ordering = ["convention", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "numero"],
                name="avenant_numero_unique_par_convention",
                violation_error_message="Cette convention a déjà un avenant portant ce numéro.",
            ),
            models.CheckConstraint(
                condition=Q(type__in=TypeAvenant.values),
                name="avenant_type_connu",
                violation_error_message="Choisissez l’objet de l’avenant dans la liste.",
            ),
            models.CheckConstraint(
                condition=~Q(type="heures")
                | (
                    Q(heures_avant__isnull=False, heures_apres__isnull=False)
                    & ~Q(heures_avant=F("heures_apres"))
                    & Q(heures_apres__gte=HEURES_MIN, heures_apres__lte=HEURES_MAX)
                ),
                name="avenant_heures_renseignees",
                violation_error_message="Un avenant sur les heures indique les heures avant et après, différentes, les nouvelles entre 17,5 et 35 heures.",
            ),
            models.CheckConstraint(
                condition=~Q(type="titulaire") | Q(affectation__isnull=False),
                name="avenant_titulaire_affectation",
                violation_error_message="Un avenant de changement de titulaire doit être rattaché à la nouvelle affectation.",
            ),
            models.UniqueConstraint(
                fields=["convention", "date_effet"],
                condition=Q(type="heures"),
                name="avenant_heures_une_date_effet",
                violation_error_message="Un autre avenant change déjà les heures de cette convention à cette date d’effet.",
            ),
        ]

    def __str__(self):
        return f"Avenant n° {self.numero} à la convention {self.convention.numero}"


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
    qpv_choisi_a_la_main = models.BooleanField(
        "quartier choisi à la main",
        default=False,
        help_text="Le quartier de résidence a été choisi par l’agent, avec une justification, et non localisé depuis l’adresse.",
    )
    situation_avant_embauche = models.CharField(
        "situation avant l’embauche", max_length=20, choices=SituationAvantEmbauche.choices
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    anonymise_le = models.DateTimeField("anonymisé le", null=True, blank=True)

    objects = TitulaireQuerySet.as_manager()

    class Meta:
        verbose_name = "titulaire"
        verbose_name_plural = "titulaires"
        ordering = ["nom", "prenom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(situation_avant_embauche__in=SituationAvantEmbauche.values),
                name="titulaire_situation_connue",
                violation_error_message="Choisissez la situation de la personne avant l’embauche dans la liste.",
            ),
            models.CheckConstraint(
                condition=Q(qpv_choisi_a_la_main=False) | Q(qpv_residence__isnull=False),
                name="titulaire_qpv_choisi_a_la_main_renseigne",
                violation_error_message="Un quartier choisi à la main doit être indiqué.",
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
    titulaire = models.ForeignKey(Titulaire, verbose_name="titulaire", on_delete=models.PROTECT, related_name="affectations")
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
        # Indexes of the list filters and sorts (query budget, issue 7).
        indexes = [
            models.Index(fields=["poste", "-date_debut"], name="affectation_poste_debut_idx"),
            models.Index(fields=["date_fin"], name="affectation_fin_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=F("date_debut")),
                name="affectation_dates_ordonnees",
                violation_error_message="La date de fin de l’affectation doit suivre sa date de début.",
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


def sans_brouillons_pour_la_prefecture(queryset, user, statut: str):
    """The one rule on drafts: a request in « brouillon » is its employer's alone; anyone else (agent,
    national administrator) reaches it, and its rows, once it has been filed. `statut` is the lookup
    leading to the request's status."""
    if user is not None and user.is_authenticated and not user.est_employeur:
        return queryset.exclude(**{statut: StatutDemande.BROUILLON})
    return queryset


HEURES_PAR_DEFAUT_DEMANDE = 35


class DemandeQuerySet(ScopedQuerySet):
    """A draft is the employer's until it is filed: agents and national administrators reach a
    request only once it has left the « brouillon » status."""

    def for_user(self, user):
        return sans_brouillons_pour_la_prefecture(super().for_user(user), user, "statut")

    def brouillons_vides(self):
        """Drafts in which nothing has been saved yet (every field as « Nouvelle demande » left it, no
        domain, no QPV, no attachment). Such a draft is not listed and is reused by the next
        « Nouvelle demande » of its structure: a draft exists from the first time something is saved
        in it."""
        return self.filter(
            statut=StatutDemande.BROUILLON,
            intitule="",
            projet="",
            missions="",
            cofinancements="",
            date_debut_souhaitee__isnull=True,
            budget_previsionnel__isnull=True,
            heures_hebdomadaires=HEURES_PAR_DEFAUT_DEMANDE,
            domaines__isnull=True,
            quartiers__isnull=True,
            pieces__isnull=True,
        )

    def sans_brouillons_vides(self):
        return self.exclude(pk__in=self.model.objects.brouillons_vides().values("pk"))


class Demande(models.Model):
    """An employer's request for a post. Its workflow lives in postes/services.py."""

    employeur = models.ForeignKey(
        "employeurs.Employeur", verbose_name="employeur", on_delete=models.PROTECT, related_name="demandes"
    )
    departement = models.ForeignKey(
        "quartiers.Departement", verbose_name="département", on_delete=models.PROTECT, related_name="demandes"
    )
    statut = models.CharField("statut", max_length=20, choices=StatutDemande.choices, default=StatutDemande.BROUILLON)
    intitule = models.CharField("intitulé du poste", max_length=255, blank=True)
    projet = models.TextField("nature du projet", blank=True)
    missions = models.TextField("missions", blank=True)
    domaines = models.ManyToManyField(DomaineMediation, verbose_name="domaines de médiation", blank=True)
    quartiers = models.ManyToManyField("quartiers.QuartierPrioritaire", verbose_name="quartiers d’intervention", blank=True)
    heures_hebdomadaires = models.DecimalField(
        "heures hebdomadaires", max_digits=4, decimal_places=2, default=HEURES_PAR_DEFAUT_DEMANDE, validators=heures_validators
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
    annee_enveloppe = models.PositiveSmallIntegerField(
        "année d’enveloppe",
        null=True,
        blank=True,
        help_text="Année de l’enveloppe départementale sur laquelle l’acceptation a réservé un poste.",
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
        # Indexes of the list filters and sorts (query budget, issue 7).
        indexes = [
            models.Index(fields=["departement", "statut", "-date_depot"], name="demande_dep_statut_depot_idx"),
            models.Index(fields=["-date_depot", "-id"], name="demande_depot_idx"),
            models.Index(fields=["employeur", "-modifie_le"], name="demande_employeur_modif_idx"),
            models.Index(fields=["instructeur", "statut"], name="demande_instructeur_idx"),
        ]
        constraints = [
            heures_constraint("demande_heures_entre_mi_temps_et_temps_plein", MESSAGE_HEURES),
            models.CheckConstraint(
                condition=Q(statut__in=StatutDemande.values),
                name="demande_statut_connu",
                violation_error_message="Choisissez un statut de demande de la liste.",
            ),
            models.CheckConstraint(
                condition=Q(budget_previsionnel__isnull=True) | Q(budget_previsionnel__gte=0),
                name="demande_budget_positif",
                violation_error_message="Le budget prévisionnel ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=~Q(statut="refusee") | ~Q(motif_decision=""),
                name="demande_refus_motive",
                violation_error_message="Un refus doit être motivé : indiquez le motif de la décision.",
            ),
            models.CheckConstraint(
                condition=Q(statut="brouillon") | Q(date_depot__isnull=False),
                name="demande_deposee_datee",
                violation_error_message="Une demande déposée doit avoir une date de dépôt.",
            ),
            models.CheckConstraint(
                condition=~Q(statut__in=list(DECISIONS)) | Q(date_decision__isnull=False),
                name="demande_decision_datee",
                violation_error_message="Une demande acceptée, refusée ou classée sans suite doit avoir une date de décision.",
            ),
            models.CheckConstraint(
                condition=~Q(statut="acceptee") | Q(poste__isnull=False),
                name="demande_acceptee_cree_un_poste",
                violation_error_message="Une demande acceptée doit être rattachée au poste qu’elle a créé.",
            ),
        ]

    def __str__(self):
        return f"Demande n° {self.pk} – {self.employeur}"

    @property
    def numero(self):
        return f"{self.pk:05d}" if self.pk else "—"

    @property
    def modifiable_par_l_employeur(self):
        return self.statut in MODIFIABLES_PAR_L_EMPLOYEUR

    @property
    def decidee(self):
        return self.statut in DECISIONS


class RegleAgeMinimum(models.Model):
    """Minimum age of the person hired, for contracts signed from a date (art. L5134-102 of the code
    du travail). Dated data, amended by national administrators: a change of the law adds a row;
    earlier rows keep applying to contracts signed earlier."""

    date_effet = models.DateField(
        "contrats signés à partir du",
        unique=True,
        error_messages={
            "unique": "Une règle d’âge s’applique déjà à partir de cette date : modifiez-la plutôt que d’en créer une seconde."
        },
    )
    age_minimum = models.PositiveSmallIntegerField("âge minimum (ans)")
    reference = models.CharField("texte de référence", max_length=255)

    class Meta:
        verbose_name = "règle d’âge minimum"
        verbose_name_plural = "règles d’âge minimum"
        ordering = ["date_effet"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_minimum__gte=16, age_minimum__lte=70),
                name="regle_age_minimum_plausible",
                violation_error_message="L’âge minimum doit être compris entre 16 et 70 ans.",
            ),
        ]

    def __str__(self):
        return f"{self.age_minimum} ans pour les contrats signés à partir du {self.date_effet:%d/%m/%Y}"


class DiagnosticQuerySet(ScopedQuerySet):
    scope_departement = "affectation__poste__departement"
    scope_employeur = "affectation__poste__employeur"

    def update(self, **kwargs):
        raise TypeError("Un diagnostic d’éligibilité ne se modifie pas : faites une nouvelle vérification.")


class DiagnosticEligibilite(models.Model):
    """One eligibility check of the person holding an affectation: the inputs, the rules applied and
    the result per criterion, its author and its time. Never edited: a new check is a new row."""

    affectation = models.ForeignKey(Affectation, verbose_name="affectation", on_delete=models.PROTECT, related_name="diagnostics")
    date_contrat = models.DateField("date de signature du contrat retenue")
    eligible = models.BooleanField("éligible")
    entrees = models.JSONField("données examinées")
    criteres = models.JSONField(
        "résultat par critère",
        help_text="Le résultat de chaque critère (âge, situation, résidence, employeur), avec son motif et son article.",
    )
    version_regles = models.CharField("règles appliquées", max_length=255)
    qpv = models.ForeignKey(
        "quartiers.QuartierPrioritaire",
        verbose_name="quartier de résidence retenu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="diagnostics",
    )
    auteur = models.ForeignKey("comptes.Utilisateur", verbose_name="auteur", on_delete=models.PROTECT, related_name="diagnostics")
    cree_le = models.DateTimeField("réalisé le", auto_now_add=True)

    objects = DiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = "diagnostic d’éligibilité"
        verbose_name_plural = "diagnostics d’éligibilité"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"Diagnostic du {timezone.localtime(self.cree_le):%d/%m/%Y} – {self.affectation}"

    @property
    def date_naissance(self) -> date:
        return date.fromisoformat(self.entrees["date_naissance"])

    @property
    def libelle_situation(self) -> str:
        return SituationAvantEmbauche(self.entrees["situation"]).label

    @property
    def liste_criteres(self):
        from postes.eligibilite import Critere

        return [Critere(**c) for c in self.criteres]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Un diagnostic d’éligibilité ne se modifie pas : faites une nouvelle vérification.")
        super().save(*args, **kwargs)


class TypeEvenement(models.TextChoices):
    DEPOT = "depot", "Demande déposée"
    NOUVEAU_DEPOT = "nouveau_depot", "Demande complétée et déposée à nouveau"
    PRISE_EN_INSTRUCTION = "prise_en_instruction", "Instruction commencée"
    AFFECTATION = "affectation", "Instructeur désigné"
    DEMANDE_COMPLEMENTS = "demande_complements", "Compléments demandés à l’employeur"
    REPRISE_INSTRUCTION = "reprise_instruction", "Instruction reprise"
    ACCEPTATION = "acceptation", "Demande acceptée"
    REFUS = "refus", "Demande refusée"
    CLASSEMENT = "classement", "Demande classée sans suite"


# Events an employer does not see on their request (internal organisation of the prefecture).
EVENEMENTS_INTERNES = frozenset({TypeEvenement.AFFECTATION})


class ParDemandeQuerySet(ScopedQuerySet):
    """Rows reached through their request: the request's département and employer decide, and a
    draft's rows stay the employer's (same rule as `DemandeQuerySet.for_user`)."""

    scope_departement = "demande__departement"
    scope_employeur = "demande__employeur"

    def for_user(self, user):
        return sans_brouillons_pour_la_prefecture(super().for_user(user), user, "demande__statut")


class EvenementDemande(models.Model):
    """A step of a request's workflow: who did it, when, and the message that went with it."""

    demande = models.ForeignKey(Demande, verbose_name="demande", on_delete=models.CASCADE, related_name="evenements")
    type = models.CharField("type", max_length=30, choices=TypeEvenement.choices)
    statut_avant = models.CharField("statut avant", max_length=20, choices=StatutDemande.choices, blank=True)
    statut_apres = models.CharField("statut après", max_length=20, choices=StatutDemande.choices, blank=True)
    auteur = models.ForeignKey(
        "comptes.Utilisateur", verbose_name="auteur", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateTimeField("date", default=timezone.now)
    message = models.TextField("message", blank=True)

    objects = ParDemandeQuerySet.as_manager()

    class Meta:
        verbose_name = "événement d’une demande"
        verbose_name_plural = "événements des demandes"
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=TypeEvenement.values),
                name="evenement_demande_type_connu",
                violation_error_message="Choisissez un type d’événement de la liste.",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} le {timezone.localtime(self.date):%d/%m/%Y}"

    @property
    def visible_par_l_employeur(self):
        return self.type not in EVENEMENTS_INTERNES


class NoteInstructionQuerySet(ParDemandeQuerySet):
    scope_employeur = None  # private to the prefecture: employers never see notes


class NoteInstruction(models.Model):
    """A private note of the instructors on a request (never shown to the employer)."""

    demande = models.ForeignKey(Demande, verbose_name="demande", on_delete=models.CASCADE, related_name="notes")
    auteur = models.ForeignKey(
        "comptes.Utilisateur", verbose_name="auteur", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    texte = models.TextField("note")
    cree_le = models.DateTimeField("écrite le", default=timezone.now)

    objects = NoteInstructionQuerySet.as_manager()

    class Meta:
        verbose_name = "note d’instruction"
        verbose_name_plural = "notes d’instruction"
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(texte=""),
                name="note_instruction_non_vide",
                violation_error_message="Une note d’instruction ne peut pas être vide.",
            )
        ]

    def __str__(self):
        return f"Note du {timezone.localtime(self.cree_le):%d/%m/%Y}"


class TypeContenu(models.TextChoices):
    PDF = "application/pdf", "PDF"
    PNG = "image/png", "Image PNG"
    JPEG = "image/jpeg", "Image JPEG"


def chemin_piece(instance, filename):
    """Random storage name (see commun/televersement.py): the user's file name is kept in the row only."""
    from commun.televersement import chemin_aleatoire

    return chemin_aleatoire("demandes", instance.type_contenu)


class PieceJointe(models.Model):
    """A document attached to a request, checked by its content, stored under a random name."""

    demande = models.ForeignKey(Demande, verbose_name="demande", on_delete=models.CASCADE, related_name="pieces")
    type_piece = models.CharField("type de pièce", max_length=30, choices=TypePiece.choices)
    fichier = models.FileField("fichier", upload_to=chemin_piece, max_length=255)
    nom_original = models.CharField("nom du fichier déposé", max_length=255)
    type_contenu = models.CharField("format", max_length=30, choices=TypeContenu.choices)
    taille = models.PositiveIntegerField("taille (octets)")
    depose_par = models.ForeignKey(
        "comptes.Utilisateur", verbose_name="déposé par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    depose_le = models.DateTimeField("déposé le", default=timezone.now)

    objects = ParDemandeQuerySet.as_manager()

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["type_piece", "depose_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type_piece__in=TypePiece.values),
                name="piece_jointe_type_connu",
                violation_error_message="Choisissez un type de pièce de la liste.",
            ),
            models.CheckConstraint(
                condition=Q(type_contenu__in=TypeContenu.values),
                name="piece_jointe_format_accepte",
                violation_error_message="Une pièce jointe doit être un PDF, une image PNG ou une image JPEG.",
            ),
            models.CheckConstraint(
                condition=Q(taille__gt=0),
                name="piece_jointe_non_vide",
                violation_error_message="Une pièce jointe ne peut pas être un fichier vide.",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_piece_display()} – {self.nom_original}"
