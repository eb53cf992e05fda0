"""The convention PDF: content required by D5134-151, PROJET preview, signed archive generated once
and served unchanged (same SHA-256), and the `convention_pdf` command."""

import hashlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import dsfr
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from commun.stockage import ecrire_fichier, lire_fichier
from conventions.models import Convention
from conventions.pdf import DEVISE_THEME_SOMBRE, feuille_du_logo, prefet_de, rendre_pdf
from conventions.services.cycle import PdfAltere, lire_pdf_stocke, signer
from postes.models import DomaineMediation, Poste
from quartiers.models import Departement
from tests.factories import ConventionFactory, EmployeurFactory, PosteFactory, QuartierFactory
from tests.lecture_pdf import defauts_du_texte, verifier_pdf_lisible

pytestmark = pytest.mark.django_db


def texte(pdf: bytes) -> str:
    """The text a person reads, after checking it shows no template syntax, no None, no nan."""
    return verifier_pdf_lisible(pdf)


@pytest.fixture
def convention(poste93, media):
    poste93.intitule = "Médiateur école-familles"
    poste93.missions = "Faciliter le dialogue entre les familles et l’école."
    poste93.save()
    poste93.quartiers.add(QuartierFactory(code="QN09339M", nom="Floréal Saussaie Allende"))
    return ConventionFactory(
        poste=poste93,
        numero="09324R000101-1",
        date_debut=date(2024, 7, 1),
        date_fin=date(2027, 6, 30),
        heures_hebdomadaires=Decimal("24.5"),
        derogation_residence=True,
        motif_derogation="Personne relogée hors QPV en cours de recrutement.",
    )


def test_le_pdf_contient_employeur_poste_heures_montant_et_dates(client, convention, membre93):
    client.force_login(membre93)
    reponse = client.get(reverse("conventions:pdf", args=[convention.pk]))
    assert reponse["Content-Type"] == "application/pdf"
    contenu = texte(reponse.content)
    assert convention.poste.employeur.raison_sociale in contenu
    assert convention.poste.identifiant in contenu and "Médiateur école-familles" in contenu
    assert "Floréal Saussaie Allende (QN09339M" in contenu
    assert "24,5 heures" in contenu and "70 % d’un temps plein" in contenu
    # barème au 1er juillet 2024 : 22 810,61 € ; pour 24,5 heures : × 0,7 = 15 967,43 €
    assert "22 810,61 €" in contenu and "15 967,43 €" in contenu
    assert "01/07/2024" in contenu and "30/06/2027" in contenu
    assert "Personne relogée hors QPV" in contenu
    assert "Préfet de la Seine-Saint-Denis".upper() in contenu.upper()


def test_avant_signature_l_apercu_est_marque_projet(client, convention, agent93):
    client.force_login(agent93)
    reponse = client.get(reverse("conventions:pdf", args=[convention.pk]))
    assert reponse["Content-Disposition"] == 'attachment; filename="convention-09324R000101-1-projet.pdf"'
    assert "PROJET" in texte(reponse.content)
    assert not Convention.objects.get(pk=convention.pk).pdf


def test_le_pdf_signe_est_archive_une_fois_et_servi_tel_quel(client, convention, agent93):
    convention = signer(
        convention, date_signature=date(2024, 6, 20), signataire="Le préfet, Jeanne Martin", aujourd_hui=date(2024, 6, 25)
    )
    empreinte = convention.pdf_sha256
    client.force_login(agent93)
    premier = client.get(reverse("conventions:pdf", args=[convention.pk])).content
    assert hashlib.sha256(premier).hexdigest() == empreinte
    assert "PROJET" not in texte(premier) and "Le préfet, Jeanne Martin" in texte(premier)
    # Les données du poste changent ensuite : le PDF signé, lui, ne change pas.
    Poste.objects.filter(pk=convention.poste_id).update(missions="Tout autre chose.")
    second = client.get(reverse("conventions:pdf", args=[convention.pk])).content
    assert second == premier
    assert Convention.objects.get(pk=convention.pk).pdf_sha256 == empreinte


def alterer(convention):
    """Overwrite the stored object through its storage, as someone with access to the disk or bucket could."""
    contenu = lire_fichier(convention.pdf.name) + b"%"
    ecrire_fichier(convention.pdf.name, contenu)


