"""The worker's jobs of the import page (README « Importer des postes »): the preview, the write, and
the removal of the imports older than a day. The requests only write a row and defer its job, in one
transaction; the bodies are in importation/suivi.py."""

from django.db import transaction
from procrastinate.contrib.django import app

from commun.taches import RelanceCroissante
from importation import depot, suivi
from importation.models import ImportPostes, StatutImport

IMPORT_RELANCES = 3  # then the row is « échec » with its French message
RELANCES = RelanceCroissante(max_attempts=IMPORT_RELANCES)


@app.task(queue="imports", retry=RELANCES, pass_context=True, name="importation.analyser_import")
def analyser_import(context, import_id: int) -> str:
    return suivi.analyser(import_id, dernier_essai=RELANCES.dernier_essai(context.job))


@app.task(queue="imports", retry=RELANCES, pass_context=True, name="importation.ecrire_import")
def ecrire_import(context, import_id: int) -> str:
    return suivi.ecrire(import_id, dernier_essai=RELANCES.dernier_essai(context.job))


def demander_import(user, fichier) -> ImportPostes:
    """Keep the uploaded file, then the row and its job in one transaction (the worker reads the file
    after the commit)."""
    jeton = depot.deposer(user, fichier, fichier.name)
    with transaction.atomic():
        imp = ImportPostes.objects.create(demandeur=user, nom=fichier.name[:200], jeton=jeton)
        analyser_import.defer(import_id=imp.pk)
    return imp


def confirmer_import(imp: ImportPostes, partiel: bool) -> bool:
    """The person confirms the preview: False when it is not waiting for that any more (confirmed
    twice, in two tabs)."""
    with transaction.atomic():
        confirme = ImportPostes.objects.filter(pk=imp.pk, statut=StatutImport.APERCU).update(
            statut=StatutImport.CONFIRME, partiel=partiel, etape="", faites=0
        )
        if confirme:
            ecrire_import.defer(import_id=imp.pk)
    return bool(confirme)


@app.periodic(cron="25 * * * *", periodic_id="supprimer_les_imports_anciens")
@app.task(queue="entretien", queueing_lock="supprimer_les_imports_anciens", name="importation.supprimer_les_imports_anciens")
def supprimer_les_imports_anciens(timestamp: int) -> str:
    return f"{suivi.supprimer_imports_anciens()} import(s) supprimé(s)"
