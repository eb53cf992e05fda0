import uuid
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Func, Q
from simple_history.models import HistoricalRecords

from commun.dates import ajouter_annees
from commun.titres import titre_dans_une_phrase, titre_en_debut_de_ligne
from comptes.scopes import ScopedQuerySet
from conventions.regles import (  # the statuses' vocabulary lives with their rules
    PREAVIS_EMPLOYEUR_MOIS,
    STATUTS_DATES_DE_SIGNATURE,
    STATUTS_SIGNES,
    MotifResiliation,
    StatutConvention,
)
from financements.regles import HEURES_MINIMUM as HEURES_MIN
from financements.regles import HEURES_TEMPS_PLEIN as HEURES_MAX
from postes.models import MESSAGE_HEURES, Poste, heures_constraint, heures_validators

# A convention number is written into file names (PDF, ZIP entries) and headers: letters, digits,
# `-` and `_` only, starting with a letter or a digit (no space, line break, `/`, `.` or quote).
FORMAT_NUMERO_CONVENTION = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$"
MESSAGE_NUMERO_CONVENTION = (
    "lettres sans accent, chiffres, « - » et « _ » seulement, 30 caractères au plus, en commençant par une "
    "lettre ou un chiffre (exemple : 09324R000101-1)."
)
DUREE_MAX_CONVENTION_ANS = 3  # D5134-147


def fin_maximale_convention(debut: date) -> date:
    """Last day allowed for a convention starting on `debut`: three years minus one day (D5134-147)."""
    return ajouter_annees(debut, DUREE_MAX_CONVENTION_ANS) - timedelta(days=1)


class RangConvention(models.TextChoices):
    INITIALE = "initiale", "Convention initiale"
    RENOUVELLEMENT = "renouvellement", "Renouvellement"


class ConventionQuerySet(ScopedQuerySet):
    scope_departement = "poste__departement"
    scope_employeur = "poste__employeur"


class PlusAnnees(Func):
    """SQL: (date + N years - 1 day)::date, to bound a convention to three years in a constraint."""

    template = "((%(expressions)s + interval '%(annees)s years' - interval '1 day')::date)"
    output_field = models.DateField()


class PlusMois(Func):
    """SQL: (date + N months)::date (end of a shorter month when the day does not exist, like
    `financements.regles.ajouter_mois`)."""

    template = "((%(expressions)s + interval '%(mois)s months')::date)"
    output_field = models.DateField()


