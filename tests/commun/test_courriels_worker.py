"""The outbox with real workers (`manage.py procrastinate worker` in subprocesses, on the test
database) and a local SMTP server: an e-mail caused by an action is sent exactly once, a rolled-back
action sends nothing, a worker killed with SIGKILL while it holds the job loses nothing and sends
nothing twice. Also: the periodic jobs are deferred once per period whatever the number of workers."""

import time

import pytest
from django.db import connection, transaction
from procrastinate.contrib.django.models import ProcrastinateJob

from commun.courriels import envoyer_courriel
from commun.models import Courriel, StatutCourriel
from comptes.invitations import inviter_contact
from tests.worker import attendre

pytestmark = pytest.mark.django_db(transaction=True)


def statuts_des_envois(courriel):
    return sorted(
        ProcrastinateJob.objects.filter(task_name="commun.envoyer_courriel", args={"courriel_id": courriel.pk}).values_list(
            "status", flat=True
        )
    )


def test_courriel_d_une_invitation_envoye_une_seule_fois_par_le_worker(worker, serveur_smtp, employeur93, agent93):
    inviter_contact(employeur93, "directrice@association.fr", "Ada", "Lovelace", agent93)
    courriel = Courriel.objects.get()
    w = worker()
    recus = serveur_smtp.attendre(1)
    assert [destinataires for destinataires, _ in recus] == [["directrice@association.fr"]], w.lire_journal()
    assert f"Message-ID: <courriel-{courriel.pk}@adultes-relais.gouv.fr>" in recus[0][1]
    attendre(lambda: statuts_des_envois(courriel) == ["succeeded"], message=w.lire_journal())
    # The job runs a second time (as after a worker killed between its commit and the queue's
    # acknowledgement): the row is already sent, nothing leaves again.
    envoyer_courriel.defer(courriel_id=courriel.pk)
    attendre(lambda: statuts_des_envois(courriel) == ["succeeded", "succeeded"], message=w.lire_journal())
    assert len(serveur_smtp.recus) == 1
    courriel.refresh_from_db()
    assert courriel.statut == StatutCourriel.ENVOYE and courriel.tentatives == 1


def test_action_annulee_rien_n_est_envoye(worker, serveur_smtp, employeur93, agent93):
    with pytest.raises(RuntimeError), transaction.atomic():
        inviter_contact(employeur93, "annulee@association.fr", "Ada", "Lovelace", agent93)
        raise RuntimeError("panne après l’invitation")
    inviter_contact(employeur93, "temoin@association.fr", "Grace", "Hopper", agent93)  # committed: sent
    worker()
    serveur_smtp.attendre(1)
    time.sleep(1)  # time for a second message, if one had been left
    assert [destinataires for destinataires, _ in serveur_smtp.recus] == [["temoin@association.fr"]]
    assert list(Courriel.objects.values_list("destinataires", flat=True)) == [["temoin@association.fr"]]


def test_worker_tue_pendant_l_envoi_puis_relance_envoie_une_seule_fois(worker, serveur_smtp, employeur93, agent93):
    inviter_contact(employeur93, "directrice@association.fr", "Ada", "Lovelace", agent93)
    courriel = Courriel.objects.get()
    with transaction.atomic():
        # Hold the row: the worker takes the job (« doing ») and waits on the row lock, mid-job.
        Courriel.objects.select_for_update().get(pk=courriel.pk)
        premier = worker()
        attendre(lambda: statuts_des_envois(courriel) == ["doing"], message=premier.lire_journal())
        premier.tuer()
    assert serveur_smtp.recus == []
    second = worker()
    recus = serveur_smtp.attendre(1)
    assert len(recus) == 1, second.lire_journal()
    attendre(lambda: statuts_des_envois(courriel) == ["succeeded"], message=second.lire_journal())
    time.sleep(1)
    assert len(serveur_smtp.recus) == 1
    assert "ne donne plus signe de vie" in second.lire_journal()
    courriel.refresh_from_db()
    assert courriel.statut == StatutCourriel.ENVOYE and courriel.tentatives == 1


def periodes_differees():
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT args->>'timestamp', count(*) FROM procrastinate_jobs "
            "WHERE task_name = 'commun.taches.relancer_les_taches_bloquees' GROUP BY 1"
        )
        return dict(curseur.fetchall())


def test_tache_periodique_differee_une_fois_par_periode_avec_deux_workers(worker):
    premier, second = worker(), worker()
    # Both workers registered (heartbeat table), then a few periods (one a second in these tests).
    attendre(lambda: connection.cursor().execute("SELECT count(*) FROM procrastinate_workers").fetchone()[0] == 2)
    debut = len(periodes_differees())
    attendre(lambda: len(periodes_differees()) >= debut + 4, message=premier.lire_journal() + second.lire_journal())
    assert set(periodes_differees().values()) == {1}
