"""Fault injection (issue 16 « Also »): the import and the acceptance of a request are interrupted by
an exception in the middle of their writes, and leave the database exactly as it was: the number of
rows of every table of the domain, and the rows themselves."""

from datetime import date

import pytest
from django.apps import apps
from django.core import mail

from conventions.models import Convention
from demandes import services as services
from demandes.models import Demande
from employeurs.models import Employeur
from importation import moteur
from postes.models import FinancementAnnuel, Poste
from tests import factories
from tests.factories import (
    ConventionFactory,
    EnveloppeFactory,
    PosteFactory,
    QuartierFactory,
    debut_souhaite,
    demande_complete,
    departement,
)
from tests.outils_import import csv_octets, importer, ligne_anct, ligne_poste
from tests.structure import APPLICATIONS as APPLICATIONS_DU_PROJET

pytestmark = pytest.mark.django_db

# Every installed app of the project (the outbox of commun included: a rolled-back action leaves no
# e-mail), and procrastinate's queue: nor any job.
APPLICATIONS = (*(nom for nom in APPLICATIONS_DU_PROJET if apps.is_installed(nom)), "procrastinate")


class Panne(RuntimeError):
    pass


def etat_de_la_base():
    """Row count of every table of the domain (history and many-to-many tables included), and the
    rows of the tables an import or an acceptance writes."""
    comptes = {}
    for application in APPLICATIONS:
        for modele in apps.get_app_config(application).get_models(include_auto_created=True):
            comptes[modele._meta.db_table] = modele._default_manager.count()
    lignes = {
        modele._meta.db_table: sorted(modele._default_manager.values_list(), key=repr)
        for modele in (Employeur, Poste, Poste.quartiers.through, Poste.domaines.through, FinancementAnnuel, Convention, Demande)
    }
    return comptes, lignes


def tomber_en_panne(monkeypatch, cible, nom, apres=0):
    """Make `cible.nom` raise Panne on its call number `apres + 1` (the earlier calls go through)."""
    original = getattr(cible, nom)
    appels = {"n": 0}

    def en_panne(*args, **kwargs):
        appels["n"] += 1
        if appels["n"] > apres:
            raise Panne(f"panne simulée dans {nom}")
        return original(*args, **kwargs)

    monkeypatch.setattr(cible, nom, en_panne)
    return appels


@pytest.fixture
def base_existante(db):
    """Rows an import would update: so that a half-done import would show as changed values too."""
    QuartierFactory(code="QN09339M", departement=departement("93"))
    QuartierFactory(code="QN09340M", departement=departement("93"))
    assert importer(csv_octets([ligne_poste()])).ecrit
    assert importer(csv_octets([ligne_anct(id_poste="09323R000201", annee=2022, montant="20000")])).ecrit
    assert importer(csv_octets([ligne_anct(id_poste="09323R000201", annee=2023, montant="20500")])).ecrit


ETAPES_IMPORT = [
    ("historiser", 0),  # right after the posts are created
    ("historiser", 1),  # after the posts are updated
    ("historiser", 2),  # after the conventions are created
    ("historiser", 3),  # at the very last statement
]


@pytest.mark.parametrize("etape,apres", ETAPES_IMPORT)
def test_import_interrompu_au_milieu_laisse_la_base_telle_quelle(base_existante, monkeypatch, etape, apres):
    contenu = csv_octets(
        [
            ligne_poste(
                **{
                    "Intitulé": "Nouvel intitulé",
                    "Quartiers (codes QPV)": "QN09340M",
                    "Missions": "Autres missions",
                    "Fin de convention": "31/01/2026",
                    "Raison sociale": "Nouveau nom",
                }
            ),
            ligne_poste(
                Identifiant="09323R000301", Convention="CONV-2023-002", SIRET="33273739400434", **{"Raison sociale": "IFAC"}
            ),
        ]
    )
    # The same file without a fault does write (so the fault does fall in the middle of real writes).
    avant = etat_de_la_base()
    appels = tomber_en_panne(monkeypatch, moteur, etape, apres)
    with pytest.raises(Panne):
        importer(contenu)
    assert appels["n"] > apres
    assert etat_de_la_base() == avant
    monkeypatch.undo()
    rapport = importer(contenu)
    assert rapport.ecrit and (rapport.crees, rapport.mis_a_jour) == (1, 1)
    assert etat_de_la_base() != avant


def test_import_interrompu_entre_le_retrait_et_l_ajout_des_quartiers(base_existante, monkeypatch):
    contenu = csv_octets([ligne_poste(**{"Quartiers (codes QPV)": "QN09340M"})])
    avant = etat_de_la_base()
    through = Poste.quartiers.through
    monkeypatch.setattr(through.objects, "bulk_create", lambda *a, **k: (_ for _ in ()).throw(Panne("panne")))
    with pytest.raises(Panne):
        importer(contenu)
    assert etat_de_la_base() == avant


def test_import_anct_interrompu_au_financement_laisse_la_base_telle_quelle(base_existante, monkeypatch):
    contenu = csv_octets([ligne_anct(id_poste="09323R000201", annee=2023, montant="21000"), ligne_anct(id_poste="09323R000501")])
    avant = etat_de_la_base()
    monkeypatch.setattr(FinancementAnnuel.objects, "bulk_update", lambda *a, **k: (_ for _ in ()).throw(Panne("panne")))
    with pytest.raises(Panne):
        importer(contenu)
    assert etat_de_la_base() == avant


@pytest.fixture
def demande_en_instruction(employeur93, membre93, agent93, dep93, media):
    EnveloppeFactory(departement=dep93, annee=debut_souhaite().year, nombre_postes=30)
    ConventionFactory(poste=PosteFactory(employeur=employeur93), date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31))
    demande = factories.demande_en_instruction(demande_complete(employeur93, cree_par=membre93), membre93, agent93)
    mail.outbox.clear()
    return demande


ETAPES_ACCEPTATION = [
    (services, "verifier_budget_convention"),  # post and convention created, budget not yet checked
    (services, "_decider"),  # everything written but the decision
    (services, "_changer_statut"),  # the request's new status not yet saved
    (services.notifications, "notifier_decision"),  # the mail's outbox row, written in the same transaction
]


@pytest.mark.parametrize("cible,etape", ETAPES_ACCEPTATION)
def test_acceptation_interrompue_au_milieu_laisse_la_base_telle_quelle(
    demande_en_instruction, agent93, monkeypatch, django_capture_on_commit_callbacks, cible, etape
):
    avant = etat_de_la_base()
    tomber_en_panne(monkeypatch, cible, etape)
    with django_capture_on_commit_callbacks(execute=True) as rappels, pytest.raises(Panne):
        services.accepter_demande(demande_en_instruction, agent93)
    assert etat_de_la_base() == avant
    assert rappels == [] and mail.outbox == []
    demande = Demande.objects.get(pk=demande_en_instruction.pk)
    assert demande.statut == "en_instruction" and demande.poste is None
    # Once the fault is gone, the same acceptance goes through.
    monkeypatch.undo()
    poste = services.accepter_demande(demande, agent93)
    assert Poste.objects.filter(pk=poste.pk).exists() and etat_de_la_base() != avant
