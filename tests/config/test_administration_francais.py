"""The administration speaks to an administrator: each message is a French sentence, never a
constraint name; the pages of the job queue are French, not procrastinate's; help texts cite no internal document; dates of effect are validated (barème on
1 July, art. D5134-158 à D5134-160; SMIC on the first day of a month)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.urls import reverse

from commun.courriels import mettre_en_file
from commun.models import TacheDeFond
from comptes.models import AppareilDoubleFacteur
from conventions.models import ArchiveConventions
from financements.models import Bareme, Smic
from financements.regles import motif_date_effet_bareme, motif_date_effet_smic
from tests.factories import PosteFactory
from tests.structure import APPLICATIONS

pytestmark = pytest.mark.django_db

MODELES = [m for m in apps.get_models() if m._meta.app_label in APPLICATIONS]
DOCUMENTS_INTERNES = re.compile(r"DESIGN|README|§|\bissue\b|\{|\}|\.py\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "modele, contrainte",
    [(m, c) for m in MODELES for c in m._meta.constraints],
    ids=lambda x: getattr(x, "name", getattr(getattr(x, "_meta", None), "label", "")),
)
def test_chaque_contrainte_a_un_message_en_francais_sans_son_nom(modele, contrainte):
    message = str(contrainte.violation_error_message)
    assert message != str(contrainte.default_violation_error_message), f"{contrainte.name} : message par défaut"
    assert contrainte.name not in message and "constraint" not in message.lower() and "contrainte" not in message.lower()
    assert message[0].isupper() and message.endswith("."), message


def test_aucune_aide_a_la_saisie_ne_cite_un_document_interne():
    fautifs = [
        f"{m._meta.label}.{f.name} : {f.help_text}"
        for m in MODELES
        for f in m._meta.get_fields()
        if getattr(f, "help_text", "") and DOCUMENTS_INTERNES.search(str(f.help_text))
    ]
    assert fautifs == []


def test_le_bareme_charge_cite_le_code_du_travail_et_non_un_document_interne():
    references = set(Bareme.objects.values_list("reference", flat=True))
    assert references == {"Barème national (art. D5134-158 à D5134-160 du code du travail)"}


def test_dates_d_effet_du_referentiel_livre_valides():
    assert all(motif_date_effet_bareme(d) is None for d in Bareme.objects.values_list("date_effet", flat=True))
    assert all(motif_date_effet_smic(d) is None for d in Smic.objects.values_list("date_effet", flat=True))


def test_un_bareme_prend_effet_un_1er_juillet():
    assert motif_date_effet_bareme(date(2025, 7, 1)) is None
    assert "doit être un 1er juillet, et non le 15/03/2025" in motif_date_effet_bareme(date(2025, 3, 15))
    assert motif_date_effet_bareme(date(2025, 1, 1)) is not None


def test_un_smic_prend_effet_le_premier_d_un_mois():
    assert motif_date_effet_smic(date(2024, 11, 1)) is None
    assert "le 1er d’un mois, et non le 15/11/2024" in motif_date_effet_smic(date(2024, 11, 15))


def test_la_base_refuse_un_bareme_hors_du_1er_juillet():
    with pytest.raises(IntegrityError), transaction.atomic():
        Bareme.objects.create(date_effet=date(2025, 3, 15), montant_annuel=Decimal("23000"))


def test_admin_refuse_un_bareme_hors_du_1er_juillet_en_francais(client, admin_national):
    client.force_login(admin_national)
    reponse = client.post(
        reverse("admin:financements_bareme_add"), {"date_effet": "15/03/2025", "montant_annuel": "23000", "reference": ""}
    )
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "la date d’effet doit être un 1er juillet, et non le 15/03/2025" in html
    assert not Bareme.objects.filter(date_effet=date(2025, 3, 15)).exists()
    assert (
        client.post(
            reverse("admin:financements_bareme_add"), {"date_effet": "01/07/2025", "montant_annuel": "23073.57", "reference": ""}
        ).status_code
        == 302
    )


def test_admin_refuse_un_smic_au_milieu_du_mois_en_francais(client, admin_national):
    client.force_login(admin_national)
    reponse = client.post(reverse("admin:financements_smic_add"), {"date_effet": "15/05/2026", "horaire_brut": "12.10"})
    assert "la date d’effet doit être le 1er d’un mois" in reponse.content.decode()


def test_admin_une_enveloppe_en_double_est_expliquee_sans_nom_de_contrainte(client, admin_national, dep93):
    client.force_login(admin_national)
    donnees = {"departement": dep93.pk, "annee": "2026", "nombre_postes": "10", "montant": "250000"}
    assert client.post(reverse("admin:financements_enveloppe_add"), donnees).status_code == 302
    html = client.post(reverse("admin:financements_enveloppe_add"), donnees).content.decode()
    assert "Ce département a déjà une enveloppe pour cette année" in html
    assert "enveloppe_unique_par_departement_annee" not in html


def test_admin_une_contrainte_de_convention_est_expliquee_sans_son_nom(client, admin_national, dep93):
    poste = PosteFactory(departement=dep93)
    client.force_login(admin_national)
    reponse = client.post(
        reverse("admin:conventions_convention_add"),
        {
            "poste": poste.pk,
            "numero": "09324R000101-9",
            "rang": "initiale",
            "date_debut": "01/01/2025",
            "date_fin": "31/12/2024",
            "statut": "signee",
            "heures_hebdomadaires": "35",
            "motif_derogation": "",
            "signataire": "",
            "motif_resiliation": "",
        },
    )
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "convention_signee_datee" not in html and "convention_dates_ordonnees" not in html
    assert "doit avoir une date de signature" in html


def test_admin_un_bareme_en_double_est_explique(client, admin_national):
    client.force_login(admin_national)
    html = client.post(
        reverse("admin:financements_bareme_add"), {"date_effet": "01/07/2024", "montant_annuel": "1", "reference": ""}
    ).content.decode()
    assert "Un barème prend déjà effet à cette date" in html


def test_les_pages_des_taches_de_fond_sont_en_francais(client, admin_national):
    """procrastinate's own job pages (English: « Task Name », « Args », « Summary ») are replaced by
    read-only French ones (commun/admin.py)."""
    mettre_en_file(["a@exemple.fr"], "Sujet", "Corps")  # a real job, deferred in this transaction
    tache = TacheDeFond.objects.get()
    assert not any(modele._meta.app_label == "procrastinate" for modele in admin.site._registry)
    client.force_login(admin_national)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Tâches de fond" in index and "Procrastinate" not in index
    liste = client.get(reverse("admin:commun_tachedefond_changelist")).content.decode()
    for entete in ("Numéro", "Tâche", "Statut", "File", "Essais", "Prévue le", "Dernier événement"):
        assert f">{entete}<" in liste, entete
    assert "commun.envoyer_courriel" in liste and "À faire" in liste and "Mise en file le" in liste
    page = client.get(reverse("admin:commun_tachedefond_change", args=[tache.pk])).content.decode()
    assert "Historique" in page and f"courriel_id = {tache.args['courriel_id']}" in page
    anglais = re.compile(r"Task Name|\bArgs\b|Summary|Queue name|Retry Job|\bTodo\b|Deferred|[Pp]rocrastinate job")
    assert not anglais.search(liste) and not anglais.search(page), anglais.findall(liste + page)
    assert "Enregistrer" not in page and client.get(reverse("admin:commun_tachedefond_add")).status_code == 403


def test_les_archives_de_conventions_se_consultent_sans_se_modifier(client, admin_national):
    archive = ArchiveConventions.objects.create(demandeur=admin_national, filtres="statut=en_cours")
    client.force_login(admin_national)
    liste = client.get(reverse("admin:conventions_archiveconventions_changelist")).content.decode()
    assert "Archives de conventions" in liste and "Demandée le" in liste and "En attente" in liste
    page = client.get(reverse("admin:conventions_archiveconventions_change", args=[archive.pk])).content.decode()
    assert "Filtres (paramètres de la liste)" in page and "statut=en_cours" in page and "Enregistrer" not in page
    assert client.get(reverse("admin:conventions_archiveconventions_add")).status_code == 403
    assert client.post(reverse("admin:conventions_archiveconventions_delete", args=[archive.pk])).status_code == 403
    assert ArchiveConventions.objects.filter(pk=archive.pk).exists()


def test_les_pages_des_appareils_de_double_authentification_sont_en_francais(client, admin_national):
    """django-otp's TOTP device (English: « TOTP device », « Created at », « The user that this device
    belongs to ») is shown under French names (comptes.AppareilDoubleFacteur, comptes/admin.py)."""
    client.force_login(admin_national)  # records a confirmed device of theirs (tests/conftest.py)
    appareil = AppareilDoubleFacteur.objects.get(user=admin_national)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Appareils de double authentification" in index and "Otp_Totp" not in index
    pages = [
        client.get(reverse("admin:comptes_appareildoublefacteur_changelist")).content.decode(),
        client.get(reverse("admin:comptes_appareildoublefacteur_change", args=[appareil.pk])).content.decode(),
        client.get(reverse("admin:comptes_appareildoublefacteur_delete", args=[appareil.pk])).content.decode(),
    ]
    liste, fiche, _ = pages
    for entete in ("Utilisateur", "Nom de l’appareil", "Créé le", "Dernière utilisation", "Confirmé"):
        assert f">{entete}<" in liste, entete
    assert "Par date de création" in liste and "Par confirmé" in liste
    assert "Nom de l’appareil" in fiche and "Codes erronés à la suite" in fiche and "Dernier code erroné" in fiche
    # What a person reads (the filters' links carry the field names in their query strings).
    textes = [re.sub(r"<[^>]*>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", "", page)) for page in pages]
    anglais = re.compile(r"TOTP device|Otp_Totp|Created at|Last used|[Cc]onfirmed|Throttling|\bName\b|The user|human-readable")
    assert not any(anglais.search(texte) for texte in textes), [anglais.findall(texte) for texte in textes]
