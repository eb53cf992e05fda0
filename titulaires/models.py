from datetime import date

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from comptes.scopes import ScopedQuerySet
from postes.models import Poste
from quartiers.residence import Mode
from titulaires.regles import Critere, SituationAvantEmbauche


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
    type_contrat = models.CharField("type de contrat", max_length=3, choices=TypeContrat.choices, default=TypeContrat.CDI)

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
    def residence_choisie_a_la_main(self) -> bool:
        return (self.entrees.get("residence") or {}).get("mode") == Mode.QPV

    @property
    def liste_criteres(self):
        return [Critere(**c) for c in self.criteres]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Un diagnostic d’éligibilité ne se modifie pas : faites une nouvelle vérification.")
        super().save(*args, **kwargs)
