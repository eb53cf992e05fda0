"""Building blocks of the list filters (django-filter) shared by every list page."""

from dsfr.forms import DsfrBaseForm

from commun.recherche import FiltreRecherche, rechercher


class FormulaireFiltre(DsfrBaseForm):
    """Filter forms drawn with the design system's inputs (commun/filtres.html draws each field
    group; like every optional field of the service, each is marked « (Optionnel) »)."""


class FiltreScopeMixin:
    """Offer in the département menu only the départements the user may see (employers are typed:
    see FiltreEmployeur)."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        if "departement" in self.filters:
            # the menu lists the model each filter declares (quartiers' Departement), in the user's scope
            menu = self.filters["departement"]
            menu.queryset = menu.queryset.model.objects.for_user(user)


class FiltreEmployeur(FiltreRecherche):
    """The employer filter of the lists: a name (accents and case ignored) or a SIRET, typed.
    A menu of every employer in scope would grow with the country (5,000 for a national
    administrator) and cost more to draw than the list itself. The rows stay those of the scoped
    queryset: the filter only narrows it."""

    def __init__(self, *args, chemin: str = "employeur", **kwargs):
        kwargs.setdefault("label", "Employeur (nom ou SIRET)")
        super().__init__(*args, **kwargs)
        self.chemin = chemin

    def filter(self, qs, value):
        texte = (value or "").strip()
        if not texte:
            return qs
        chiffres = texte.replace(" ", "")
        if chiffres.isdigit():
            return qs.filter(**{f"{self.chemin}__siret__startswith": chiffres})
        return rechercher(qs, texte, [f"{self.chemin}__raison_sociale"])
