"""Every named database constraint refuses what its rule forbids, written past the forms and the
services (`create`, `update`), and PostgreSQL names it: the test asserts the table and the constraint
that psycopg reports, so a row refused by a neighbouring constraint does not count.

Each test is declared with `@refusee_par(Model, "nom")`; `test_chaque_contrainte_nommee_a_son_test`
lists the constraints of every model of the project and fails on one without its test."""

import functools
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from commun.models import Courriel
from comptes.models import Utilisateur
from conventions.models import ArchiveConventions, Avenant, Convention, StatutArchive
from demandes.models import Demande, EvenementDemande, NoteInstruction, PieceJointe
from employeurs.models import Employeur
from financements.models import Bareme, Enveloppe, Smic
from importation.models import ImportPostes, StatutImport
from postes.models import FinancementAnnuel, Poste
from quartiers.models import Departement, QuartierPrioritaire
from tests.factories import (
    AffectationFactory,
    AgentFactory,
    ConventionFactory,
    DemandeFactory,
    EmployeurFactory,
    PosteFactory,
    QuartierFactory,
    TitulaireFactory,
    departement,
)
from titulaires.models import Affectation, RegleAgeMinimum, Titulaire

pytestmark = pytest.mark.django_db

# (model label, constraint name) → name of the test that makes the database refuse a row by it.
CONTRAINTES_VERIFIEES: dict[tuple[str, str], str] = {}


def contrainte_violee(erreur: IntegrityError) -> tuple[str, str]:
    """(table, constraint) of the violation, as PostgreSQL reports it through psycopg."""
    diagnostic = erreur.__cause__.diag
    return diagnostic.table_name, diagnostic.constraint_name


def refusee_par(modele, nom: str):
    """The decorated test writes a forbidden row: it passes only if the database refuses it, on the
    model's table, by the constraint `nom`."""

    def decorer(test):
        cle = (modele._meta.label, nom)
        assert cle not in CONTRAINTES_VERIFIEES, f"{nom} a déjà son test : {CONTRAINTES_VERIFIEES[cle]}"
        CONTRAINTES_VERIFIEES[cle] = test.__name__

        @functools.wraps(test)
        def verifier(*args, **kwargs):
            with pytest.raises(IntegrityError) as erreur, transaction.atomic():
                test(*args, **kwargs)
            assert contrainte_violee(erreur.value) == (modele._meta.db_table, nom)

        return verifier

    return decorer


def modifier(objet, **champs):
    """UPDATE of one row, past `save()` and the model's validation."""
    type(objet).objects.filter(pk=objet.pk).update(**champs)


# --- comptes, quartiers, employeurs ---------------------------------------------------------------


@refusee_par(Utilisateur, "utilisateur_role_connu")
def test_un_utilisateur_a_un_role_de_la_liste():
    Utilisateur.objects.create(email="inconnu@exemple.gouv.fr", role="superviseur")


@refusee_par(Departement, "departement_code_insee")
def test_un_departement_porte_un_code_insee():
    Departement.objects.filter(code="93").update(code="9Z")


@refusee_par(QuartierPrioritaire, "qpv_code_format")
def test_un_quartier_porte_un_code_de_l_anct():
    QuartierFactory(code="QPV93")


@refusee_par(QuartierPrioritaire, "qpv_geographie_connue")
def test_un_quartier_appartient_a_une_geographie_connue():
    QuartierFactory(geographie="2030")


@refusee_par(Employeur, "employeur_siret_14_chiffres")
def test_un_siret_a_quatorze_chiffres():
    EmployeurFactory(siret="7755440260128")


@refusee_par(Employeur, "employeur_forme_juridique_connue")
def test_un_employeur_a_une_forme_juridique_de_la_liste():
    EmployeurFactory(forme_juridique="sarl")


# --- postes ---------------------------------------------------------------------------------------


@refusee_par(Poste, "poste_identifiant_format")
def test_un_poste_porte_un_identifiant_du_registre_national():
    PosteFactory(identifiant="93-2024-1")


@refusee_par(Poste, "poste_heures_entre_mi_temps_et_temps_plein")
def test_un_poste_ne_descend_pas_sous_le_mi_temps():
    modifier(PosteFactory(), heures_hebdomadaires=Decimal("17.25"))


@refusee_par(Poste, "poste_statut_connu")
def test_un_poste_a_un_statut_de_la_liste():
    modifier(PosteFactory(), statut="suspendu")


# --- conventions ----------------------------------------------------------------------------------


@refusee_par(Convention, "convention_numero_format")
def test_un_numero_de_convention_tient_dans_un_nom_de_fichier():
    ConventionFactory(numero="093/1 bis")


