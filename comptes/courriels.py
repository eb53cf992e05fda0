"""Sending e-mail outside the request, so that how long the SMTP exchange takes is not visible in the
answer (password reset: known and unknown addresses must look alike)."""

import logging
import threading
import time

logger = logging.getLogger(__name__)

PREFIXE_FIL = "envoi-courriel"


def _envoyer(message, reel):
    # Leave the processor to the request first: its answer must not wait for this thread's work.
    time.sleep(0.05)
    if not reel:
        return
    try:
        message.send()
    except Exception:  # the user already has their answer: log, never raise
        logger.exception("Échec de l’envoi d’un courriel à %s", ", ".join(message.to))


def envoyer_en_arriere_plan(message, *, reel: bool = True) -> threading.Thread:
    """Sends `message` from a thread of its own. With `reel=False` the thread is started all the
    same and sends nothing: a request that must not be told apart costs the same."""
    fil = threading.Thread(target=_envoyer, args=(message, reel), name=f"{PREFIXE_FIL}-{id(message)}")
    fil.start()
    return fil


def attendre_les_envois(delai: float = 10.0) -> None:
    """Wait for the messages being sent (tests, and a clean shutdown of a management command)."""
    for fil in threading.enumerate():
        if fil.name.startswith(PREFIXE_FIL):
            fil.join(delai)
