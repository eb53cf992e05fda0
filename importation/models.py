"""An import of posts asked for on the page (README « Importer des postes »): the uploaded file waits in
the storage, the worker reads and checks it (the preview, computed once), the person confirms, the
worker writes. The row follows those steps; the page shows it, refreshed, with a progress bar."""

from django.db import models
from django.db.models import F, Q

from comptes.models import Role


class StatutImport(models.TextChoices):
    EN_ATTENTE = "en_attente", "Vérification en attente"
    ANALYSE = "analyse", "Vérification en cours"
    APERCU = "apercu", "Aperçu prêt, à confirmer"
    CONFIRME = "confirme", "Écriture en attente"
    ECRITURE = "ecriture", "Écriture en cours"
    TERMINE = "termine", "Terminé"
    ECHEC = "echec", "Échec"


# The steps the worker has not finished: the page refreshes itself while the row is in one of them.
STATUTS_IMPORT_EN_TRAVAIL = frozenset(
    {StatutImport.EN_ATTENTE, StatutImport.ANALYSE, StatutImport.CONFIRME, StatutImport.ECRITURE}
)
STATUTS_IMPORT_FINIS = frozenset({StatutImport.TERMINE, StatutImport.ECHEC})


class ImportPostesQuerySet(models.QuerySet):
    def for_user(self, user):
        """An import is its uploader's alone (its file may hold rows of any département), and only while
        they may still import (an agent, or a national administrator)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if not (user.est_admin_national or user.role == Role.AGENT):
            return self.none()
        return self.filter(demandeur=user)


class ImportPostes(models.Model):
    demandeur = models.ForeignKey(
        "comptes.Utilisateur", verbose_name="demandeur", on_delete=models.CASCADE, related_name="imports_postes"
    )
    depose_le = models.DateTimeField("déposé le", auto_now_add=True)
    nom = models.CharField("nom du fichier", max_length=200)
    jeton = models.CharField("jeton (dossier du stockage)", max_length=64, unique=True, editable=False)
    statut = models.CharField("statut", max_length=10, choices=StatutImport.choices, default=StatutImport.EN_ATTENTE)
    etape = models.CharField("étape en cours", max_length=60, blank=True)
    faites = models.PositiveIntegerField("lignes traitées", default=0)
    total = models.PositiveIntegerField("lignes à traiter", default=0)
    partiel = models.BooleanField("importer les lignes valides", default=False)
    apercu = models.JSONField("aperçu (essai à blanc)", null=True, blank=True)
    resultat = models.JSONField("résultat de l’écriture", null=True, blank=True)
    message_echec = models.TextField("message d’échec", blank=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ImportPostesQuerySet.as_manager()

    class Meta:
        verbose_name = "import de postes"
        verbose_name_plural = "imports de postes"
        ordering = ["-depose_le"]
        indexes = [models.Index(fields=["depose_le"], name="import_postes_depose_le")]
        constraints = [
            models.CheckConstraint(
                condition=Q(faites__lte=F("total")),
                name="import_postes_faites_au_plus_total",
                violation_error_message="Un import ne peut compter plus de lignes traitées que de lignes à traiter.",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=[StatutImport.EN_ATTENTE, StatutImport.ANALYSE, StatutImport.ECHEC])
                | Q(apercu__isnull=False),
                name="import_postes_apercu_apres_verification",
                violation_error_message="Un import vérifié a son aperçu.",
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutImport.TERMINE) | (Q(resultat__isnull=False) & Q(termine_le__isnull=False)),
                name="import_postes_termine_resultat",
                violation_error_message="Un import terminé a son résultat et sa date de fin.",
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutImport.ECHEC) | (~Q(message_echec="") & Q(termine_le__isnull=False)),
                name="import_postes_echec_message",
                violation_error_message="Un import en échec dit pourquoi et a sa date de fin.",
            ),
        ]

    def __str__(self):
        return f"Import « {self.nom} » ({self.get_statut_display().lower()})"

    @property
    def en_travail(self) -> bool:
        return self.statut in STATUTS_IMPORT_EN_TRAVAIL

    @property
    def en_attente_de_confirmation(self) -> bool:
        return self.statut == StatutImport.APERCU

    @property
    def termine(self) -> bool:
        return self.statut == StatutImport.TERMINE

    @property
    def en_echec(self) -> bool:
        return self.statut == StatutImport.ECHEC

    @property
    def ecrit(self) -> bool:
        return self.termine and bool(self.resultat.get("ecrit"))

    @property
    def rapport_affiche(self) -> dict | None:
        """The report the page shows: the write's once done, else the preview."""
        return self.resultat if self.resultat is not None else self.apercu