@refusee_par(Convention, "convention_dates_ordonnees")
def test_une_convention_ne_finit_pas_avant_de_commencer():
    modifier(ConventionFactory(date_debut=date(2024, 5, 1)), date_fin=date(2024, 4, 30))


@refusee_par(Convention, "convention_duree_3_ans_maximum")
def test_une_convention_dure_au_plus_trois_ans_d5134_147():
    modifier(ConventionFactory(date_debut=date(2024, 1, 1)), date_fin=date(2027, 1, 1))


@refusee_par(Convention, "convention_heures_entre_mi_temps_et_temps_plein")
def test_une_convention_ne_depasse_pas_le_temps_plein():
    modifier(ConventionFactory(), heures_hebdomadaires=Decimal("35.5"))


@refusee_par(Convention, "convention_derogation_motivee")
def test_une_derogation_de_residence_est_motivee():
    modifier(ConventionFactory(), derogation_residence=True, motif_derogation="")


@refusee_par(Convention, "convention_statut_connu")
def test_une_convention_a_un_statut_de_la_liste():
    modifier(ConventionFactory(), statut="archivee")


@refusee_par(Convention, "convention_signee_datee")
def test_une_convention_signee_porte_sa_date_de_signature():
    modifier(ConventionFactory(), statut="signee", date_signature=None)


@refusee_par(Convention, "convention_resiliation_motivee")
def test_une_convention_resiliee_a_un_motif():
    modifier(
        ConventionFactory(date_signature=date(2023, 12, 1)),
        statut="resiliee",
        date_resiliation=date(2024, 6, 1),
        motif_resiliation="",
    )


@refusee_par(Convention, "convention_resiliation_apres_notification")
def test_une_resiliation_ne_prend_pas_effet_avant_sa_notification():
    modifier(
        ConventionFactory(),
        motif_resiliation="manquement",
        date_notification_resiliation=date(2024, 6, 1),
        date_resiliation=date(2024, 5, 31),
    )


@refusee_par(Convention, "convention_preavis_employeur_deux_mois")
def test_une_resiliation_a_l_initiative_de_l_employeur_respecte_deux_mois_de_preavis():
    modifier(
        ConventionFactory(),
        motif_resiliation="initiative_employeur",
        date_notification_resiliation=date(2024, 6, 1),
        date_resiliation=date(2024, 7, 31),
    )


@refusee_par(Convention, "convention_pdf_seulement_si_signee")
def test_un_projet_de_convention_n_a_pas_de_pdf_signe():
    modifier(ConventionFactory(), pdf="conventions/093/CONV-1.pdf", pdf_sha256="a" * 64)


@refusee_par(Convention, "convention_pdf_avec_empreinte")
def test_un_pdf_archive_a_son_empreinte_sha256():
    modifier(
        ConventionFactory(statut="signee", date_signature=date(2023, 12, 1)),
        pdf="conventions/093/CONV-1.pdf",
        pdf_sha256="",
    )


# --- avenants -------------------------------------------------------------------------------------


def avenant_heures(convention, numero=1, date_effet=date(2025, 1, 1), **champs):
    valeurs = {
        "type": "heures",
        "date_signature": date(2024, 12, 1),
        "heures_avant": Decimal("35"),
        "heures_apres": Decimal("30"),
        **champs,
    }
    return Avenant.objects.create(convention=convention, numero=numero, date_effet=date_effet, **valeurs)


@refusee_par(Avenant, "avenant_numero_unique_par_convention")
def test_deux_avenants_d_une_convention_ne_portent_pas_le_meme_numero():
    convention = ConventionFactory()
    avenant_heures(convention, numero=1, date_effet=date(2025, 1, 1))
    avenant_heures(convention, numero=1, date_effet=date(2025, 6, 1))


@refusee_par(Avenant, "avenant_type_connu")
def test_un_avenant_a_un_objet_de_la_liste():
    avenant_heures(ConventionFactory(), type="prolongation")


@refusee_par(Avenant, "avenant_heures_renseignees")
def test_un_avenant_sur_les_heures_change_vraiment_les_heures():
    avenant_heures(ConventionFactory(), heures_avant=Decimal("35"), heures_apres=Decimal("35"))


@refusee_par(Avenant, "avenant_titulaire_affectation")
def test_un_avenant_de_changement_de_titulaire_designe_la_nouvelle_affectation():
    avenant_heures(ConventionFactory(), type="titulaire", heures_avant=None, heures_apres=None, affectation=None)


