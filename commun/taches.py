"""The job queue's own upkeep (procrastinate, README « Tâches de fond »): the growing delay between
two attempts of a job, what a job that follows a row does on an error (retried, then « échec » on
the last attempt), the recovery of the jobs of a worker that died, the removal of old jobs.

A worker writes a heartbeat in `procrastinate_workers` every TACHES_BATTEMENT_S seconds. A job in
« doing » whose worker has been silent for TACHES_WORKER_MUET_S seconds (killed with `kill -9`,
machine lost) is put back in the queue by `relancer_les_taches_bloquees`, a periodic job that every
worker defers but that runs once a period (procrastinate's `procrastinate_periodic_defers` table);
the job then runs again, so every job body is written to have its effect once (see
`commun/courriels.py` for the e-mails)."""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)

RELANCE_PREMIER_DELAI_S = 30
RELANCE_DELAI_MAX_S = 60 * 60


def delai_avant_relance(tentatives: int) -> timedelta:
    """30 s after the first failure, then twice as long each time, one hour at most."""
    return timedelta(seconds=min(RELANCE_PREMIER_DELAI_S * 2**tentatives, RELANCE_DELAI_MAX_S))


class RelanceCroissante(BaseRetryStrategy):
    """Retry on any error, after `delai_avant_relance(attempts)`; `max_attempts` bounds the retries
    of a job that decides nothing by itself (an e-mail decides when it has failed for good)."""

    def __init__(self, max_attempts: int = 60):
        self.max_attempts = max_attempts

    def dernier_essai(self, job) -> bool:
        """Whether this run of `job` is its last: an error now is not retried."""
        return job.attempts >= self.max_attempts

    def get_retry_decision(self, *, exception, job):
        if self.dernier_essai(job):
            return None
        return RetryDecision(retry_in={"seconds": delai_avant_relance(job.attempts).total_seconds()})


@contextmanager
def reprise_ou_echec(dernier_essai: bool, *, reprise: Callable[[], object], echec: Callable[[Exception], object], journal: str):
    """The body of a job that follows a row (an import, an archive): on an unexpected error, `journal`
    and the traceback go to the log, then the row waits for the next attempt (`reprise()`) or, on the
    last one, says it failed (`echec(erreur)`, its French message); the error is raised again either
    way, so that the queue retries the job or records its failure."""
    try:
        yield
    except Exception as erreur:
        logger.exception(journal)
        if dernier_essai:
            echec(erreur)
        else:
            reprise()
        raise


@app.periodic(cron=settings.TACHES_REPRISE_CRON, periodic_id="relancer_les_taches_bloquees")
@app.task(queue="entretien", queueing_lock="relancer_les_taches_bloquees", pass_context=True)
async def relancer_les_taches_bloquees(context, timestamp):
    """Put back in the queue the jobs held by a worker that stopped sending its heartbeat."""
    gestion = context.app.job_manager
    bloquees = await gestion.get_stalled_jobs(seconds_since_heartbeat=settings.TACHES_WORKER_MUET_S)
    for tache in bloquees:
        logger.warning("Tâche %s (%s) reprise : son worker ne donne plus signe de vie.", tache.id, tache.task_name)
        await gestion.retry_job(tache)
    # Workers silent for good are then removed, so that /sante/ does not count them.
    await gestion.prune_stalled_workers(settings.TACHES_WORKER_MUET_S)


@app.periodic(cron="15 3 * * *", periodic_id="supprimer_les_anciennes_taches")
@app.task(queue="entretien", queueing_lock="supprimer_les_anciennes_taches", pass_context=True)
async def supprimer_les_anciennes_taches(context, timestamp):
    """Finished jobs are kept a week (to read what happened), failed ones too, then deleted."""
    await context.app.job_manager.delete_old_jobs(nb_hours=7 * 24, include_failed=True)
