"""One JSON line per request on stdout (issue 22, § 4): method, path without its query string,
status, duration, request id (the front server's `X-Request-ID`, or a new one, sent back) and user
id; never an e-mail address, a name, a cookie or the query string."""

import io
import json
import logging
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from commun.journal import FormatJSON, FormatTexte

pytestmark = pytest.mark.django_db


def gestionnaire_du_journal() -> logging.Handler:
    """The handler LOGGING gives the request log (pytest adds its own capturing ones beside it)."""
    journal = logging.getLogger("adultes_relais.requetes")
    (gestionnaire,) = [h for h in journal.handlers if isinstance(h.formatter, FormatJSON | FormatTexte)]
    return gestionnaire


@pytest.fixture
def lignes():
    """The lines written by the request log's own handler (the one LOGGING sends to stdout), in JSON."""
    gestionnaire = gestionnaire_du_journal()
    flux = io.StringIO()
    ancien_flux, ancien_format = gestionnaire.setStream(flux), gestionnaire.formatter
    gestionnaire.setFormatter(FormatJSON())
    yield lambda: [json.loads(ligne) for ligne in flux.getvalue().splitlines()]
    gestionnaire.setStream(ancien_flux)
    gestionnaire.setFormatter(ancien_format)


def test_journal_des_requetes_sur_la_sortie_standard_en_json_hors_developpement():
    assert settings.LOGGING["handlers"]["requetes"]["stream"] == "ext://sys.stdout"
    assert settings.LOG_FORMAT == "json"  # DEBUG is off in the tests, as in production
    assert isinstance(gestionnaire_du_journal().formatter, FormatJSON)


def test_une_ligne_par_requete_sans_adresse_ni_nom_ni_parametres(client, agent93, lignes):
    agent93.prenom, agent93.nom = "Bérénice", "Quintard"
    agent93.save()
    client.force_login(agent93)
    reponse = client.get(
        f"{reverse('postes:liste')}?q=Quintard&email={agent93.email}", headers={"X-Request-ID": "frontal-4f2a.17"}
    )

    (ligne,) = lignes()
    assert {"time", "level", "logger", "method", "path", "status", "duration_ms", "request_id", "user_id"} <= set(ligne)
    assert ligne["method"] == "GET"
    assert ligne["path"] == reverse("postes:liste")
    assert ligne["status"] == reponse.status_code == 200
    assert ligne["duration_ms"] >= 0
    assert ligne["request_id"] == reponse["X-Request-ID"] == "frontal-4f2a.17"
    assert ligne["user_id"] == agent93.pk
    texte = json.dumps(ligne, ensure_ascii=False)
    for secret in (agent93.email, "Quintard", "Bérénice", "?", client.cookies[settings.SESSION_COOKIE_NAME].value):
        assert secret not in texte


def test_identifiant_de_requete_cree_quand_le_frontal_n_en_donne_pas_ou_un_douteux(client, lignes):
    sans = client.get(reverse("comptes:connexion"))
    douteux = client.get(reverse("comptes:connexion"), headers={"X-Request-ID": "x\nfaux=1 " + "a" * 300})
    premiere, seconde = lignes()
    assert uuid.UUID(sans["X-Request-ID"]).version == 4
    assert premiere["request_id"] == sans["X-Request-ID"]
    assert uuid.UUID(douteux["X-Request-ID"]).version == 4 and seconde["request_id"] == douteux["X-Request-ID"]
    assert premiere["request_id"] != seconde["request_id"]
    assert premiere["user_id"] is None


def test_un_envoi_de_formulaire_est_journalise_sans_son_contenu(client, agent93, lignes):
    reponse = client.post(reverse("comptes:connexion"), {"username": agent93.email, "password": "mauvais-mot-de-passe"})
    (ligne,) = lignes()
    assert ligne["method"] == "POST" and ligne["status"] == reponse.status_code
    assert agent93.email not in json.dumps(ligne) and "mauvais-mot-de-passe" not in json.dumps(ligne)


def test_page_introuvable_journalisee_avec_son_statut(client, lignes):
    client.get("/nulle-part/?nom=Quintard")
    (ligne,) = lignes()
    assert ligne["status"] == 404 and ligne["path"] == "/nulle-part/"


def test_format_texte_pour_le_developpement():
    enregistrement = logging.makeLogRecord(
        {
            "name": "adultes_relais.requetes",
            "levelname": "INFO",
            "msg": "requête",
            "requete": {"method": "GET", "path": "/", "status": 200, "duration_ms": 3.2, "request_id": "r1", "user_id": None},
        }
    )
    assert FormatTexte().format(enregistrement) == "GET / 200 3.2 ms id=r1 utilisateur=-"
