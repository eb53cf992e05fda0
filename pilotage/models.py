from django.db import models


class JournalBudget(models.Model):
    """One row per write statement touching a département's conventions, affectations, avenants or
    posts, written by database triggers (migration 0006), whatever wrote it: a service, an import,
    a bulk insert, the admin. The dashboard's cache key of a département is (SUM(n), MAX(id)) of
    its rows: a commit always adds a row, so the sum changes, and ids are never reused, not even
    after a TRUNCATE. Rows are appended without touching a shared row, so writers never wait on
    each other; the daily `calculer_tableau_de_bord` merges them (`compacter_journal_budget`)."""

    id = models.BigAutoField(primary_key=True)
    departement = models.ForeignKey(
        "quartiers.Departement",
        verbose_name="département",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the (département, id) index below serves
    )
    n = models.PositiveIntegerField("écritures", default=1)

    class Meta:
        verbose_name = "écriture du journal budgétaire"
        verbose_name_plural = "journal budgétaire"
        indexes = [models.Index(fields=["departement", "id"], name="journal_budget_dep_idx")]
