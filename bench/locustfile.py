"""Agents browsing all day: lists with filters, detail pages, dashboard (used by bench/charge.py).

The scenario file (env BENCH_SCENARIO) lists the accounts and, for each, identifiers it may open."""

import hashlib
import hmac
import json
import os
import random
import re
import struct
import time

import gevent
from locust import HttpUser, between, task

SCENARIO = json.loads(open(os.environ["BENCH_SCENARIO"], encoding="utf-8").read())
PAGES = SCENARIO["pages"]  # the optional pages present in this build (dashboard, requests inbox…)
_comptes = iter(range(10**9))
_etapes = {"connectes": 0, "echauffes": 0, "mesure": False}


def barriere(etape: str, attendus: int):
    _etapes[etape] += 1
    while _etapes[etape] < attendus:
        gevent.sleep(0.2)


def demarrer_la_mesure(user):
    """Measure the steady state only: once every simulated agent is signed in (the sign-in burst is
    password hashing) and has opened every page once (each gunicorn worker compiles its templates
    and fills its caches on first use, as a long-running server does once)."""
    attendus = user.environment.runner.target_user_count
    barriere("connectes", attendus)
    for _ in range(2):
        for tache in user.taches_d_echauffement():
            tache()
    barriere("echauffes", attendus)
    if not _etapes["mesure"]:
        _etapes["mesure"] = True
        user.environment.runner.stats.reset_all()
        # the measured duration starts now
        gevent.spawn_later(int(os.environ["BENCH_DUREE"]), user.environment.runner.quit)


class Agent(HttpUser):
    wait_time = between(0.5, 1.5)

    def choisir_compte(self):
        return SCENARIO["agents"][next(_comptes) % len(SCENARIO["agents"])]

    def on_start(self):
        self.compte = self.choisir_compte()
        page = self.client.get("/comptes/connexion/", name="connexion")
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        reponse = self.client.post(
            "/comptes/connexion/",
            {"username": self.compte["email"], "password": SCENARIO["mot_de_passe"], "csrfmiddlewaretoken": jeton},
            headers={"Referer": self.host + "/comptes/connexion/"},
            name="connexion",
        )
        if "double-facteur/verification" in reponse.url:
            reponse = self.second_facteur(reponse)
        if "Se déconnecter" not in reponse.text:
            raise RuntimeError(f"Connexion impossible pour {self.compte['email']}")
        demarrer_la_mesure(self)

    def taches_d_echauffement(self):
        return [
            self.liste_postes,
            self.liste_postes_filtree,
            self.detail_poste,
            self.liste_conventions,
            self.detail_convention,
            self.liste_employeurs,
            self.detail_employeur,
            self.tableau_de_bord,
            self.demandes,
        ]

    def second_facteur(self, page):
        """National administrators give a TOTP code (RFC 6238) computed from their device's key."""
        cle = bytes.fromhex(self.compte["cle_totp"])
        compteur = struct.pack(">Q", int(time.time()) // 30)
        empreinte = hmac.new(cle, compteur, hashlib.sha1).digest()
        decalage = empreinte[-1] & 0x0F
        code = (struct.unpack(">I", empreinte[decalage : decalage + 4])[0] & 0x7FFFFFFF) % 1_000_000
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.client.post(
            page.url, {"code": f"{code:06d}", "csrfmiddlewaretoken": jeton}, headers={"Referer": page.url}, name="connexion"
        )

    @task(4)
    def liste_postes(self):
        self.client.get("/postes/", name="liste des postes")

    @task(4)
    def liste_postes_filtree(self):
        parametres = {"departement": random.choice(self.compte["departements"]), "statut": "actif"}
        if random.random() < 0.5:
            parametres["q"] = random.choice(["mediation", "structure", "quartier"])
        if random.random() < 0.3:
            parametres["page"] = 2
        self.client.get("/postes/", params=parametres, name="liste des postes filtrée")

    @task(6)
    def detail_poste(self):
        self.client.get(f"/postes/{random.choice(self.compte['postes'])}/", name="fiche poste")

    @task(2)
    def liste_conventions(self):
        self.client.get("/conventions/", params={"statut": "en_cours"}, name="liste des conventions")

    @task(3)
    def detail_convention(self):
        self.client.get(f"/conventions/{random.choice(self.compte['conventions'])}/", name="fiche convention")

    @task(2)
    def liste_employeurs(self):
        self.client.get("/employeurs/", params={"q": "structure 1"}, name="liste des employeurs")

    @task(2)
    def detail_employeur(self):
        self.client.get(f"/employeurs/{random.choice(self.compte['employeurs'])}/", name="fiche employeur")

    @task(2)
    def tableau_de_bord(self):
        if "tableau_de_bord" in PAGES:
            self.client.get(PAGES["tableau_de_bord"], name="tableau de bord")

    @task(2)
    def demandes(self):
        if "demandes" in PAGES:
            self.client.get(PAGES["demandes"], name="demandes")


class AdministrateurNational(Agent):
    """One national administrator looks at the national dashboard."""

    fixed_count = 1

    def choisir_compte(self):
        return SCENARIO["admin"]

    @task(5)
    def tableau_de_bord_national(self):
        if "tableau_de_bord" in PAGES:
            self.client.get(PAGES["tableau_de_bord"], name="tableau de bord national")
