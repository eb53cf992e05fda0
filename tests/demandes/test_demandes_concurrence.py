"""Two agents accepting at the same moment cannot overrun the envelope: two real transactions, in two
threads with their own database connections."""

import threading
import time

import pytest
from django.db import connection

import conventions.budget
from demandes import services as services
from demandes.models import Demande
from demandes.regles import StatutDemande
from financements.enveloppes import EnveloppeInsuffisante
from postes.models import Poste
from tests.factories import (
    ConventionFactory,
    EnveloppeFactory,
    PosteFactory,
    debut_souhaite,
    demande_complete,
    demande_en_instruction,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]


@pytest.fixture
def comptage_lent(monkeypatch):
    """Widen the window between counting the engaged posts and creating the new one: without the
    envelope's row lock, both transactions would count the same remaining post."""
    compter = conventions.budget.postes_engages

    def lent(departement, annee, **options):
        resultat = compter(departement, annee, **options)
        time.sleep(0.5)
        return resultat

    monkeypatch.setattr(conventions.budget, "postes_engages", lent)


def en_parallele(*appels):
    """Run each callable in its own thread (own connection), released together; return results or
    exceptions in order."""
    barriere = threading.Barrier(len(appels))
    resultats = [None] * len(appels)

    def executer(i, appel):
        try:
            barriere.wait()
            resultats[i] = appel()
        except Exception as erreur:  # noqa: BLE001 - the test inspects it
            resultats[i] = erreur
        finally:
            connection.close()

    fils = [threading.Thread(target=executer, args=(i, a)) for i, a in enumerate(appels)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=30)
    return resultats


def en_instruction(employeur, membre, agent):
    return demande_en_instruction(demande_complete(employeur), membre, agent).pk


def accepter(pk, agent):
    return lambda: services.accepter_demande(Demande.objects.get(pk=pk), agent).identifiant


def test_deux_acceptations_simultanees_pour_le_dernier_poste_une_seule_reussit(
    employeur93, membre93, agent93, dep93, comptage_lent
):
    annee = debut_souhaite().year
    EnveloppeFactory(departement=dep93, annee=annee, nombre_postes=2)
    deja = PosteFactory(employeur=employeur93)
    ConventionFactory(poste=deja, date_debut=debut_souhaite(), date_fin=debut_souhaite().replace(month=12, day=31))
    premiere, seconde = en_instruction(employeur93, membre93, agent93), en_instruction(employeur93, membre93, agent93)

    resultats = en_parallele(accepter(premiere, agent93), accepter(seconde, agent93))

    reussites = [r for r in resultats if isinstance(r, str)]
    echecs = [r for r in resultats if isinstance(r, Exception)]
    assert len(reussites) == 1, resultats
    assert len(echecs) == 1 and isinstance(echecs[0], EnveloppeInsuffisante)
    assert "2 postes engagés sur 2" in str(echecs[0])
    assert Poste.objects.count() == 2
    assert Demande.objects.filter(statut=StatutDemande.ACCEPTEE).count() == 1
    assert Demande.objects.filter(statut=StatutDemande.EN_INSTRUCTION).count() == 1


def test_la_meme_demande_acceptee_deux_fois_en_meme_temps_ne_cree_qu_un_poste(
    employeur93, membre93, agent93, dep93, comptage_lent
):
    EnveloppeFactory(departement=dep93, annee=debut_souhaite().year, nombre_postes=30)
    pk = en_instruction(employeur93, membre93, agent93)

    resultats = en_parallele(accepter(pk, agent93), accepter(pk, agent93))

    assert sum(isinstance(r, str) for r in resultats) == 1, resultats
    erreur = next(r for r in resultats if isinstance(r, Exception))
    assert isinstance(erreur, services.ErreurDemande) and "définitive" in str(erreur)
    assert Poste.objects.count() == 1
