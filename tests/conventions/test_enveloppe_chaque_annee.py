"""The envelope is checked the same way in posts and in euros, for every year a new or renewed
convention covers whose envelope exists, and the message names the year that would overflow
(issue 16, fault 2; financements/budget.py, `verifier_budget_convention`)."""

from datetime import date
from decimal import Decimal

import pytest

from conventions.budget import BudgetInsuffisant
from conventions.models import Convention
from conventions.services.cycle import renouveler
from demandes import services as services
from demandes.regles import StatutDemande
from financements.models import Enveloppe
from postes.models import Poste
from tests.factories import (
    ConventionFactory,
    PosteFactory,
    convention_signee,
    debut_souhaite,
    demande_complete,
    demande_en_instruction,
)

pytestmark = pytest.mark.django_db

LARGE = Decimal("10000000")


def occuper(dep, employeur, annee):
    """Another post of the département, engaged for the whole of `annee`."""
    return ConventionFactory(
        poste=PosteFactory(employeur=employeur, departement=dep), date_debut=date(annee, 1, 1), date_fin=date(annee, 12, 31)
    )


def test_acceptation_refusee_quand_une_annee_suivante_n_a_plus_de_poste(dep93, employeur93, membre93, agent93):
    annee = debut_souhaite().year
    Enveloppe.objects.create(departement=dep93, annee=annee, nombre_postes=5, montant=LARGE)
    Enveloppe.objects.create(departement=dep93, annee=annee + 1, nombre_postes=1, montant=LARGE)
    occuper(dep93, employeur93, annee + 1)
    demande = demande_en_instruction(demande_complete(employeur93, cree_par=membre93), membre93, agent93)
    postes_avant, conventions_avant = Poste.objects.count(), Convention.objects.count()
    with pytest.raises(services.EnveloppeInsuffisante) as erreur:
        services.accepter_demande(demande, agent93)
    message = str(erreur.value)
    assert f"L’enveloppe {annee + 1} du département 93 est épuisée : 1 poste engagé sur 1." in message
    assert f"La convention ne peut pas couvrir l’année {annee + 1} sans une enveloppe complémentaire." in message
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.EN_INSTRUCTION and demande.poste is None
    assert (Poste.objects.count(), Convention.objects.count()) == (postes_avant, conventions_avant)


def test_acceptation_admise_quand_chaque_annee_a_encore_un_poste(dep93, employeur93, membre93, agent93):
    annee = debut_souhaite().year
    for n in range(4):
        Enveloppe.objects.create(departement=dep93, annee=annee + n, nombre_postes=2, montant=LARGE)
    occuper(dep93, employeur93, annee + 1)
    demande = demande_en_instruction(demande_complete(employeur93, cree_par=membre93), membre93, agent93)
    assert services.accepter_demande(demande, agent93).conventions.count() == 1


def test_annee_sans_enveloppe_apres_la_premiere_n_est_pas_verifiee(dep93, employeur93, membre93, agent93):
    annee = debut_souhaite().year
    Enveloppe.objects.create(departement=dep93, annee=annee, nombre_postes=5, montant=LARGE)
    occuper(dep93, employeur93, annee + 1)  # no envelope yet for the next years: as for the euros
    demande = demande_en_instruction(demande_complete(employeur93, cree_par=membre93), membre93, agent93)
    assert services.accepter_demande(demande, agent93)


def test_renouvellement_refuse_quand_sa_deuxieme_annee_n_a_plus_de_poste(poste93, dep93):
    Enveloppe.objects.create(departement=dep93, annee=2026, nombre_postes=5, montant=LARGE)
    Enveloppe.objects.create(departement=dep93, annee=2027, nombre_postes=1, montant=LARGE)
    occuper(dep93, poste93.employeur, 2027)
    convention = convention_signee(poste93, date(2023, 1, 1), date(2025, 12, 31))
    with pytest.raises(BudgetInsuffisant) as erreur:
        renouveler(convention, date_fin=date(2027, 12, 31), aujourd_hui=date(2025, 11, 1))
    assert "L’enveloppe 2027 du département 93 est épuisée : 1 poste engagé sur 1." in " ".join(erreur.value.messages)
    assert not Convention.objects.filter(precedente=convention).exists()


def test_renouvellement_refuse_quand_sa_premiere_annee_n_a_plus_de_poste(poste93, dep93):
    Enveloppe.objects.create(departement=dep93, annee=2026, nombre_postes=1, montant=LARGE)
    occuper(dep93, poste93.employeur, 2026)
    convention = convention_signee(poste93, date(2023, 1, 1), date(2025, 12, 31))
    with pytest.raises(BudgetInsuffisant, match="L’enveloppe 2026 du département 93 est épuisée"):
        renouveler(convention, date_fin=date(2026, 12, 31), aujourd_hui=date(2025, 11, 1))


def test_renouvellement_d_un_poste_deja_compte_dans_l_annee_ne_prend_pas_de_place(poste93, dep93):
    # The convention ends mid-2026: the post is already engaged in 2026, the renewal adds nobody.
    Enveloppe.objects.create(departement=dep93, annee=2026, nombre_postes=1, montant=LARGE)
    convention = convention_signee(poste93, date(2023, 7, 1), date(2026, 6, 30))
    assert renouveler(convention, date_fin=date(2026, 12, 31), aujourd_hui=date(2026, 5, 1)).precedente == convention


def test_le_message_en_euros_nomme_aussi_l_annee(poste93, dep93):
    Enveloppe.objects.create(departement=dep93, annee=2026, nombre_postes=5, montant=LARGE)
    Enveloppe.objects.create(departement=dep93, annee=2027, nombre_postes=5, montant=Decimal("1000"))
    convention = convention_signee(poste93, date(2023, 1, 1), date(2025, 12, 31))
    with pytest.raises(BudgetInsuffisant, match="L’enveloppe 2027 du département 93 – Seine-Saint-Denis serait dépassée"):
        renouveler(convention, date_fin=date(2027, 12, 31), aujourd_hui=date(2025, 11, 1))