@refusee_par(Avenant, "avenant_heures_une_date_effet")
def test_deux_avenants_ne_changent_pas_les_heures_a_la_meme_date():
    convention = ConventionFactory()
    avenant_heures(convention, numero=1)
    avenant_heures(convention, numero=2, heures_avant=Decimal("30"), heures_apres=Decimal("25"))


# --- titulaires et affectations -------------------------------------------------------------------


@refusee_par(Titulaire, "titulaire_situation_connue")
def test_un_titulaire_a_une_situation_avant_embauche_de_la_liste():
    TitulaireFactory(situation_avant_embauche="retraite")


@refusee_par(Titulaire, "titulaire_qpv_choisi_a_la_main_renseigne")
def test_un_quartier_choisi_a_la_main_est_indique():
    TitulaireFactory(qpv_choisi_a_la_main=True, qpv_residence=None)


@refusee_par(Affectation, "affectation_dates_ordonnees")
def test_une_affectation_ne_finit_pas_avant_de_commencer():
    modifier(AffectationFactory(date_debut=date(2024, 5, 1)), date_fin=date(2024, 4, 30))


@refusee_par(Affectation, "affectation_sans_chevauchement")
def test_deux_affectations_d_un_poste_ne_se_chevauchent_pas():
    poste = PosteFactory()
    Affectation.objects.bulk_create(
        [
            Affectation(poste=poste, titulaire=TitulaireFactory(), date_debut=date(2024, 1, 1), date_fin=date(2024, 6, 30)),
            Affectation(poste=poste, titulaire=TitulaireFactory(), date_debut=date(2024, 6, 30)),
        ]
    )


# --- demandes -------------------------------------------------------------------------------------


def demande_deposee(**champs):
    return DemandeFactory(statut="deposee", date_depot=timezone.now(), **champs)


@refusee_par(Demande, "demande_heures_entre_mi_temps_et_temps_plein")
def test_une_demande_reste_entre_mi_temps_et_temps_plein():
    modifier(DemandeFactory(), heures_hebdomadaires=Decimal("36"))


@refusee_par(Demande, "demande_statut_connu")
def test_une_demande_a_un_statut_de_la_liste():
    modifier(demande_deposee(), statut="annulee")


@refusee_par(Demande, "demande_budget_positif")
def test_un_budget_previsionnel_n_est_pas_negatif():
    modifier(DemandeFactory(), budget_previsionnel=Decimal("-1"))


@refusee_par(Demande, "demande_refus_motive")
def test_un_refus_est_motive():
    modifier(demande_deposee(), statut="refusee", date_decision=timezone.now(), motif_decision="")


@refusee_par(Demande, "demande_deposee_datee")
def test_une_demande_deposee_porte_sa_date_de_depot():
    modifier(DemandeFactory(), statut="deposee", date_depot=None)


@refusee_par(Demande, "demande_decision_datee")
def test_une_decision_porte_sa_date():
    modifier(demande_deposee(), statut="classee_sans_suite", motif_decision="Projet abandonné.", date_decision=None)


@refusee_par(Demande, "demande_acceptee_cree_un_poste")
def test_une_demande_acceptee_est_rattachee_au_poste_cree():
    modifier(demande_deposee(), statut="acceptee", date_decision=timezone.now(), poste=None)


@refusee_par(RegleAgeMinimum, "regle_age_minimum_plausible")
def test_un_age_minimum_reste_entre_16_et_70_ans():
    RegleAgeMinimum.objects.create(date_effet=date(2099, 1, 1), age_minimum=15, reference="Essai")


@refusee_par(EvenementDemande, "evenement_demande_type_connu")
def test_un_evenement_de_demande_a_un_type_de_la_liste():
    EvenementDemande.objects.create(demande=demande_deposee(), type="relance_automatique", message="Relance.")


@refusee_par(NoteInstruction, "note_instruction_non_vide")
def test_une_note_d_instruction_n_est_pas_vide():
    NoteInstruction.objects.create(demande=demande_deposee(), texte="")


def piece(**champs):
    valeurs = {
        "type_piece": "statuts",
        "fichier": "demandes/essai.pdf",
        "nom_original": "statuts.pdf",
        "type_contenu": "application/pdf",
        "taille": 1024,
        **champs,
    }
    return PieceJointe.objects.create(demande=DemandeFactory(), **valeurs)


@refusee_par(PieceJointe, "piece_jointe_type_connu")
def test_une_piece_jointe_a_un_type_de_la_liste():
    piece(type_piece="lettre_de_motivation")


