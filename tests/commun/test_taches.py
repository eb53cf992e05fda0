"""What a job that follows a row does on an error (commun/taches.py): retried with the row waiting,
then, on the last attempt, the row says it failed; the error is raised again either way."""

import logging
from types import SimpleNamespace

import pytest

from commun.taches import RelanceCroissante, reprise_ou_echec


def test_le_dernier_essai_est_celui_que_la_strategie_ne_relance_pas():
    relances = RelanceCroissante(max_attempts=3)
    for essais_passes in range(5):
        job = SimpleNamespace(attempts=essais_passes)
        relance = relances.get_retry_decision(exception=RuntimeError(), job=job)
        assert relances.dernier_essai(job) == (relance is None) == (essais_passes >= 3)


@pytest.mark.parametrize("dernier_essai,attendu", [(False, ["reprise"]), (True, ["échec : panne"])])
def test_une_erreur_remet_la_ligne_en_attente_ou_la_marque_en_echec_au_dernier_essai(dernier_essai, attendu, caplog):
    faits = []
    with caplog.at_level(logging.ERROR), pytest.raises(RuntimeError, match="panne"):
        with reprise_ou_echec(
            dernier_essai,
            reprise=lambda: faits.append("reprise"),
            echec=lambda erreur: faits.append(f"échec : {erreur}"),
            journal="Archive 7 : échec de la préparation",
        ):
            raise RuntimeError("panne")
    assert faits == attendu
    (trace,) = caplog.records
    assert trace.getMessage() == "Archive 7 : échec de la préparation" and trace.exc_info


def test_sans_erreur_ni_reprise_ni_echec():
    faits = []
    with reprise_ou_echec(True, reprise=lambda: faits.append("reprise"), echec=faits.append, journal="—"):
        pass
    assert faits == []
