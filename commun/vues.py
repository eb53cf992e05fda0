from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters.views import FilterView

from commun.exports import FORMATS, reponse_export

# Seconds between two fetches of a page's [data-suivi] zone by static/js/suivi.js (the pages that
# follow a job of the worker: an import of posts, a ZIP of conventions).
RAFRAICHIR_S = 2


class RoleRequisMixin(LoginRequiredMixin):
    """Restrict a view to some roles. Other signed-in users get a 404: the page does not exist for them."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles and not (request.user.role in self.roles or request.user.est_admin_national):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)


class ListeFiltreeView(LoginRequiredMixin, FilterView):
    """A list scoped with `for_user()`, filtered with django-filter, sorted and paginated."""

    paginate_by = 25
    model = None
    strict = False

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context["parametres_sans_page"] = params.urlencode()
        return context


def objet_ou_404(queryset, identifiant):
    """`get_object_or_404(queryset, pk=…)` for an identifier sent by the user (a form button's value):
    anything but a whole number answers 404 like an unknown one, never a 500."""
    try:
        pk = int(str(identifiant).strip())
    except (TypeError, ValueError):
        raise Http404("Objet introuvable.") from None
    return get_object_or_404(queryset, pk=pk)


def interdit():
    raise PermissionDenied


def role_requis(*roles, admin_national=True):
    """Function-view twin of RoleRequisMixin: anonymous users go to the sign-in page, other roles get a
    404. `admin_national=False` keeps national administrators out too (employer-only actions)."""

    def decorateur(vue):
        @wraps(vue)
        def enveloppe(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.role in roles or (admin_national and user.est_admin_national)):
                raise Http404("Page introuvable.")
            return vue(request, *args, **kwargs)

        return enveloppe

    return decorateur


def valeur_colonne(objet, acces):
    """The value of one export column: a callable, or a dotted attribute path (`employeur.siret`)."""
    if callable(acces):
        return acces(objet)
    for attribut in acces.split("."):
        if objet is None:
            return None
        objet = getattr(objet, attribut)
    return objet


class ExportListeMixin:
    """Adds `?format=csv` and `?format=xlsx` to a ListeFiltreeView: the download holds every row of the
    filtered list (all pages), scoped by `get_queryset()` and so by `for_user()`, with the columns
    declared in `colonnes_export` as (header, attribute path or callable). The page gets
    `lien_export_csv` / `lien_export_xlsx` for the buttons (template commun/boutons_export.html)."""

    nom_export = "export"
    colonnes_export: list = []

    def get_colonnes_export(self):
        return self.colonnes_export

    def get(self, request, *args, **kwargs):
        format_export = request.GET.get("format")
        if format_export not in FORMATS:
            return super().get(request, *args, **kwargs)
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
            lignes = self.filterset.qs
        else:
            lignes = self.filterset.queryset.none()
        colonnes = self.get_colonnes_export()
        return reponse_export(
            self.nom_export,
            [entete for entete, _ in colonnes],
            ([valeur_colonne(objet, acces) for _, acces in colonnes] for objet in lignes),
            format_export,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("format", None)
        for format_export in ("csv", "xlsx"):
            params["format"] = format_export
            context[f"lien_export_{format_export}"] = f"{self.request.path}?{params.urlencode()}"
        return context
