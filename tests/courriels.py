"""The outbox in tests that start no worker (tests/commun/test_courriels_worker.py starts real ones)."""

from commun import courriels
from commun.models import Courriel, StatutCourriel


def envoyer_les_courriels_en_attente() -> int:
    """Run the worker's job body for every message waiting in the outbox, as the worker would."""
    en_attente = list(Courriel.objects.filter(statut=StatutCourriel.A_ENVOYER).order_by("pk").values_list("pk", flat=True))
    for pk in en_attente:
        courriels.envoyer(pk)
    return len(en_attente)
