"""Property-based tests (Hypothesis, issue 16 « Also »): the pure rules hold for every input, and the
import parser answers any text in any cell with a row or a named rejection, never an exception."""

import string
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from employeurs.regles import SIREN_LA_POSTE, erreur_siret, luhn_valide, normaliser_siret
from financements.regles import AideImpossible, arrondir_au_centime, calculer_aide, repartir_au_centime
from importation import valeurs as v
from importation.lecture import FichierIllisible, lire_table
from postes.exports import CHAMPS
from tests.outils_import import csv_octets, importer, json_octets, ligne_anct, ligne_poste, xlsx_octets
from titulaires.regles import RegleAge, age_le, critere_age, date_des_ans

REGLAGES = settings(
    deadline=None,
    database=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BAREME = [
    (date(2020, 7, 1), Decimal("19875.06")),
    (date(2021, 7, 1), Decimal("20071.82")),
    (date(2022, 7, 1), Decimal("21254.00")),
    (date(2023, 7, 1), Decimal("22555.73")),
    (date(2024, 7, 1), Decimal("22810.61")),
]
dates_couvertes = st.dates(min_value=date(2020, 7, 1), max_value=date(2029, 12, 31))
heures = st.integers(min_value=1750, max_value=3500).map(lambda h: Decimal(h) / 100)


# --- Aid (D5134-158 to D5134-160) ------------------------------------------------------------------


@REGLAGES
@given(debut=dates_couvertes, duree=st.integers(0, 1200), h=heures)
def test_aide_les_mois_font_exactement_le_total_arrondi_et_jamais_plus_qu_un_temps_plein(debut, duree, h):
    fin = debut + timedelta(days=duree)
    echeancier = calculer_aide(debut, fin, BAREME, h)
    assert sum(m.montant for m in echeancier.mois) == echeancier.total
    assert echeancier.total >= 0 and all(m.montant >= 0 for m in echeancier.mois)
    # A month is worth at most A / 12 × h / 35, and a day at most that over 28 days.
    plafond = max(t for _, t in BAREME) / 12 * h / 35 * min(Decimal(duree + 1) / 28, len(echeancier.mois))
    assert echeancier.total <= plafond + Decimal("0.01")


@REGLAGES
@given(debut=dates_couvertes, duree=st.integers(0, 800), h1=heures, h2=heures)
def test_aide_croit_avec_les_heures(debut, duree, h1, h2):
    fin = debut + timedelta(days=duree)
    petit, grand = sorted([h1, h2])
    assert calculer_aide(debut, fin, BAREME, petit).total <= calculer_aide(debut, fin, BAREME, grand).total


@REGLAGES
@given(debut=dates_couvertes, a=st.integers(0, 500), b=st.integers(1, 500), h=heures)
def test_aide_d_une_periode_coupee_en_deux_a_un_centime_pres(debut, a, b, h):
    milieu = debut + timedelta(days=a)
    fin = milieu + timedelta(days=b)
    entier = calculer_aide(debut, fin, BAREME, h).total
    morceaux = calculer_aide(debut, milieu, BAREME, h).total + calculer_aide(milieu + timedelta(days=1), fin, BAREME, h).total
    assert abs(entier - morceaux) <= Decimal("0.01")


@REGLAGES
@given(annee=st.integers(2020, 2028))
def test_aide_une_annee_complete_a_temps_plein_donne_le_bareme(annee):
    taux = max((t for d, t in BAREME if d <= date(annee, 7, 1)))
    assert calculer_aide(date(annee, 7, 1), date(annee + 1, 6, 30), BAREME, Decimal("35")).total == taux


@REGLAGES
@given(debut=st.dates(), fin=st.dates(), h=st.decimals(allow_nan=False, allow_infinity=False, places=3))
def test_aide_refuse_en_francais_ce_qu_elle_ne_peut_calculer(debut, fin, h):
    try:
        calculer_aide(debut, fin, BAREME, h)
    except AideImpossible as exc:
        assert str(exc) and str(exc)[0].isupper()


@REGLAGES
@given(st.fractions(min_value=-(10**9), max_value=10**9))
def test_arrondi_au_centime_a_un_demi_centime_pres(x):
    assert abs(Fraction(arrondir_au_centime(x)) - x) <= Fraction(1, 200)


@REGLAGES
@given(st.lists(st.fractions(min_value=0, max_value=10**6, max_denominator=10**6), max_size=40))
def test_repartition_cumulee_somme_exacte(montants):
    assert sum(repartir_au_centime(montants), Decimal("0.00")) == arrondir_au_centime(sum(montants, Fraction(0)))


# --- Eligibility: age on the day the contract is signed (L5134-102, D5134-155) -----------------------

REGLES_AGE = [RegleAge(date(1999, 1, 1), 30), RegleAge(date(2021, 9, 16), 26)]


@REGLAGES
@given(naissance=st.dates(min_value=date(1900, 1, 1)), contrat=st.dates(min_value=date(1900, 1, 1)))
@example(naissance=date(9974, 1, 1), contrat=date(9974, 1, 1))  # 26 years later does not exist
def test_critere_d_age_suit_la_regle_en_vigueur_au_contrat(naissance, contrat):
    assume(naissance <= contrat)
    critere, regle = critere_age(naissance, contrat, REGLES_AGE)
    if contrat < date(1999, 1, 1):
        assert regle is None and not critere.ok
    else:
        minimum = 26 if contrat >= date(2021, 9, 16) else 30
        assert regle.age_minimum == minimum
        assert critere.ok == (age_le(naissance, contrat) >= minimum)
    assert critere.motif


@REGLAGES
@given(naissance=st.dates(max_value=date(9000, 12, 31)), ans=st.integers(0, 120))
def test_on_a_n_ans_le_jour_anniversaire_et_pas_la_veille(naissance, ans):
    jour = date_des_ans(naissance, ans)
    assert age_le(naissance, jour) == ans
    if ans and jour > naissance:
        assert age_le(naissance, jour - timedelta(days=1)) == ans - 1


# --- SIRET (Luhn, La Poste rule) -------------------------------------------------------------------


def avec_cle(debut13: str) -> str:
    return next(debut13 + c for c in string.digits if luhn_valide(debut13 + c))


sirets_valides = st.text(string.digits, min_size=13, max_size=13).filter(lambda s: not s.startswith(SIREN_LA_POSTE)).map(avec_cle)


@REGLAGES
@given(st.text())
@example("٧٧٥٥٤٤٠٢٦٠١٢٨٤")  # Arabic-Indic digits: isdigit() but not a SIRET
@example("７７５５４４０２６０１２８４")
def test_un_siret_accepte_est_fait_de_14_chiffres_ascii(texte):
    message = erreur_siret(texte)
    if message is None:
        siret = normaliser_siret(texte)
        assert len(siret) == 14 and siret.isascii() and siret.isdigit()
    else:
        assert message.startswith("Le SIRET")


@REGLAGES
@given(sirets_valides, st.integers(0, 13), st.integers(1, 9))
def test_changer_un_chiffre_d_un_siret_le_rend_invalide(siret, position, delta):
    assert erreur_siret(siret) is None
    faux = siret[:position] + str((int(siret[position]) + delta) % 10) + siret[position + 1 :]
    assume(not faux.startswith(SIREN_LA_POSTE))
    assert erreur_siret(faux) is not None


@REGLAGES
@given(sirets_valides, st.sampled_from([" ", ".", "-", "\u00a0"]))
def test_siret_saisi_avec_espaces_ou_points_reste_valide(siret, separateur):
    saisi = f"{siret[:3]}{separateur}{siret[3:6]}{separateur}{siret[6:9]}{separateur}{siret[9:]}"
    assert erreur_siret(saisi) is None and normaliser_siret(saisi) == siret


# --- Cell readers: a value or a French ValeurInvalide, never anything else ------------------------

cellules = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="0123456789 ,.-+eE€'\u00a0\u202f/:T", max_size=40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.datetimes(),
    st.dates(),
)
LECTEURS = [
    v.lire_montant,
    v.lire_date,
    v.lire_annee,
    v.lire_heures,
    v.lire_identifiant,
    v.normaliser_departement,
    v.separer_codes,
    v.separer_liste,
    v.texte,
]


