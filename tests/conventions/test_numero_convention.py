"""Convention numbers (issue 16, fault 4): their format is checked wherever they are written (model
and admin forms, import, database), and every download name is built from a safe slug."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from commun.exports import reponse_export
from commun.noms_fichiers import nom_de_fichier
from conventions.models import Convention
from conventions.views import nom_fichier_pdf
from tests.factories import ConventionFactory, QuartierFactory, departement
from tests.outils_import import csv_octets, importer, ligne_poste

pytestmark = pytest.mark.django_db

HOSTILES = [
    "CONV\r\n2023",
    "2023/093/001",
    "..",
    "../../etc/passwd",
    'CONV"2023',
    "CONV'2023",
    "CONV 2023",
    "-CONV",
    "CONVÉ",
    "CONV;2023",
    "a\\b",
    "C" * 31,
    "",
]
NOM_SUR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@pytest.mark.parametrize("numero", HOSTILES)
def test_la_base_refuse_un_numero_de_convention_mal_forme(numero):
    convention = ConventionFactory()
    with transaction.atomic(), pytest.raises((IntegrityError, DataError)):
        Convention.objects.filter(pk=convention.pk).update(numero=numero)


@pytest.mark.parametrize("numero", ["09324R000101-1", "CONV-2023-001", "c_12", "A"])
def test_numeros_conformes_acceptes(numero):
    ConventionFactory(numero=numero).full_clean()


@pytest.mark.parametrize("numero", HOSTILES[:-1])
def test_le_formulaire_du_modele_refuse_le_numero_en_francais(numero):
    convention = ConventionFactory()
    convention.numero = numero
    with pytest.raises(ValidationError) as erreur:
        convention.full_clean()
    assert "lettres sans accent, chiffres" in " ".join(erreur.value.message_dict["numero"])


def test_l_administration_refuse_le_numero_en_francais(client, admin_national):
    convention = ConventionFactory(statut="projet")
    client.force_login(admin_national)
    url = reverse("admin:conventions_convention_change", args=[convention.pk])
    page = client.get(url)
    assert page.status_code == 200
    donnees = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    donnees.update(
        numero="2023/093\r\n..",
        poste=convention.poste.pk,
        date_debut="01/01/2024",
        date_fin="31/12/2026",
        statut="projet",
        rang="initiale",
        heures_hebdomadaires="35",
    )
    reponse = client.post(url, donnees)
    assert reponse.status_code == 200
    assert "lettres sans accent, chiffres" in reponse.content.decode()
    convention.refresh_from_db()
    assert convention.numero != "2023/093\r\n.."


@pytest.mark.parametrize("numero", ["2023/093/001", "CONV 2023", 'CONV"1', "..", "a\nb"])
def test_l_import_rejette_le_numero_sur_sa_ligne(numero):
    QuartierFactory(code="QN09339M", departement=departement("93"))
    rapport = importer(csv_octets([ligne_poste(Convention=numero)]))
    assert rapport.rejetes == 1 and not rapport.ecrit
    assert any(e.colonne == "Convention" and "lettres sans accent" in e.message for e in rapport.erreurs)
    assert not Convention.objects.exists()


@pytest.mark.parametrize("texte", [*HOSTILES, "Conventions signées 2026", "\u202e\u0000x", "é" * 300])
def test_nom_de_fichier_toujours_sur(texte):
    nom = nom_de_fichier(texte, ".pdf")
    base = nom[: -len(".pdf")]
    assert NOM_SUR.match(base) and ".." not in nom and len(base) <= 90, nom
    assert nom.endswith(".pdf")


def test_nom_de_fichier_refuse_une_extension_hostile():
    with pytest.raises(ValueError):
        nom_de_fichier("x", '.pdf"\r\nSet-Cookie: a=b')


def test_nom_du_pdf_et_des_entrees_zip_sur_meme_pour_un_numero_ancien_hors_format():
    """A number written before the constraint (kept by no row now, but a Convention in memory can hold
    anything): the name of its PDF is still a safe slug."""
    convention = Convention(numero='../"a"\r\nb/..', date_debut=date(2024, 1, 1))
    for signe in (True, False):
        nom = nom_fichier_pdf(convention, signe)
        assert NOM_SUR.match(nom) and "/" not in nom and '"' not in nom and "\n" not in nom and ".." not in nom


def test_les_exports_ont_un_nom_sur():
    reponse = reponse_export('Postes "93"\r\n../..', ["a"], [[1]], "csv")
    assert reponse["Content-Disposition"] == 'attachment; filename="postes-93.csv"'
