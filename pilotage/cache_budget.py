"""Dashboard figures kept in the cache shared by every web worker (a database table).

Computing a département's aid for a year walks every convention and affectation day by day
(financements/regles.py): tens of milliseconds per département, seconds for the whole country. The
result of each (département, year, day) is kept together with a fingerprint of what it depends on:
per département, its rows in the journal that database triggers write after any statement touching
its conventions, affectations or avenants (JournalBudget); globally, the barème. Any change — a
form, a service, an import, a bulk insert, the admin — gives a new fingerprint, so a stale figure
is never shown: it is computed again on the next view. Reading the fingerprints costs the same
whatever the number of conventions.

Only the dashboard reads through this cache. Budget checks before a commitment (verifier_budget)
always compute under the envelope's row lock."""

import hashlib
from datetime import date

from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Max, Sum

from conventions.budget import SituationBudget, postes_en_exercice, postes_vacants, situations_budgetaires
from financements.models import Bareme, Enveloppe
from pilotage.models import JournalBudget
from postes.models import Poste
from quartiers.models import Departement

CACHE = "budget"
DUREE = 60 * 60 * 36  # a day and a half: the key holds the day anyway


def empreintes(departement_ids: list[int]) -> dict[int, str]:
    """{département id: fingerprint of the data its aid figures depend on} (2 small queries: the
    département's rows in the journal kept by triggers, and the barème)."""
    journal = dict.fromkeys(departement_ids, (0, None))
    journal.update(
        (dep, (total, dernier))
        for dep, total, dernier in JournalBudget.objects.filter(departement_id__in=departement_ids)
        .order_by()
        .values("departement_id")
        .annotate(total=Sum("n"), dernier=Max("id"))
        .values_list("departement_id", "total", "dernier")
    )
    bareme = list(Bareme.objects.order_by("date_effet").values_list("date_effet", "montant_annuel"))
    return {pk: hashlib.sha256(repr((valeurs, bareme)).encode()).hexdigest()[:24] for pk, valeurs in journal.items()}


def compacter_journal_budget() -> int:
    """Merge each département's journal rows into one row carrying their sum (run daily): the sums,
    hence nothing the fingerprints stand for, change; rows written meanwhile by transactions not yet
    committed are left alone. Returns the number of rows removed."""
    table = JournalBudget._meta.db_table
    with connection.cursor() as curseur:
        curseur.execute(
            f'WITH supprimees AS (DELETE FROM "{table}" RETURNING departement_id, n), '
            f'fusion AS (INSERT INTO "{table}" (departement_id, n) SELECT departement_id, SUM(n) FROM supprimees '
            f"GROUP BY departement_id RETURNING 1) "
            f"SELECT (SELECT COUNT(*) FROM supprimees) - (SELECT COUNT(*) FROM fusion)"
        )
        return curseur.fetchone()[0]


def _cle(departement_id: int, annee: int, aujourd_hui: date, empreinte: str) -> str:
    return f"budget:{departement_id}:{annee}:{aujourd_hui.isoformat()}:{empreinte}"


def jour_de_reference(annee: int, aujourd_hui: date) -> date:
    """The day the post counts are taken: today in the current year, else the nearest day of `annee`."""
    return aujourd_hui if aujourd_hui.year == annee else min(max(aujourd_hui, date(annee, 1, 1)), date(annee, 12, 31))


def compter_par_departement(postes) -> dict:
    """{département id: number of posts} (one query; `postes` may be a DISTINCT queryset)."""
    return dict(Poste.objects.filter(pk__in=postes.values("pk")).order_by().values_list("departement").annotate(n=Count("pk")))


def situations_du_tableau_de_bord(departements, annee: int, aujourd_hui: date) -> dict:
    """The same {département id: SituationBudget} as `situations_budgetaires`, with the posts in
    exercise and vacant on the day of reference (`postes_en_exercice`, `postes_vacants`), read from
    the cache where the fingerprint is unchanged, computed (and kept) for the other départements."""
    departements = list(departements)
    cache = caches[CACHE]
    par_departement = empreintes([d.pk for d in departements])
    cles = {d.pk: _cle(d.pk, annee, aujourd_hui, par_departement[d.pk]) for d in departements}
    trouves = cache.get_many(list(cles.values()))
    manquants = [d for d in departements if cles[d.pk] not in trouves]
    calcules = situations_budgetaires(manquants, annee, aujourd_hui) if manquants else {}
    if manquants:
        jour = jour_de_reference(annee, aujourd_hui)
        postes = Poste.objects.filter(departement__in=manquants)
        en_exercice = compter_par_departement(postes_en_exercice(postes, jour))
        vacants = compter_par_departement(postes_vacants(postes, jour))
        for pk, s in calcules.items():
            s.postes_en_exercice, s.postes_vacants = en_exercice.get(pk, 0), vacants.get(pk, 0)
        cache.set_many(
            {
                cles[pk]: (
                    s.postes_engages,
                    s.aide_engagee,
                    s.aide_prevue,
                    s.mois_engages,
                    s.mois_prevus,
                    s.postes_en_exercice,
                    s.postes_vacants,
                )
                for pk, s in calcules.items()
            },
            DUREE,
        )
    enveloppes = {e.departement_id: e for e in Enveloppe.objects.filter(annee=annee, departement__in=departements)}
    situations = {}
    for d in departements:
        if d.pk in calcules:
            situations[d.pk] = calcules[d.pk]
            continue
        postes_engages, engagee, prevue, mois_engages, mois_prevus, en_exercice, vacants = trouves[cles[d.pk]]
        situations[d.pk] = SituationBudget(
            departement=d,
            annee=annee,
            enveloppe=enveloppes.get(d.pk),
            postes_engages=postes_engages,
            aide_engagee=engagee,
            aide_prevue=prevue,
            mois_engages=mois_engages,
            mois_prevus=mois_prevus,
            postes_en_exercice=en_exercice,
            postes_vacants=vacants,
        )
    return situations


def prechauffer(annee: int, aujourd_hui: date) -> int:
    """Compute and keep the figures of every département (run by the daily command): the first
    dashboard of the day is then as fast as the next ones. Returns the number of départements."""
    compacter_journal_budget()  # the keys change once: the figures are computed just after
    departements = Departement.objects.select_related("region").order_by("code")
    situations_du_tableau_de_bord(departements, annee, aujourd_hui)
    return departements.count()
