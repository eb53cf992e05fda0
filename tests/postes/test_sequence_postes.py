"""The per-year sequence of post identifiers (issue 16, fault 5): 4 digits in ANCT's format, so it
is not widened; at the boundary the smallest free number is used, and when none is left the
acceptance is refused with a French message, writing nothing."""

import pytest

from conventions.models import Convention
from demandes import services as services
from demandes.models import Demande
from demandes.regles import SEQUENCE_MAX, SequenceEpuisee, StatutDemande, identifiant_poste, sequence_suivante
from postes.models import Poste
from tests import factories
from tests.factories import EnveloppeFactory, PosteFactory, debut_souhaite, demande_complete

PREFIXE = "09326R"


def test_apres_le_plus_haut_numero_vient_le_suivant():
    assert sequence_suivante([f"{PREFIXE}004102", f"{PREFIXE}000101"], PREFIXE) == 42


def test_le_numero_9999_est_encore_attribue():
    assert sequence_suivante([f"{PREFIXE}999801"], PREFIXE) == SEQUENCE_MAX
    assert identifiant_poste("93", 2026, SEQUENCE_MAX) == f"{PREFIXE}999901"


def test_apres_9999_le_plus_petit_numero_libre():
    assert sequence_suivante([f"{PREFIXE}999901", f"{PREFIXE}000101", f"{PREFIXE}000301"], PREFIXE) == 2


def test_tous_les_numeros_pris_le_dit_en_francais():
    tous = [f"{PREFIXE}{n:04d}01" for n in range(1, SEQUENCE_MAX + 1)]
    with pytest.raises(SequenceEpuisee, match="les 9\u202f999 numéros d’ordre de ce département et de cette année sont pris"):
        sequence_suivante(tous, PREFIXE)


@pytest.fixture
def demande_en_instruction(db, employeur93, membre93, agent93, dep93, media):
    EnveloppeFactory(departement=dep93, annee=debut_souhaite().year, nombre_postes=30)
    return factories.demande_en_instruction(demande_complete(employeur93, cree_par=membre93), membre93, agent93)


def prefixe():
    return f"093{debut_souhaite().year % 100:02d}R"


def test_acceptation_apres_un_identifiant_importe_en_9999(demande_en_instruction, agent93):
    PosteFactory(employeur=demande_en_instruction.employeur, identifiant=f"{prefixe()}999901")
    poste = services.accepter_demande(demande_en_instruction, agent93)
    assert poste.identifiant == f"{prefixe()}000101"


def test_acceptation_quand_tous_les_numeros_sont_pris_refusee_sans_rien_ecrire(demande_en_instruction, agent93):
    modele = PosteFactory(employeur=demande_en_instruction.employeur, identifiant=f"{prefixe()}000101")
    Poste.objects.bulk_create(
        [
            Poste(identifiant=f"{prefixe()}{n:04d}01", employeur_id=modele.employeur_id, departement_id=modele.departement_id)
            for n in range(2, SEQUENCE_MAX + 1)
        ]
    )
    avant = (Poste.objects.count(), Convention.objects.count(), Poste.history.count())
    with pytest.raises(services.ErreurDemande, match="Plus aucun identifiant de poste libre"):
        services.accepter_demande(demande_en_instruction, agent93)
    assert (Poste.objects.count(), Convention.objects.count(), Poste.history.count()) == avant
    demande = Demande.objects.get(pk=demande_en_instruction.pk)
    assert demande.statut == StatutDemande.EN_INSTRUCTION and demande.poste is None
