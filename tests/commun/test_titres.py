"""Titles read correctly in a sentence and at the start of a line (issue 23, defect 4):
« Signée pour l’État par le préfet de la Seine-Saint-Denis », never « par Le préfet »."""

from datetime import date

import pytest
from django.urls import reverse

from commun.titres import titre_dans_une_phrase, titre_en_debut_de_ligne
from conventions.pdf import le_prefet_de, rendre_pdf
from conventions.services.cycle import signer
from quartiers.models import Departement
from tests.factories import ConventionFactory
from tests.lecture_pdf import texte_pdf


@pytest.mark.parametrize(
    "titre, dans_une_phrase, en_debut",
    [
        ("Le préfet de la Seine-Saint-Denis", "le préfet de la Seine-Saint-Denis", "Le préfet de la Seine-Saint-Denis"),
        ("la préfète du Rhône", "la préfète du Rhône", "La préfète du Rhône"),
        ("L’adjoint au préfet", "l’adjoint au préfet", "L’adjoint au préfet"),
        ("Préfet de La Réunion", "préfet de La Réunion", "Préfet de La Réunion"),
        ("Le préfet, Jeanne Martin", "le préfet, Jeanne Martin", "Le préfet, Jeanne Martin"),
        ("Jeanne Martin, préfète", "Jeanne Martin, préfète", "Jeanne Martin, préfète"),
        ("Lena Durand, secrétaire générale", "Lena Durand, secrétaire générale", "Lena Durand, secrétaire générale"),
        ("Sous-préfète à la ville", "sous-préfète à la ville", "Sous-préfète à la ville"),
    ],
)
def test_un_titre_dans_une_phrase_et_en_debut_de_ligne(titre, dans_une_phrase, en_debut):
    assert titre_dans_une_phrase(titre) == dans_une_phrase
    assert titre_en_debut_de_ligne(titre) == en_debut


@pytest.mark.django_db
def test_le_signataire_propose_est_le_prefet_du_departement():
    assert le_prefet_de(Departement.objects.get(code="69")) == "Le préfet du Rhône"


@pytest.mark.django_db
def test_page_et_pdf_de_la_convention_signee_par_le_prefet(client, poste93, agent93, media):
    convention = ConventionFactory(poste=poste93, date_debut=date(2024, 7, 1), date_fin=date(2027, 6, 30))
    convention = signer(
        convention,
        date_signature=date(2024, 6, 20),
        signataire="Le préfet de la Seine-Saint-Denis",
        aujourd_hui=date(2024, 6, 25),
    )
    client.force_login(agent93)
    page = client.get(reverse("conventions:detail", args=[convention.pk])).content.decode()
    assert "Signée pour l’État par le préfet de la Seine-Saint-Denis." in page
    assert "par Le préfet" not in page
    assert convention.history.filter(history_change_reason__contains="par le préfet de la Seine-Saint-Denis").exists()
    texte = texte_pdf(rendre_pdf(convention))
    assert "représenté par le préfet de la Seine-Saint-Denis" in texte
    assert "Pour l’État, Le préfet de la Seine-Saint-Denis" in texte


@pytest.mark.django_db
def test_pdf_signe_en_minuscule_commence_par_une_capitale(poste93, media):
    convention = ConventionFactory(
        poste=poste93, statut="signee", date_signature=date(2024, 6, 20), signataire="le préfet, Jeanne Martin"
    )
    assert "Pour l’État, Le préfet, Jeanne Martin" in texte_pdf(rendre_pdf(convention))