@refusee_par(PieceJointe, "piece_jointe_format_accepte")
def test_une_piece_jointe_est_un_pdf_ou_une_image():
    piece(type_contenu="application/zip")


@refusee_par(PieceJointe, "piece_jointe_non_vide")
def test_une_piece_jointe_n_est_pas_un_fichier_vide():
    piece(taille=0)


# --- financements ---------------------------------------------------------------------------------


@refusee_par(Smic, "smic_positif")
def test_le_smic_horaire_est_positif():
    Smic.objects.create(date_effet=date(2030, 1, 1), horaire_brut=Decimal("0"))


@refusee_par(Smic, "smic_date_effet_premier_du_mois")
def test_le_smic_change_un_premier_du_mois():
    Smic.objects.create(date_effet=date(2030, 1, 15), horaire_brut=Decimal("13"))


@refusee_par(Bareme, "bareme_montant_positif")
def test_le_bareme_n_est_pas_negatif():
    Bareme.objects.create(date_effet=date(2030, 7, 1), montant_annuel=Decimal("-1"))


@refusee_par(Bareme, "bareme_date_effet_1er_juillet")
def test_le_bareme_change_un_1er_juillet():
    Bareme.objects.create(date_effet=date(2030, 6, 1), montant_annuel=Decimal("23000"))


def enveloppe(**champs):
    valeurs = {"departement": departement("93"), "annee": 2026, "nombre_postes": 3, "montant": Decimal("100"), **champs}
    return Enveloppe.objects.create(**valeurs)


@refusee_par(Enveloppe, "enveloppe_unique_par_departement_annee")
def test_un_departement_a_une_seule_enveloppe_par_annee():
    enveloppe()
    enveloppe(nombre_postes=4)


@refusee_par(Enveloppe, "enveloppe_montant_positif")
def test_le_montant_d_une_enveloppe_n_est_pas_negatif():
    enveloppe(montant=Decimal("-5"))


@refusee_par(Enveloppe, "enveloppe_postes_positif")
def test_le_nombre_de_postes_d_une_enveloppe_n_est_pas_negatif():
    enveloppe(nombre_postes=-1)


@refusee_par(Enveloppe, "enveloppe_annee_plausible")
def test_une_enveloppe_porte_une_annee_du_programme():
    enveloppe(annee=1998)


def financement(**champs):
    valeurs = {"annee": 2024, "montant": Decimal("22555.73"), **champs}
    return FinancementAnnuel.objects.create(**valeurs)


@refusee_par(FinancementAnnuel, "financement_unique_par_poste_annee")
def test_un_poste_a_un_seul_financement_par_annee():
    poste = PosteFactory()
    financement(poste=poste)
    financement(poste=poste, montant=Decimal("1"))


@refusee_par(FinancementAnnuel, "financement_montant_positif")
def test_un_financement_n_est_pas_negatif():
    financement(poste=PosteFactory(), montant=Decimal("-0.01"))


@refusee_par(FinancementAnnuel, "financement_annee_plausible")
def test_un_financement_porte_une_annee_du_programme():
    financement(poste=PosteFactory(), annee=2101)


@refusee_par(Courriel, "courriel_au_moins_un_destinataire")
def test_un_courriel_a_au_moins_un_destinataire():
    Courriel.objects.create(destinataires=[], sujet="Sujet", corps="Corps")


@refusee_par(Courriel, "courriel_envoye_date_envoi")
def test_un_courriel_envoye_a_sa_date_d_envoi_et_lui_seul():
    courriel = Courriel.objects.create(destinataires=["a@exemple.fr"], sujet="Sujet", corps="Corps")
    Courriel.objects.filter(pk=courriel.pk).update(statut="envoye")


@pytest.mark.parametrize("statut,envoye_le", [("envoye", None), ("a_envoyer", "maintenant"), ("echec", "maintenant")])
def test_statut_et_date_d_envoi_d_un_courriel_concordent(statut, envoye_le):
    with pytest.raises(IntegrityError) as erreur, transaction.atomic():
        Courriel.objects.create(
            destinataires=["a@exemple.fr"], sujet="S", corps="C", statut=statut, envoye_le=timezone.now() if envoye_le else None
        )
    assert contrainte_violee(erreur.value) == ("commun_courriel", "courriel_envoye_date_envoi")


@refusee_par(ArchiveConventions, "archive_conventions_faites_au_plus_total")
def test_une_archive_ne_compte_pas_plus_de_conventions_traitees_qu_a_traiter():
    ArchiveConventions.objects.create(demandeur=AgentFactory(), faites=3, total=2)


