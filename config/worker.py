"""Warm-up of the procrastinate worker, before it takes its first job (issue 22: the first PDF of a
process, 1.8 s of fonts to load, is paid at the start of a process, never by a job a person waits
for). manage.py marks the process running `procrastinate worker` « worker », and config/settings.py
then names `prechauffer_le_worker` as procrastinate's PROCRASTINATE_ON_APP_READY: procrastinate calls
it once its Django application is ready, before the command starts the worker.

Only the WeasyPrint step of config/prechauffage.py (the same function): the worker serves no page.
The WeasyPrint resources are shared by the threads of the process (conventions/pdf.py), so the
threads in which procrastinate runs the synchronous jobs find them loaded."""

import logging
import time

from conventions.pdf import prechauffer_weasyprint

logger = logging.getLogger(__name__)


def prechauffer_le_worker(app) -> float | None:
    """Returns the duration in seconds (None: not done, logged; the worker starts all the same)."""
    debut = time.perf_counter()
    try:
        prechauffer_weasyprint()
    except Exception as erreur:  # a worker must start even if the warm-up cannot be done
        logger.warning("Préchauffage du worker non fait (%s : %s).", erreur.__class__.__name__, erreur)
        return None
    duree = time.perf_counter() - debut
    logger.info("Préchauffage du worker (WeasyPrint, polices) terminé en %.2f s.", duree)
    return duree
