from django.contrib import admin
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html_join
from procrastinate.contrib.django.models import ProcrastinateEvent, ProcrastinateJob
from procrastinate.jobs import Status

from commun.models import Courriel, TacheDeFond


class LectureSeuleAdmin(admin.ModelAdmin):
    """Pages to read, never to write: rows that the service alone writes (no addition, change nor
    deletion, for anyone)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def colonne(champ: str, description: str):
    """A column (and a read-only field) showing `champ` under a French title: a dependency's model
    has English field names."""

    @admin.display(description=description, ordering=champ)
    def afficher(self, objet):
        return getattr(objet, champ)

    return afficher


def filtre(champ: str, titre: str, classe=admin.DateFieldListFilter):
    """A list filter on `champ` under a French title, for `list_filter` (same reason as colonne)."""

    class Filtre(classe):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = titre

    return (champ, Filtre)


@admin.register(Courriel)
class CourrielAdmin(admin.ModelAdmin):
    """The outbox, for the national administrator: the filter « Échec » lists the messages given up
    after a day of attempts, with the last error (the admin is reserved to national administrators)."""

    list_display = ["sujet", "statut", "tentatives", "cree_le", "envoye_le"]
    list_filter = ["statut"]
    search_fields = ["sujet"]
    readonly_fields = ["destinataires", "sujet", "corps", "statut", "tentatives", "derniere_erreur", "cree_le", "envoye_le"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# procrastinate's own words (statuses of a job, types of its events), in French.
STATUTS_DES_TACHES = {
    Status.TODO.value: "À faire",
    Status.DOING.value: "En cours",
    Status.SUCCEEDED.value: "Réussie",
    Status.FAILED.value: "En échec",
    Status.CANCELLED.value: "Annulée",
    Status.ABORTED.value: "Interrompue",
}
EVENEMENTS_DES_TACHES = {
    "deferred": "mise en file",
    "started": "commencée",
    "deferred_for_retry": "remise en file pour un nouvel essai",
    "failed": "en échec",
    "succeeded": "réussie",
    "cancelled": "annulée",
    "abort_requested": "interruption demandée",
    "aborted": "interrompue",
    "scheduled": "programmée",
    "retried": "relancée à la main",
}


class FiltreStatutDeTache(admin.SimpleListFilter):
    title = "statut"
    parameter_name = "statut"

    def lookups(self, request, model_admin):
        return list(STATUTS_DES_TACHES.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class FiltreFileDeTache(admin.SimpleListFilter):
    title = "file"
    parameter_name = "file"

    def lookups(self, request, model_admin):
        files = ProcrastinateJob.objects.order_by("queue_name").values_list("queue_name", flat=True).distinct()
        return [(nom, nom) for nom in files]

    def queryset(self, request, queryset):
        return queryset.filter(queue_name=self.value()) if self.value() else queryset


@admin.register(TacheDeFond)
class TacheDeFondAdmin(LectureSeuleAdmin):
    """The worker's queue (README « Tâches de fond »), read only and in French, instead of
    procrastinate's English pages: nothing is changed here (a job is retried by the queue itself; an
    e-mail given up is in « Courriels »)."""

    list_display = ["numero", "tache", "statut", "file", "essais", "prevue_le", "dernier_evenement"]
    list_filter = [FiltreStatutDeTache, FiltreFileDeTache]
    search_fields = ["task_name"]
    fields = ["numero", "tache", "arguments", "statut", "file", "essais", "prevue_le", "historique"]
    readonly_fields = fields
    ordering = ["-id"]

    def get_queryset(self, request):
        evenements = ProcrastinateEvent.objects.order_by("at", "id")
        return super().get_queryset(request).prefetch_related(Prefetch("procrastinateevent_set", evenements))

    numero = colonne("id", "numéro")
    tache = colonne("task_name", "tâche")
    file = colonne("queue_name", "file")
    essais = colonne("attempts", "essais")
    prevue_le = colonne("scheduled_at", "prévue le")

    @admin.display(description="arguments")
    def arguments(self, tache):
        return ", ".join(f"{nom} = {valeur}" for nom, valeur in tache.args.items()) or "—"

    @admin.display(description="statut", ordering="status")
    def statut(self, tache):
        return STATUTS_DES_TACHES.get(tache.status, tache.status)

    @admin.display(description="dernier événement")
    def dernier_evenement(self, tache):
        evenements = list(tache.procrastinateevent_set.all())
        return self._evenement(evenements[-1]) if evenements else "—"

    @admin.display(description="historique")
    def historique(self, tache):
        evenements = list(tache.procrastinateevent_set.all())
        if not evenements:
            return "—"
        return format_html_join("", "<p>{}</p>", ((self._evenement(e),) for e in evenements))

    @staticmethod
    def _evenement(evenement):
        quand = timezone.localtime(evenement.at).strftime("%d/%m/%Y %H:%M:%S") if evenement.at else "date inconnue"
        return f"{EVENEMENTS_DES_TACHES.get(evenement.type, evenement.type).capitalize()} le {quand}"


# procrastinate's own pages are in English: ours replace them (procrastinate.contrib.django comes first
# in INSTALLED_APPS, so its admin module is already loaded).
if admin.site.is_registered(ProcrastinateJob):
    admin.site.unregister(ProcrastinateJob)
