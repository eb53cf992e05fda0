"""The post's own vocabulary. A post's status follows its conventions: `conventions.regles.statut_poste`
decides it (art. D5134-147: a post is funded while a convention is in force)."""

from django.db import models


class StatutPoste(models.TextChoices):
    """The one vocabulary of a post's statuses, decided by `statut_poste` from its conventions."""

    EN_ATTENTE = "en_attente", "En attente de convention"
    ACTIF = "actif", "Actif"
    FERME = "ferme", "Fermé"