@REGLAGES
@given(cellule=cellules, lecteur=st.sampled_from(LECTEURS))
@example(cellule="1e400", lecteur=v.lire_montant)
@example(cellule=float("nan"), lecteur=v.lire_heures)
@example(cellule="NaN", lecteur=v.lire_heures)
@example(cellule=date(9999, 12, 31), lecteur=v.lire_date)
def test_chaque_lecteur_rend_une_valeur_ou_un_refus_en_francais(cellule, lecteur):
    try:
        valeur = lecteur(cellule)
    except v.ValeurInvalide as exc:
        assert str(exc) and len(str(exc)) < 1000
        return
    if lecteur is v.lire_montant:
        assert valeur.is_finite() and 0 <= valeur < v.MONTANT_PLAFOND and valeur == valeur.quantize(Decimal("0.01"))
    elif lecteur is v.lire_date:
        assert v.ANNEE_MIN <= valeur.year <= v.ANNEE_MAX
    elif lecteur is v.lire_heures:
        assert Decimal("17.5") <= valeur <= 35


# --- The import parser ------------------------------------------------------------------------------


def verifier_rapport(rapport, entetes):
    assert rapport.lignes == rapport.crees + rapport.mis_a_jour + rapport.inchanges + rapport.rejetes
    for e in rapport.erreurs:
        assert e.colonne in entetes or e.colonne in {nom for nom, _ in CHAMPS.values()}, e
        assert e.message and len(e.message) < 1000


