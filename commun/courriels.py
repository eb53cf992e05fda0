"""The e-mail outbox (README « Tâches de fond », « Courriels »). Every e-mail of the service goes
through `mettre_en_file()`: a `Courriel` row and its job are written in the transaction of the action
that causes the message, so a rolled-back action sends nothing and a process that dies loses nothing.

The worker's job `envoyer_courriel` sends the row under its row lock (`SELECT … FOR UPDATE`) and marks
it « envoyé » in the same transaction: a second run of the job (two workers, or a worker killed
between the commit and procrastinate's acknowledgement, then the job retried) finds the row sent and
sends nothing. Guarantee: at least once to the SMTP server, once per row; a message is sent twice
only if the worker dies after the SMTP server accepted it and before that commit (a few
milliseconds), and then both copies carry the same Message-ID, which mail clients deduplicate.

A failed attempt is recorded (attempts, last error) and retried with a growing delay
(`commun.taches.delai_avant_relance`) for COURRIELS_RELANCE_HEURES hours; then the row is « échec »
and listed for the national administrator (admin « Courriels », filter « Échec »)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django import app

from commun.models import Courriel, StatutCourriel
from commun.taches import RelanceCroissante

logger = logging.getLogger(__name__)

DOMAINE_MESSAGE_ID = "adultes-relais.gouv.fr"


class EchecEnvoi(Exception):
    """The SMTP server refused or could not be reached: the job is retried later."""


def mettre_en_file(destinataires: list[str], sujet: str, corps: str) -> Courriel:
    """Write the message and its job in the current transaction (one is opened if none is)."""
    with transaction.atomic():
        courriel = Courriel.objects.create(destinataires=list(destinataires), sujet=sujet, corps=corps)
        envoyer_courriel.defer(courriel_id=courriel.pk)
    return courriel


class _Annulation(Exception):
    pass


def mettre_en_file_a_blanc(destinataires: list[str], sujet: str, corps: str) -> None:
    """The same statements as `mettre_en_file()`, in a savepoint rolled back: nothing is kept or sent.
    For the password reset of an unknown address, which must cost what a known one costs: the outer
    transaction still commits (the rolled-back rows gave it a transaction id, so its commit is
    flushed to disk as a real message's is)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                mettre_en_file(destinataires, sujet, corps)
                raise _Annulation
        except _Annulation:
            pass


def message_id(courriel: Courriel) -> str:
    return f"<courriel-{courriel.pk}@{DOMAINE_MESSAGE_ID}>"


def relance_terminee(courriel: Courriel, maintenant) -> bool:
    return maintenant >= courriel.cree_le + timedelta(hours=settings.COURRIELS_RELANCE_HEURES)


def envoyer(courriel_id: int) -> str:
    """Send the row once; return its status afterwards. Raises `EchecEnvoi` when it must be retried."""
    with transaction.atomic():
        courriel = Courriel.objects.select_for_update().filter(pk=courriel_id).first()
        if courriel is None or courriel.statut != StatutCourriel.A_ENVOYER:
            return courriel.statut if courriel else ""
        courriel.tentatives += 1
        message = EmailMessage(
            courriel.sujet, courriel.corps, None, courriel.destinataires, headers={"Message-ID": message_id(courriel)}
        )
        try:
            message.send()
        except Exception as erreur:  # SMTP refusal, unreachable server, timeout: all retried
            courriel.derniere_erreur = f"{type(erreur).__name__} : {erreur}"[:2000]
            if relance_terminee(courriel, timezone.now()):
                courriel.statut = StatutCourriel.ECHEC
                logger.error("Courriel %s abandonné après %s tentatives : %s", courriel.pk, courriel.tentatives, erreur)
        else:
            courriel.statut, courriel.envoye_le, courriel.derniere_erreur = StatutCourriel.ENVOYE, timezone.now(), ""
        courriel.save(update_fields=["statut", "tentatives", "derniere_erreur", "envoye_le"])
    if courriel.statut == StatutCourriel.A_ENVOYER:
        raise EchecEnvoi(f"Courriel {courriel.pk} non envoyé (tentative {courriel.tentatives}) : {courriel.derniere_erreur}")
    return courriel.statut


@app.task(queue="courriels", retry=RelanceCroissante(max_attempts=200), name="commun.envoyer_courriel")
def envoyer_courriel(courriel_id: int) -> str:
    return envoyer(courriel_id)