def test_un_pdf_archive_altere_est_detecte(convention):
    convention = signer(convention, date_signature=date(2024, 6, 20), signataire="Le préfet", aujourd_hui=date(2024, 6, 25))
    alterer(convention)
    with pytest.raises(PdfAltere, match="ne correspond plus à son empreinte"):
        lire_pdf_stocke(convention)


def test_un_pdf_archive_altere_n_est_pas_servi_et_la_page_le_dit(client, agent93, convention):
    convention = signer(convention, date_signature=date(2024, 6, 20), signataire="Le préfet", aujourd_hui=date(2024, 6, 25))
    alterer(convention)
    client.force_login(agent93)
    reponse = client.get(reverse("conventions:pdf", args=[convention.pk]), follow=True)
    assert reponse.redirect_chain == [(reverse("conventions:detail", args=[convention.pk]), 302)]
    assert "ne correspond plus à son empreinte" in reponse.content.decode()
    assert "prévenez l’administrateur du service" in reponse.content.decode()


def test_un_pdf_archive_disparu_du_stockage_est_signale(client, agent93, convention):
    convention = signer(convention, date_signature=date(2024, 6, 20), signataire="Le préfet", aujourd_hui=date(2024, 6, 25))
    default_storage.delete(convention.pdf.name)
    client.force_login(agent93)
    reponse = client.get(reverse("conventions:pdf", args=[convention.pk]), follow=True)
    assert "est introuvable dans le stockage" in reponse.content.decode()


def test_commande_convention_pdf(convention, tmp_path):
    signer(convention, date_signature=date(2024, 6, 20), signataire="Le préfet", aujourd_hui=date(2024, 6, 25))
    sortie = tmp_path / "sortie.pdf"
    call_command("convention_pdf", "09324R000101-1", "-o", str(sortie), stdout=io.StringIO())
    assert hashlib.sha256(sortie.read_bytes()).hexdigest() == Convention.objects.get(pk=convention.pk).pdf_sha256


def test_un_renouvellement_le_dit(convention, poste93):
    renouvellement = ConventionFactory(
        poste=poste93,
        numero="09324R000101-2",
        rang="renouvellement",
        precedente=convention,
        date_debut=date(2027, 7, 1),
        date_fin=date(2030, 6, 30),
    )
    from conventions.pdf import rendre_pdf

    assert "Renouvellement par accord exprès de la convention n° 09324R000101-1" in texte(rendre_pdf(renouvellement))


@pytest.mark.parametrize(
    "code, attendu",
    [
        ("93", "Préfet de la Seine-Saint-Denis"),
        ("69", "Préfet du Rhône"),
        ("01", "Préfet de l’Ain"),
        ("92", "Préfet des Hauts-de-Seine"),
        ("35", "Préfet d’Ille-et-Vilaine"),
        ("75", "Préfet de Paris"),
        ("974", "Préfet de La Réunion"),
    ],
)
def test_bloc_marque_prefet_de(code, attendu):
    assert prefet_de(Departement.objects.get(code=code)) == attendu


def test_archiver_les_pdf_des_conventions_signees_sans_pdf(poste93, media):
    signee = ConventionFactory(poste=poste93, statut="en_cours", date_signature=date(2024, 1, 1))
    projet = ConventionFactory(poste=poste93, date_debut=date(2027, 1, 1), date_fin=date(2029, 12, 31))
    sortie = io.StringIO()
    call_command("archiver_pdf_conventions", stdout=sortie)
    assert sortie.getvalue().strip() == "1 PDF de convention signée archivé."
    assert Convention.objects.get(pk=signee.pk).pdf_sha256 and not Convention.objects.get(pk=projet.pk).pdf
    call_command("archiver_pdf_conventions", stdout=sortie)
    assert "0 PDF de convention signée archivé." in sortie.getvalue()


def test_la_premiere_page_ne_montre_aucun_commentaire_de_gabarit(client, convention, agent93):
    client.force_login(agent93)
    contenu = texte(client.get(reverse("conventions:pdf", args=[convention.pk])).content)
    assert contenu.startswith("PRÉFET DE LA SEINE-SAINT-DENIS") and "Rendered" not in contenu


