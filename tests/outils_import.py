"""Helpers shared by the import tests: small files written in every format, and the import page
driven as a person would, the worker's job bodies run in between (importation/suivi.py; with a real
worker process: tests/importation/test_import_worker.py)."""

import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from importation import suivi
from importation.lecture import lire_table
from importation.models import ImportPostes
from importation.moteur import Perimetre
from importation.services import importer_postes

SIRET_ALFA = "77554402601284"  # real SIRETs of ANCT's register (valid Luhn keys)
SIRET_IFAC = "33273739400434"
SIRET_CLE_FAUSSE = "77554402601285"

ENTETES_ANCT = ["id_poste", "code_tiers", "raison_sociale", "annee", "montant", "code_cv", "insee_dep", "insee_reg"]


def ligne_poste(**changes):
    """A valid line of our own export format (post in 93), as header → cell."""
    ligne = {
        "Identifiant": "09323R000101",
        "Intitulé": "Médiateur école-familles",
        "SIRET": SIRET_ALFA,
        "Raison sociale": "Association Médiation Plaine",
        "Forme juridique": "Association loi de 1901 ou de droit local",
        "Département": "93",
        "Quartiers (codes QPV)": "QN09339M",
        "Domaines": "mediation-scolaire",
        "Heures hebdomadaires": "35",
        "Missions": "Accueil des familles",
        "Statut": "Actif",
        "Convention": "CONV-2023-001",
        "Début de convention": "01/03/2023",
        "Fin de convention": "28/02/2026",
        "Signature de la convention": "15/02/2023",
        "Statut de la convention": "En cours",
    }
    ligne.update(changes)
    return ligne


def ligne_anct(**changes):
    ligne = {
        "id_poste": "09323R000101",
        "code_tiers": SIRET_ALFA,
        "raison_sociale": "ASSOCIATION MEDIATION PLAINE",
        "annee": 2023,
        "montant": 22555.73,
        "code_cv": "CV123",
        "insee_dep": "93",
        "insee_reg": "11",
    }
    ligne.update(changes)
    return ligne


def _grille(lignes):
    entetes = list(lignes[0])
    for ligne in lignes[1:]:
        entetes += [e for e in ligne if e not in entetes]
    return entetes, [[ligne.get(e, "") for e in entetes] for ligne in lignes]


def csv_octets(lignes, sep=";", encodage="utf-8", bom=False):
    entetes, grille = _grille(lignes)
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=sep, lineterminator="\r\n")
    ecrivain.writerow(entetes)
    ecrivain.writerows([["" if c is None else str(c) for c in ligne] for ligne in grille])
    contenu = tampon.getvalue().encode(encodage)
    return ("\ufeff".encode() + contenu) if bom else contenu


def xlsx_octets(lignes):
    entetes, grille = _grille(lignes)
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(entetes)
    for ligne in grille:
        feuille.append(ligne)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def json_octets(lignes):
    return json.dumps(lignes, ensure_ascii=False).encode()


def importer(contenu, utilisateur=None, departements=None, nom="fichier.csv", **options):
    return importer_postes(lire_table(contenu, nom), Perimetre(utilisateur, departements), utilisateur=utilisateur, **options)


def messages(rapport):
    return [(e.ligne, e.colonne, e.message) for e in rapport.erreurs]


URL_PAGE = reverse("importation:importer")


def deposer_sur_la_page(client, contenu, nom="registre.csv"):
    """Upload on the page, then let the worker's preview step run: (the import, its page)."""
    reponse = client.post(URL_PAGE, {"fichier": SimpleUploadedFile(nom, contenu, content_type="text/csv")})
    assert reponse.status_code == 302, reponse.content.decode()[-2000:]
    imp = ImportPostes.objects.latest("pk")
    assert reponse.url == reverse("importation:suivi", args=[imp.pk])
    suivi.analyser(imp.pk)
    return imp, client.get(reponse.url)


def confirmer_sur_la_page(client, imp, partiel=False):
    """Confirm the preview, then let the worker's write step run: the import's page after it (or the
    refusal, when the confirmation is refused)."""
    url = reverse("importation:suivi", args=[imp.pk])
    reponse = client.post(url, {"partiel": "on"} if partiel else {})
    if reponse.status_code != 302:
        return reponse
    suivi.ecrire(imp.pk)
    return client.get(url)
