from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from conventions.models import Convention
from demandes.models import Demande
from demandes.regles import StatutDemande
from demo.national import generer
from postes.models import Poste
from postes.regles import StatutPoste

pytestmark = pytest.mark.django_db


def test_generation_nationale_a_petite_echelle_couvre_tous_les_etats():
    resultat = generer(echelle=0.01)
    assert resultat["postes"] == 120 and Poste.objects.count() == 120
    assert Poste.objects.filter(statut=StatutPoste.ACTIF).count() == 70
    assert resultat["quartiers"] == 1584
    assert Convention.objects.count() == resultat["conventions"] >= 200
    assert set(Demande.objects.values_list("statut", flat=True)) == set(StatutDemande.values)
    from financements.models import Enveloppe
    from postes.models import FinancementAnnuel

    assert FinancementAnnuel.objects.count() == resultat["financements"] > 100
    assert not FinancementAnnuel.objects.filter(montant__gt=Decimal("22810.61")).exists()
    assert Enveloppe.objects.count() == resultat["enveloppes"] > 0
    assert Poste.objects.order_by().values("departement").distinct().count() > 40
    # every chain of renewals points to the previous convention of the same post
    for c in Convention.objects.filter(precedente__isnull=False).select_related("precedente")[:50]:
        assert c.precedente.poste_id == c.poste_id and c.date_debut > c.precedente.date_fin


def test_generation_refusee_sur_une_base_non_vide(poste93):
    with pytest.raises(CommandError, match="base vide"):
        call_command("generer_donnees_nationales", "--echelle", "0.01")
