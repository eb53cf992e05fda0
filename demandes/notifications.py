"""E-mails to the employer's members about their request: acknowledgement of filing, request for
completion, decision. Texts are templates under templates/demandes/courriels/. Written to the outbox
(commun/courriels.py) inside the transaction of the workflow service (see demandes/services.py): sent
by the worker once it is committed, never when it rolls back."""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from commun.courriels import mettre_en_file

logger = logging.getLogger(__name__)


def destinataires(employeur) -> list[str]:
    """The active members of the structure; its contact address when it has no member yet."""
    adresses = list(employeur.membres.filter(is_active=True).order_by("email").values_list("email", flat=True))
    if not adresses and employeur.courriel:
        adresses = [employeur.courriel]
    return adresses


def lien_absolu(chemin: str) -> str:
    return settings.URL_SITE.rstrip("/") + chemin


def envoyer(gabarit: str, demande, **contexte) -> int:
    """Render templates/demandes/courriels/<gabarit>_sujet.txt and <gabarit>.txt and put them in the
    outbox; return the number of recipients."""
    adresses = destinataires(demande.employeur)
    if not adresses:
        logger.warning("Demande %s : aucun destinataire pour le courriel « %s ».", demande.pk, gabarit)
        return 0
    contexte = {"demande": demande, "lien": lien_absolu(reverse("demandes:detail", args=[demande.pk])), **contexte}
    sujet = " ".join(render_to_string(f"demandes/courriels/{gabarit}_sujet.txt", contexte).split())
    corps = render_to_string(f"demandes/courriels/{gabarit}.txt", contexte)
    mettre_en_file(adresses, sujet, corps)
    return len(adresses)


def notifier_depot(demande, nouveau_depot: bool) -> int:
    return envoyer("depot", demande, nouveau_depot=nouveau_depot)


def notifier_complements(demande, message: str) -> int:
    return envoyer("complements", demande, message=message)


def notifier_decision(demande) -> int:
    return envoyer("decision", demande)
