"""Dashboard figures kept in the cache shared by every web worker (a database table).

Computing a département's aid for a year walks every convention and affectation day by day
(financements/aide.py): tens of milliseconds per département, seconds for the whole country. The
result of each (département, year, day) is kept together with a fingerprint of what it depends on:
per département, the number and the latest history row of its conventions and affectations and
its latest avenant; globally, the barème. Any change — a form, a service, an import (which writes
history rows) or a bulk insert (which changes the counts) — gives a new fingerprint, so a stale
figure is never shown: it is computed again on the next view.

Only the dashboard reads through this cache. Budget checks before a commitment (verifier_budget)
always compute under the envelope's row lock."""

import hashlib
from datetime import date

from django.core.cache import caches
from django.db import connection

from financements.budget import SituationBudget, situations_budgetaires
from financements.models import Bareme, Enveloppe
from postes.models import Affectation, Avenant, Convention, Poste

CACHE = "budget"
DUREE = 60 * 60 * 36  # a day and a half: the key holds the day anyway


def empreintes(departement_ids: list[int]) -> dict[int, str]:
    """{département id: fingerprint of the data its aid figures depend on} (2 queries)."""
    poste = Poste._meta.db_table
    sources = [
        (Convention._meta.db_table, "id", "poste_id", None),
        (Convention.history.model._meta.db_table, "history_id", "poste_id", None),
        (Affectation._meta.db_table, "id", "poste_id", None),
        (Affectation.history.model._meta.db_table, "history_id", "poste_id", None),
        (Avenant._meta.db_table, "id", "convention_id", Convention._meta.db_table),
    ]
    parties = []
    for rang, (table, cle, lien, via) in enumerate(sources):
        jointure = (
            f'JOIN "{via}" v ON v.id = t."{lien}" JOIN "{poste}" p ON p.id = v.poste_id'
            if via
            else f'JOIN "{poste}" p ON p.id = t."{lien}"'
        )
        parties.append(
            f'SELECT p.departement_id, {rang}, COUNT(*), MAX(t."{cle}") FROM "{table}" t {jointure} '
            f"WHERE p.departement_id = ANY(%s) GROUP BY p.departement_id"
        )
    morceaux: dict[int, list] = {pk: [] for pk in departement_ids}
    with connection.cursor() as curseur:
        curseur.execute(" UNION ALL ".join(parties), [list(departement_ids)] * len(parties))
        for dep, rang, nombre, dernier in curseur.fetchall():
            morceaux[dep].append((rang, nombre, dernier))
    bareme = list(Bareme.objects.order_by("date_effet").values_list("date_effet", "montant_annuel"))
    return {
        pk: hashlib.sha256(repr((sorted(valeurs), bareme)).encode()).hexdigest()[:24]
        for pk, valeurs in morceaux.items()
    }


def _cle(departement_id: int, annee: int, aujourd_hui: date, empreinte: str) -> str:
    return f"budget:{departement_id}:{annee}:{aujourd_hui.isoformat()}:{empreinte}"


def situations_du_tableau_de_bord(departements, annee: int, aujourd_hui: date) -> dict:
    """The same {département id: SituationBudget} as `situations_budgetaires`, read from the cache
    where the fingerprint is unchanged, computed (and kept) for the other départements."""
    departements = list(departements)
    cache = caches[CACHE]
    par_departement = empreintes([d.pk for d in departements])
    cles = {d.pk: _cle(d.pk, annee, aujourd_hui, par_departement[d.pk]) for d in departements}
    trouves = cache.get_many(list(cles.values()))
    manquants = [d for d in departements if cles[d.pk] not in trouves]
    calcules = situations_budgetaires(manquants, annee, aujourd_hui) if manquants else {}
    cache.set_many(
        {
            cles[pk]: (s.postes_engages, s.aide_engagee, s.aide_prevue, s.mois_engages, s.mois_prevus)
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
        postes, engagee, prevue, mois_engages, mois_prevus = trouves[cles[d.pk]]
        situations[d.pk] = SituationBudget(
            departement=d, annee=annee, enveloppe=enveloppes.get(d.pk), postes_engages=postes,
            aide_engagee=engagee, aide_prevue=prevue, mois_engages=mois_engages, mois_prevus=mois_prevus,
        )
    return situations


def prechauffer(annee: int, aujourd_hui: date) -> int:
    """Compute and keep the figures of every département (run by the daily command): the first
    dashboard of the day is then as fast as the next ones. Returns the number of départements."""
    from quartiers.models import Departement

    departements = Departement.objects.select_related("region").order_by("code")
    situations_du_tableau_de_bord(departements, annee, aujourd_hui)
    return departements.count()