def importer_sans_rien_garder(contenu, nom):
    """A real import (written, then rolled back): the database checks every value the engine lets through."""
    try:
        with transaction.atomic():
            rapport = importer(contenu, nom=nom, partiel=True)
            transaction.set_rollback(True)
    except FichierIllisible as exc:
        assert str(exc)
        return None
    return rapport


@pytest.mark.django_db
@REGLAGES
@given(
    modele=st.sampled_from(["poste", "anct"]),
    donnees=st.data(),
    texte=st.text(max_size=200),
    format_=st.sampled_from(["csv", "json", "xlsx"]),
)
def test_tout_texte_dans_toute_cellule_donne_une_ligne_ou_un_rejet_nomme(modele, donnees, texte, format_):
    ligne = ligne_poste() if modele == "poste" else ligne_anct()
    colonne = donnees.draw(st.sampled_from(sorted(ligne)))
    ligne[colonne] = texte
    if format_ == "csv":
        contenu, nom = csv_octets([ligne]), "f.csv"
    elif format_ == "json":
        contenu, nom = json_octets([ligne]), "f.json"
    else:
        assume(not any(ord(c) < 32 and c not in "\t\n\r" for c in texte))  # Excel cannot hold them
        contenu, nom = xlsx_octets([ligne]), "f.xlsx"
    rapport = importer_sans_rien_garder(contenu, nom)
    if rapport is not None:
        verifier_rapport(rapport, list(ligne))
        assert rapport.lignes in (0, 1)
        if rapport.rejetes:
            assert rapport.erreurs


@pytest.mark.django_db
@REGLAGES
@given(valeur=cellules, colonne=st.sampled_from(sorted(ligne_poste())))
@example(valeur="x\x00y", colonne="Raison sociale")  # PostgreSQL refuses NUL in a text
@example(valeur="\ud800", colonne="Intitulé")  # a lone surrogate: no UTF-8 text can hold it
def test_toute_valeur_json_dans_toute_cellule_donne_une_ligne_ou_un_rejet_nomme(valeur, colonne):
    import json

    ligne = ligne_poste()
    ligne[colonne] = valeur
    contenu = json.dumps([ligne], default=str).encode()
    rapport = importer_sans_rien_garder(contenu, "f.json")
    if rapport is not None:
        verifier_rapport(rapport, list(ligne))


@REGLAGES
@given(st.binary(max_size=3000))
@example(b"PK\x03\x04" + b"\x00" * 100)
@example(b"[" * 5000)
@example(b"\xef\xbb\xbf\xff")  # a UTF-8 BOM, then no UTF-8
@example(b"\xff\xfe\x00\xd8")  # a UTF-16 BOM, then a lone surrogate
@example(b'["\\ud800"]')
@example(b"\xff\xfe" + "id_poste;code_tiers\r\n".encode("utf-16-le"))
def test_tout_fichier_est_lu_ou_refuse_en_francais(contenu):
    try:
        table = lire_table(contenu)
    except FichierIllisible as exc:
        assert str(exc)
    else:
        assert all(isinstance(numero, int) for numero, _ in table.lignes)


@REGLAGES
@given(st.integers(10, 3000))
def test_un_xlsx_tronque_n_importe_ou_est_refuse_en_francais(coupe):
    complet = xlsx_octets([ligne_anct()] * 5)
    try:
        lire_table(complet[:coupe], "f.xlsx")
    except FichierIllisible as exc:
        assert "Classeur" in str(exc) or "vide" in str(exc)