@refusee_par(ArchiveConventions, "archive_conventions_prete_fichier_empreinte")
def test_une_archive_prete_a_son_fichier_et_son_empreinte():
    ArchiveConventions.objects.create(demandeur=AgentFactory(), statut=StatutArchive.PRETE, terminee_le=timezone.now())


@refusee_par(ArchiveConventions, "archive_conventions_echec_message")
def test_une_archive_en_echec_dit_pourquoi():
    ArchiveConventions.objects.create(demandeur=AgentFactory(), statut=StatutArchive.ECHEC, terminee_le=timezone.now())


def un_import(**champs):
    agent = AgentFactory()
    return ImportPostes.objects.create(demandeur=agent, nom="registre.csv", jeton=f"jeton-de-test-{agent.pk}", **champs)


@refusee_par(ImportPostes, "import_postes_faites_au_plus_total")
def test_un_import_ne_compte_pas_plus_de_lignes_traitees_qu_a_traiter():
    un_import(faites=3, total=2)


@refusee_par(ImportPostes, "import_postes_apercu_apres_verification")
def test_un_import_verifie_a_son_apercu():
    un_import(statut=StatutImport.APERCU)


@refusee_par(ImportPostes, "import_postes_termine_resultat")
def test_un_import_termine_a_son_resultat():
    un_import(statut=StatutImport.TERMINE, apercu={}, termine_le=timezone.now())


@refusee_par(ImportPostes, "import_postes_echec_message")
def test_un_import_en_echec_dit_pourquoi():
    un_import(statut=StatutImport.ECHEC, termine_le=timezone.now())


# --- every constraint has its test ----------------------------------------------------------------


def modeles_du_projet():
    """Models of the project's own apps (not Django's nor a dependency's), historical models included;
    not the proxies (commun.TacheDeFond: the table is procrastinate's)."""
    racine = Path(settings.BASE_DIR).resolve()
    for modele in apps.get_models():
        if modele._meta.proxy:
            continue
        chemin = Path(modele._meta.app_config.path).resolve()
        if chemin.is_relative_to(racine) and ".venv" not in chemin.relative_to(racine).parts:
            yield modele


def test_chaque_contrainte_nommee_a_son_test():
    declarees = {(m._meta.label, c.name) for m in modeles_du_projet() for c in m._meta.constraints}
    assert len(declarees) >= 50, sorted(declarees)  # the issue counts 50: the listing itself works
    sans_test = sorted(declarees - CONTRAINTES_VERIFIEES.keys())
    assert not sans_test, f"Contraintes sans test qui vérifie leur nom : {sans_test}"
    disparues = sorted(CONTRAINTES_VERIFIEES.keys() - declarees)
    assert not disparues, f"Tests de contraintes qui n’existent plus dans les modèles : {disparues}"


# Names Django gives the constraints it derives from fields (unique=True, PositiveIntegerField, unique
# pairs of a many-to-many table) and primary keys: those are not rules written in `Meta.constraints`.
SUFFIXES_AUTOMATIQUES = ("_pkey", "_key", "_check", "_uniq")


def test_la_base_n_a_pas_d_autre_contrainte_nommee_que_celles_des_modeles():
    """A constraint added by a migration's raw SQL, or declared without its migration, would escape the
    tests above: the database's catalogue and the models' declarations list the same names."""
    modeles = list(modeles_du_projet())
    declarees = {(m._meta.db_table, c.name) for m in modeles for c in m._meta.constraints}
    tables = [m._meta.db_table for m in modeles]
    with connection.cursor() as curseur:
        curseur.execute(
            """
            SELECT t.relname, c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE c.contype IN ('c', 'u', 'x') AND t.relname = ANY(%s)
            UNION
            SELECT tablename, indexname FROM pg_indexes
            WHERE schemaname = current_schema() AND indexdef LIKE 'CREATE UNIQUE INDEX%%' AND tablename = ANY(%s)
            """,
            [tables, tables],
        )
        en_base = {(table, nom) for table, nom in curseur.fetchall() if not nom.endswith(SUFFIXES_AUTOMATIQUES)}
    assert en_base == declarees


def test_les_bornes_exactes_des_contraintes_sont_acceptees():
    """The constraints refuse the forbidden row, not its neighbour: a convention of three years minus
    one day, an employer's termination exactly two months after its notice."""
    convention = ConventionFactory(date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31))
    modifier(
        convention,
        motif_resiliation="initiative_employeur",
        date_notification_resiliation=date(2024, 6, 1),
        date_resiliation=date(2024, 8, 1),
    )
    convention.refresh_from_db()
    assert convention.date_resiliation - convention.date_notification_resiliation == timedelta(days=61)
