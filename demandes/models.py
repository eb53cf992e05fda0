from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from commun.televersement import chemin_aleatoire
from comptes.scopes import ScopedQuerySet
from demandes.regles import DECISIONS, MODIFIABLES_PAR_L_EMPLOYEUR, StatutDemande, TypePiece
from postes.models import MESSAGE_HEURES, DomaineMediation, Poste, heures_constraint, heures_validators


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
    """An employer's request for a post. Its workflow lives in demandes/services.py."""

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
                condition=~Q(statut=StatutDemande.REFUSEE) | ~Q(motif_decision=""),
                name="demande_refus_motive",
                violation_error_message="Un refus doit être motivé : indiquez le motif de la décision.",
            ),
            models.CheckConstraint(
                condition=Q(statut=StatutDemande.BROUILLON) | Q(date_depot__isnull=False),
                name="demande_deposee_datee",
                violation_error_message="Une demande déposée doit avoir une date de dépôt.",
            ),
            models.CheckConstraint(
                condition=~Q(statut__in=list(DECISIONS)) | Q(date_decision__isnull=False),
                name="demande_decision_datee",
                violation_error_message="Une demande acceptée, refusée ou classée sans suite doit avoir une date de décision.",
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutDemande.ACCEPTEE) | Q(poste__isnull=False),
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

    # The questions the templates ask of a request (they never compare a status to a string).
    @property
    def est_un_brouillon(self) -> bool:
        return self.statut == StatutDemande.BROUILLON

    @property
    def est_a_completer(self) -> bool:
        return self.statut == StatutDemande.A_COMPLETER

    @property
    def est_acceptee(self) -> bool:
        return self.statut == StatutDemande.ACCEPTEE

    @property
    def est_refusee(self) -> bool:
        return self.statut == StatutDemande.REFUSEE


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