def chemin_pdf_convention(convention, nom_fichier):
    """Stored signed PDFs: conventions/<département>/<numéro>.pdf in the default storage (local disk or
    private S3 bucket, commun/stockage.py), never served directly."""
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
                condition=~Q(statut=StatutConvention.RESILIEE) | (Q(date_resiliation__isnull=False) & ~Q(motif_resiliation="")),
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
                condition=~Q(motif_resiliation=MotifResiliation.INITIATIVE_EMPLOYEUR)
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

    # The questions the templates ask of a convention (they never compare a status to a string).
    @property
    def est_un_projet(self) -> bool:
        return self.statut == StatutConvention.PROJET

    @property
    def est_resiliee(self) -> bool:
        return self.statut == StatutConvention.RESILIEE

    @property
    def est_un_renouvellement(self) -> bool:
        return self.rang == RangConvention.RENOUVELLEMENT

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
    post (the post and the convention stay). Created by conventions/services/cycle.py."""

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
        "titulaires.Affectation",
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
                condition=~Q(type=TypeAvenant.HEURES)
                | (
                    Q(heures_avant__isnull=False, heures_apres__isnull=False)
                    & ~Q(heures_avant=F("heures_apres"))
                    & Q(heures_apres__gte=HEURES_MIN, heures_apres__lte=HEURES_MAX)
                ),
                name="avenant_heures_renseignees",
                violation_error_message="Un avenant sur les heures indique les heures avant et après, différentes, les nouvelles entre 17,5 et 35 heures.",
            ),
            models.CheckConstraint(
                condition=~Q(type=TypeAvenant.TITULAIRE) | Q(affectation__isnull=False),
                name="avenant_titulaire_affectation",
                violation_error_message="Un avenant de changement de titulaire doit être rattaché à la nouvelle affectation.",
            ),
            models.UniqueConstraint(
                fields=["convention", "date_effet"],
                condition=Q(type=TypeAvenant.HEURES),
                name="avenant_heures_une_date_effet",
                violation_error_message="Un autre avenant change déjà les heures de cette convention à cette date d’effet.",
            ),
        ]

    def __str__(self):
        return f"Avenant n° {self.numero} à la convention {self.convention.numero}"

    @property
    def porte_sur_les_heures(self) -> bool:
        return self.type == TypeAvenant.HEURES


def renouvellements_dans_la_chaine(convention: Convention) -> int:
    """How many renewals lead to `convention` (0 for an initial convention never renewed)."""
    nombre, courante = 0, convention
    while courante is not None and courante.rang == RangConvention.RENOUVELLEMENT:
        nombre += 1
        courante = courante.precedente
    return nombre


class StatutArchive(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    PRETE = "prete", "Prête"
    ECHEC = "echec", "Échec"


STATUTS_ARCHIVE_TERMINES = frozenset({StatutArchive.PRETE, StatutArchive.ECHEC})


class ArchiveConventions(models.Model):
    """A ZIP of the PDFs of a filtered convention list, built by the worker (conventions/taches.py).
    The filters are kept as the list's query string and applied again, by the worker, to the
    requester's scope; the conventions put in the archive are recorded so that the download checks
    that each is still in that person's scope."""

    demandeur = models.ForeignKey(
        "comptes.Utilisateur", verbose_name="demandeur", on_delete=models.CASCADE, related_name="archives_conventions"
    )
    demandee_le = models.DateTimeField("demandée le", auto_now_add=True)
    filtres = models.TextField("filtres (paramètres de la liste)", blank=True)
    statut = models.CharField("statut", max_length=10, choices=StatutArchive.choices, default=StatutArchive.EN_ATTENTE)
    faites = models.PositiveIntegerField("conventions traitées", default=0)
    total = models.PositiveIntegerField("conventions à traiter", default=0)
    conventions = models.JSONField("conventions de l’archive", default=list, blank=True)
    jeton = models.UUIDField("jeton (nom du fichier)", default=uuid.uuid4, unique=True, editable=False)
    fichier = models.CharField("fichier (stockage)", max_length=200, blank=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    message_echec = models.TextField("message d’échec", blank=True)
    terminee_le = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        verbose_name = "archive de conventions"
        verbose_name_plural = "archives de conventions"
        indexes = [models.Index(fields=["demandee_le"], name="archive_conventions_demandee")]
        constraints = [
            models.CheckConstraint(
                condition=Q(faites__lte=F("total")),
                name="archive_conventions_faites_au_plus_total",
                violation_error_message="Une archive ne peut compter plus de conventions traitées que de conventions à traiter.",
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutArchive.PRETE)
                | (~Q(fichier="") & Q(sha256__regex=r"^[0-9a-f]{64}$") & Q(terminee_le__isnull=False)),
                name="archive_conventions_prete_fichier_empreinte",
                violation_error_message="Une archive prête a son fichier, son empreinte SHA-256 et sa date de fin.",
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutArchive.ECHEC) | (~Q(message_echec="") & Q(terminee_le__isnull=False)),
                name="archive_conventions_echec_message",
                violation_error_message="Une archive en échec dit pourquoi et a sa date de fin.",
            ),
        ]

    def __str__(self):
        return f"Archive de conventions n° {self.pk} ({self.get_statut_display().lower()})"

    @property
    def terminee(self) -> bool:
        return self.statut in STATUTS_ARCHIVE_TERMINES

    @property
    def prete(self) -> bool:
        return self.statut == StatutArchive.PRETE

    @property
    def en_echec(self) -> bool:
        return self.statut == StatutArchive.ECHEC
