"""The import page with a real worker process (`manage.py procrastinate worker`, tests/worker.py): the
upload answers at once, the worker computes the preview once, the confirmation's write happens once
even when the worker is killed with SIGKILL in the middle of its transaction and then restarted."""

import time

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from importation.models import ImportPostes, StatutImport
from importation.services import VERROU_IMPORT
from postes.models import Poste
from tests.outils_import import SIRET_CLE_FAUSSE, URL_PAGE, csv_octets, ligne_anct
from tests.worker import attendre, url_de_la_base_de_test

pytestmark = pytest.mark.django_db(transaction=True)


def statut(imp):
    imp.refresh_from_db()
    return imp.statut


def etats_des_ecritures(imp):
    return sorted(
        ProcrastinateJob.objects.filter(task_name="importation.ecrire_import", args={"import_id": imp.pk}).values_list(
            "status", flat=True
        )
    )


@pytest.fixture
def lignes():
    return [ligne_anct(id_poste=f"09323R{i:04d}01") for i in range(1, 301)] + [
        ligne_anct(id_poste="09323R999901", code_tiers=SIRET_CLE_FAUSSE)
    ]


def test_depot_apercu_par_le_worker_puis_ecriture_une_seule_fois_malgre_un_kill_9(client, agent93, worker, media, lignes):
    client.force_login(agent93)
    debut = time.monotonic()
    reponse = client.post(URL_PAGE, {"fichier": SimpleUploadedFile("registre.csv", csv_octets(lignes), content_type="text/csv")})
    duree_du_depot = time.monotonic() - debut
    imp = ImportPostes.objects.get()
    assert reponse.status_code == 302 and duree_du_depot < 2, duree_du_depot
    premier = worker(MEDIA_ROOT=str(media))
    attendre(lambda: statut(imp) == StatutImport.APERCU, message=premier.lire_journal)
    assert (imp.apercu["crees"], imp.apercu["rejetes"]) == (300, 1) and not Poste.objects.exists()
    page = client.get(reverse("importation:suivi", args=[imp.pk])).content.decode()
    assert "Si vous confirmez, 300 lignes créeront un poste" in page

    # Another session holds the imports' lock: the worker's write waits on it inside its transaction.
    with psycopg.connect(url_de_la_base_de_test()) as autre_session:
        autre_session.execute("SELECT pg_advisory_xact_lock(%s)", [VERROU_IMPORT])
        reponse = client.post(reverse("importation:suivi", args=[imp.pk]), {"partiel": "on"})
        assert reponse.status_code == 302
        attendre(lambda: statut(imp) == StatutImport.ECRITURE and etats_des_ecritures(imp) == ["doing"])
        time.sleep(0.5)  # the worker is now waiting on the lock, mid-job
        premier.tuer()
        autre_session.rollback()
    assert not Poste.objects.exists() and statut(imp) == StatutImport.ECRITURE

    second = worker(MEDIA_ROOT=str(media))
    attendre(lambda: statut(imp) == StatutImport.TERMINE, message=second.lire_journal)
    attendre(lambda: etats_des_ecritures(imp) == ["succeeded"], message=second.lire_journal)
    assert "ne donne plus signe de vie" in second.lire_journal()
    assert Poste.objects.count() == 300
    assert sum(p.history.count() for p in Poste.objects.all()) == 300  # each post created once
    assert (imp.resultat["crees"], imp.resultat["rejetes"], imp.resultat["ecrit"]) == (300, 1, True)
    page = client.get(reverse("importation:suivi", args=[imp.pk])).content.decode()
    assert "Import enregistré" in page and "300 lignes créées" in page
