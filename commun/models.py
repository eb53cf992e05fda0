from django.contrib.postgres.fields import ArrayField
from django.db import models
from procrastinate.contrib.django.models import ProcrastinateJob


class StatutCourriel(models.TextChoices):
    A_ENVOYER = "a_envoyer", "À envoyer"
    ENVOYE = "envoye", "Envoyé"
    ECHEC = "echec", "Échec"


class Courriel(models.Model):
    """One message of the outbox (commun/courriels.py): written with its job in the transaction of
    the action that causes it, sent by the worker. Holds the message itself and nothing more."""

    destinataires = ArrayField(models.EmailField(), verbose_name="destinataires")
    sujet = models.CharField("sujet", max_length=998)
    corps = models.TextField("corps")
    statut = models.CharField("statut", max_length=10, choices=StatutCourriel.choices, default=StatutCourriel.A_ENVOYER)
    tentatives = models.PositiveIntegerField("tentatives", default=0)
    derniere_erreur = models.TextField("dernière erreur", blank=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "courriel"
        verbose_name_plural = "courriels"
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["statut", "cree_le"], name="courriel_statut_cree_le")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(statut=StatutCourriel.ENVOYE, envoye_le__isnull=False)
                | (~models.Q(statut=StatutCourriel.ENVOYE) & models.Q(envoye_le__isnull=True)),
                name="courriel_envoye_date_envoi",
                violation_error_message="Un courriel envoyé porte sa date d’envoi, et un courriel non envoyé n’en a pas.",
            ),
            models.CheckConstraint(
                condition=models.Q(destinataires__len__gt=0),
                name="courriel_au_moins_un_destinataire",
                violation_error_message="Un courriel doit avoir au moins un destinataire.",
            ),
        ]

    def __str__(self):
        return f"{self.sujet} ({self.get_statut_display().lower()})"


class TacheDeFond(ProcrastinateJob):
    """procrastinate's job row (table `procrastinate_jobs`, read-only) under a French name, for the
    administration's pages of the queue (commun/admin.py); no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "tâche de fond"
        verbose_name_plural = "tâches de fond"
