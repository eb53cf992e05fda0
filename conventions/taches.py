"""The worker's jobs of the conventions (README « Tâches de fond », « Archive ZIP des conventions »):
the ZIP of a filtered list, and the removal of the archives older than a day."""

from django.db import transaction
from procrastinate.contrib.django import app

from commun.taches import RelanceCroissante
from conventions import archives
from conventions.models import ArchiveConventions

ARCHIVE_RELANCES = 3  # then the row is « échec » with its French message
RELANCES = RelanceCroissante(max_attempts=ARCHIVE_RELANCES)


@app.task(queue="archives", retry=RELANCES, pass_context=True, name="conventions.preparer_archive_conventions")
def preparer_archive_conventions(context, archive_id: int) -> str:
    return archives.preparer(archive_id, dernier_essai=RELANCES.dernier_essai(context.job))


def demander_archive(user, filtres: str) -> ArchiveConventions:
    """The row and its job, in one transaction: the worker builds the archive after the commit."""
    with transaction.atomic():
        archive = ArchiveConventions.objects.create(demandeur=user, filtres=filtres)
        preparer_archive_conventions.defer(archive_id=archive.pk)
    return archive


@app.periodic(cron="20 * * * *", periodic_id="supprimer_les_archives_anciennes")
@app.task(
    queue="entretien", queueing_lock="supprimer_les_archives_anciennes", name="conventions.supprimer_les_archives_anciennes"
)
def supprimer_les_archives_anciennes(timestamp: int) -> str:
    return f"{archives.supprimer_archives_anciennes()} archive(s) supprimée(s)"