def test_un_pdf_aux_donnees_minimales_ne_montre_ni_none_ni_nan(dep93, media):
    """Employer without address, post without title, missions nor quarters, convention before the
    first barème (no amount known): every blank reads as a French sentence or a dash."""
    employeur = EmployeurFactory(departement=dep93, adresse="", code_postal="", commune="")
    poste = PosteFactory(employeur=employeur, departement=dep93, intitule="", missions="")
    minimale = ConventionFactory(poste=poste, date_debut=date(2019, 1, 1), date_fin=date(2019, 12, 31))
    contenu = texte(rendre_pdf(minimale))
    assert "Le montant de l’aide est celui du barème" in contenu


@pytest.mark.parametrize(
    "extrait, defaut",
    [
        ("{# commentaire #}", "{#"),
        ("{% if x %}", "{%"),
        ("{{ montant }}", "{{"),
        ("Montant : None", "None"),
        ("Taux : nan %", "nan"),
    ],
)
def test_le_lecteur_signale_syntaxe_de_gabarit_et_valeurs_brutes(extrait, defaut):
    assert any(defaut in d for d in defauts_du_texte(f"Article 5 – {extrait} – fin"))


def test_le_lecteur_ne_confond_pas_un_mot_francais_avec_nan():
    assert defauts_du_texte("Financement annuel : nantissement refusé, Nanterre") == []


def test_le_pdf_d_un_renouvellement_ne_promet_pas_un_nouveau_renouvellement(convention, poste93, settings):
    """Art. L5134-103 : renouvelable une fois ; le PDF du renouvellement le dit."""
    from conventions.pdf import rendre_pdf

    settings.CONVENTION_RENOUVELLEMENTS_MAX = 1
    renouvellement = ConventionFactory(
        poste=poste93,
        numero="09324R000101-2",
        rang="renouvellement",
        precedente=convention,
        date_debut=date(2027, 7, 1),
        date_fin=date(2030, 6, 30),
    )
    assert "peut être renouvelée par accord exprès des parties, une seule fois" in texte(rendre_pdf(convention))
    contenu = texte(rendre_pdf(renouvellement))
    assert "ne peut plus être renouvelée (un seul renouvellement)" in contenu
    assert "peut être renouvelée par accord exprès des parties" not in contenu


def test_le_logo_du_pdf_ne_dessine_pas_la_devise_cachee_du_theme_sombre():
    """The design system's motto sprite holds a white copy that the box never shows; drawing it cost a
    quarter of each PDF (bench/pdf.py). The rest of the logo stylesheet is the design system's own."""
    origine = (Path(dsfr.__file__).parent / "static/dsfr/dist/component/logo/logo.main.min.css").read_text("utf-8")
    assert DEVISE_THEME_SOMBRE in origine
    assert DEVISE_THEME_SOMBRE not in feuille_du_logo()
    assert feuille_du_logo() == origine.replace(DEVISE_THEME_SOMBRE, "")


def pages_pdf(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_une_convention_usuelle_tient_sur_deux_pages_et_ses_signatures_suivent_le_dernier_article(convention):
    # The fixture is a usual convention: a QPV, a residence derogation with its motive, a part-time post.
    domaines = list(DomaineMediation.objects.order_by("ordre")[:2])  # the reference list, seeded by migration
    assert len(domaines) == 2
    convention.poste.domaines.add(*domaines)
    pages = pages_pdf(rendre_pdf(convention))
    assert len(pages) == 2
    assert "Article 8 – Résiliation" in pages[1] and "Pour l’employeur" in pages[1]


def test_les_signatures_ne_sont_jamais_seules_sur_leur_page(convention):
    # Missions long enough to push the end of the convention to a third page.
    convention.poste.missions = "Accueillir les habitants, les orienter et les accompagner vers les services publics. " * 25
    convention.poste.save()
    pages = pages_pdf(rendre_pdf(convention))
    assert len(pages) == 3
    assert "Article 8 – Résiliation" in pages[-1] and "Pour l’État" in pages[-1]
    assert "Pour l’employeur" not in pages[-2]
