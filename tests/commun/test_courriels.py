"""The e-mail outbox without a worker: the row and its job are written in the action's transaction,
the job's body sends a row once, retries with a growing delay for a day, then gives up."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from commun import courriels
from commun.models import Courriel, StatutCourriel
from commun.taches import RelanceCroissante, delai_avant_relance
from comptes.invitations import inviter_contact

pytestmark = [pytest.mark.django_db, pytest.mark.sans_envoi_a_la_validation]


def test_invitation_ecrit_le_courriel_et_sa_tache_dans_sa_transaction(employeur93, agent93):
    inviter_contact(employeur93, "directrice@association.fr", "Ada", "Lovelace", agent93)
    courriel = Courriel.objects.get()
    assert courriel.destinataires == ["directrice@association.fr"] and courriel.statut == StatutCourriel.A_ENVOYER
    tache = ProcrastinateJob.objects.get()
    assert (tache.task_name, tache.args, tache.status) == ("commun.envoyer_courriel", {"courriel_id": courriel.pk}, "todo")
    assert mail.outbox == []  # the web process sends nothing itself


def test_action_annulee_ne_laisse_ni_courriel_ni_tache(employeur93, agent93):
    with pytest.raises(RuntimeError), transaction.atomic():
        inviter_contact(employeur93, "directrice@association.fr", "Ada", "Lovelace", agent93)
        raise RuntimeError("panne après l’invitation")
    assert not Courriel.objects.exists() and not ProcrastinateJob.objects.exists()


def test_courriel_envoye_une_seule_fois_meme_si_sa_tache_tourne_deux_fois():
    courriel = courriels.mettre_en_file(["a@exemple.fr", "b@exemple.fr"], "Sujet", "Corps")
    assert courriels.envoyer(courriel.pk) == StatutCourriel.ENVOYE
    assert courriels.envoyer(courriel.pk) == StatutCourriel.ENVOYE  # a second run: nothing sent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@exemple.fr", "b@exemple.fr"]
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<courriel-{courriel.pk}@adultes-relais.gouv.fr>"
    courriel.refresh_from_db()
    assert courriel.tentatives == 1 and courriel.envoye_le is not None


def refus_smtp(monkeypatch):
    def refuser(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", refuser)


def test_echec_d_envoi_note_l_erreur_et_relance_la_tache(monkeypatch):
    courriel = courriels.mettre_en_file(["a@exemple.fr"], "Sujet", "Corps")
    refus_smtp(monkeypatch)
    with pytest.raises(courriels.EchecEnvoi):
        courriels.envoyer(courriel.pk)
    courriel.refresh_from_db()
    assert courriel.statut == StatutCourriel.A_ENVOYER and courriel.tentatives == 1
    assert courriel.derniere_erreur == "SMTPServerDisconnected : Connection unexpectedly closed"


def test_courriel_en_echec_apres_un_jour_de_tentatives(monkeypatch, settings):
    settings.COURRIELS_RELANCE_HEURES = 24
    courriel = courriels.mettre_en_file(["a@exemple.fr"], "Sujet", "Corps")
    Courriel.objects.filter(pk=courriel.pk).update(cree_le=timezone.now() - timedelta(hours=23, minutes=59))
    refus_smtp(monkeypatch)
    with pytest.raises(courriels.EchecEnvoi):
        courriels.envoyer(courriel.pk)
    Courriel.objects.filter(pk=courriel.pk).update(cree_le=timezone.now() - timedelta(hours=24, seconds=1))
    assert courriels.envoyer(courriel.pk) == StatutCourriel.ECHEC  # no exception: the job is not retried
    courriel.refresh_from_db()
    assert courriel.tentatives == 2 and courriel.envoye_le is None


def test_delai_croissant_entre_deux_tentatives():
    assert [delai_avant_relance(n).total_seconds() for n in range(9)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    # About 30 attempts in the first day: the message is given up after a day, not after 60 attempts.
    total, tentatives = 0, 0
    while total < 24 * 3600:
        total += delai_avant_relance(tentatives).total_seconds()
        tentatives += 1
    assert tentatives < RelanceCroissante(max_attempts=200).max_attempts


def test_courriels_en_echec_listes_pour_l_administrateur_national(client, admin_national, agent93):
    en_echec = Courriel.objects.create(destinataires=["x@exemple.fr"], sujet="Invitation perdue", corps="…", statut="echec")
    Courriel.objects.create(
        destinataires=["y@exemple.fr"], sujet="Parti sans souci", corps="…", statut="envoye", envoye_le=timezone.now()
    )
    client.force_login(admin_national)
    page = client.get("/admin/commun/courriel/?statut__exact=echec").content.decode()
    assert en_echec.sujet in page and "Parti sans souci" not in page and "Échec" in page
    client.force_login(agent93)
    assert client.get("/admin/commun/courriel/").status_code in (302, 403)
