"""Import of posts: formats, every kind of error, all-or-nothing, --partiel, scope, idempotence."""

from datetime import date
from decimal import Decimal

import pytest

from conventions.models import Convention
from employeurs.models import Employeur
from employeurs.regles import FormeJuridique, eligibilite_employeur
from importation.lecture import lire_table
from importation.services import fichier_rejets
from postes.models import FinancementAnnuel, Poste
from postes.regles import StatutPoste
from tests.factories import EmployeurFactory, QuartierFactory, departement
from tests.outils_import import (
    SIRET_ALFA,
    SIRET_CLE_FAUSSE,
    SIRET_IFAC,
    csv_octets,
    importer,
    json_octets,
    ligne_anct,
    ligne_poste,
    messages,
    xlsx_octets,
)


@pytest.fixture
def quartiers(db):
    return [
        QuartierFactory(code="QN09339M", departement=departement("93")),
        QuartierFactory(code="QN09340M", departement=departement("93")),
        QuartierFactory(code="QN06901M", departement=departement("69")),
    ]


def comptes(rapport):
    return (rapport.lignes, rapport.crees, rapport.mis_a_jour, rapport.inchanges, rapport.rejetes)


def test_ligne_au_format_de_l_export_cree_employeur_poste_et_convention(quartiers):
    rapport = importer(csv_octets([ligne_poste()]))
    assert comptes(rapport) == (1, 1, 0, 0, 0) and rapport.ecrit
    poste = Poste.objects.get(identifiant="09323R000101")
    assert poste.departement.code == "93" and poste.statut == StatutPoste.ACTIF
    assert poste.employeur.siret == SIRET_ALFA and poste.employeur.forme_juridique == FormeJuridique.ASSOCIATION
    assert [q.code for q in poste.quartiers.all()] == ["QN09339M"]
    assert [d.code for d in poste.domaines.all()] == ["mediation-scolaire"]
    convention = Convention.objects.get(numero="CONV-2023-001")
    assert (convention.poste, convention.date_debut, convention.date_fin, convention.statut) == (
        poste,
        date(2023, 3, 1),
        date(2026, 2, 28),
        "en_cours",
    )
    assert poste.history.first().history_change_reason == "Import de postes"


FORMATS = {
    "csv utf-8 ;": lambda l: csv_octets(l),
    "csv utf-8 avec BOM ,": lambda l: csv_octets(l, sep=",", bom=True),
    "csv windows-1252 ;": lambda l: csv_octets(l, encodage="cp1252"),
    "csv windows-1252 ,": lambda l: csv_octets(l, sep=",", encodage="cp1252"),
    "xlsx": xlsx_octets,
    "json": json_octets,
}


@pytest.mark.parametrize("format_fichier", FORMATS)
def test_chaque_format_donne_le_meme_resultat_et_se_reimporte_inchange(quartiers, format_fichier):
    lignes = [
        ligne_poste(),
        ligne_poste(
            Identifiant="09323R000201",
            Convention="",
            **{
                "Début de convention": "",
                "Fin de convention": "",
                "Signature de la convention": "",
                "Statut de la convention": "",
            },
        ),
    ]
    contenu = FORMATS[format_fichier](lignes)
    assert comptes(importer(contenu)) == (2, 2, 0, 0, 0)
    assert Poste.objects.get(identifiant="09323R000201").employeur.raison_sociale == "Association Médiation Plaine"
    assert comptes(importer(contenu)) == (2, 0, 0, 2, 0)


def test_montants_et_dates_dans_toutes_les_ecritures(db):
    lignes = [
        ligne_anct(id_poste="09323R000101", montant="22555.73"),
        ligne_anct(id_poste="09323R000201", montant="22 555,73"),
        ligne_anct(id_poste="09323R000301", montant="22\u00a0555,73 €"),
        ligne_anct(id_poste="09323R000401", montant="22\u202f555,73"),
    ]
    rapport = importer(csv_octets(lignes))
    assert rapport.crees == 4
    assert set(FinancementAnnuel.objects.values_list("montant", flat=True)) == {Decimal("22555.73")}


def test_dates_iso_et_francaises_equivalentes(quartiers):
    importer(csv_octets([ligne_poste()]))
    iso = ligne_poste(
        **{"Début de convention": "2023-03-01", "Fin de convention": "2026-02-28", "Signature de la convention": "2023-02-15"}
    )
    assert comptes(importer(csv_octets([iso]))) == (1, 0, 0, 1, 0)


ERREURS = [
    ({"Quartiers (codes QPV)": "QN09339M, QN99999Z"}, "Quartiers (codes QPV)", "Code QPV inconnu : « QN99999Z »"),
    ({"SIRET": SIRET_CLE_FAUSSE}, "SIRET", "la clé de contrôle ne correspond pas"),
    ({"SIRET": "7755440260128"}, "SIRET", "14 chiffres (13 saisis)"),
    ({"SIRET": ""}, "SIRET", "Le SIRET est obligatoire"),
    ({"Début de convention": "31/02/2023"}, "Début de convention", "Date impossible : le 31/02/2023 n’existe pas"),
    ({"Fin de convention": "1er mars"}, "Fin de convention", "Date illisible"),
    ({"Fin de convention": "01/03/2026"}, "Fin de convention", "dépasse trois ans"),
    ({"Fin de convention": "01/01/2023"}, "Fin de convention", "avant de commencer"),
    ({"Signature de la convention": ""}, "Signature de la convention", "date de signature est obligatoire"),
    ({"Département": "69"}, "Département", "Le département 69 est hors de votre périmètre"),
    ({"Département": "96"}, "Département", "Département inconnu : « 96 »"),
    ({"Identifiant": "93-2023-1"}, "Identifiant", "Identifiant de poste mal formé"),
    ({"Identifiant": ""}, "Identifiant", "L’identifiant du poste est obligatoire"),
    ({"Heures hebdomadaires": "12"}, "Heures hebdomadaires", "entre 17,5 et 35 heures"),
    ({"Statut": "Suspendu"}, "Statut", "Statut de poste inconnu : « Suspendu »"),
    ({"Forme juridique": "SARL"}, "Forme juridique", "Forme juridique inconnue : « SARL »"),
    ({"Domaines": "astrologie"}, "Domaines", "Domaine de médiation inconnu : « astrologie »"),
    ({"Statut de la convention": "Résiliée"}, "Statut de la convention", "ne peut pas être créée résiliée"),
    ({"Convention": "", "Statut de la convention": ""}, "Convention", "Numéro de convention manquant"),
]


@pytest.mark.parametrize("changes,colonne,message", ERREURS, ids=[e[2][:40] for e in ERREURS])
def test_chaque_erreur_nommee_avec_sa_ligne_et_sa_colonne(quartiers, agent93, changes, colonne, message):
    lignes = [ligne_poste(Identifiant="09323R000901", Convention="CONV-OK"), ligne_poste(**changes)]
    rapport = importer(csv_octets(lignes), utilisateur=agent93)
    assert rapport.rejetes == 1 and not rapport.ecrit
    assert any(l == 3 and c == colonne and message in m for l, c, m in messages(rapport)), messages(rapport)
    assert not Poste.objects.exists() and not Employeur.objects.exists()


@pytest.mark.parametrize(
    "changes,colonne,message",
    [
        ({"montant": "vingt mille"}, "montant", "Montant illisible"),
        ({"montant": "-10"}, "montant", "négatif"),
        ({"annee": "23"}, "annee", "Année illisible"),
        ({"montant": ""}, "montant", "Financement incomplet"),
        ({"raison_sociale": "", "code_tiers": SIRET_IFAC}, "raison_sociale", "Raison sociale obligatoire pour créer l’employeur"),
    ],
)
def test_erreurs_des_lignes_anct(db, changes, colonne, message):
    rapport = importer(csv_octets([ligne_anct(id_poste="09323R000901"), ligne_anct(**changes)]))
    assert [(l, c) for l, c, m in messages(rapport) if message in m] == [(3, colonne)], messages(rapport)


def test_identifiant_en_double_rejette_chaque_occurrence(db):
    lignes = [ligne_anct(), ligne_anct(id_poste="09323R000201"), ligne_anct(code_tiers=SIRET_IFAC)]
    rapport = importer(csv_octets(lignes), partiel=True)
    assert comptes(rapport) == (3, 1, 0, 0, 2)
    assert [(l, c) for l, c, _ in messages(rapport)] == [(2, "id_poste"), (4, "id_poste")]
    assert "en double dans le fichier pour l’année 2023 (lignes 2, 4)" in rapport.erreurs[0].message
    assert not Poste.objects.filter(identifiant="09323R000101").exists()


def test_meme_poste_sur_deux_annees_n_est_pas_un_doublon(db):
    rapport = importer(csv_octets([ligne_anct(annee=2022, montant="21254"), ligne_anct()]))
    assert comptes(rapport) == (2, 2, 0, 0, 0)
    assert FinancementAnnuel.objects.count() == 2


def test_par_defaut_rien_n_est_ecrit_si_une_ligne_est_rejetee(quartiers):
    lignes = [ligne_poste(Identifiant="09323R000901", Convention="C-1"), ligne_poste(SIRET=SIRET_CLE_FAUSSE)]
    rapport = importer(csv_octets(lignes))
    assert comptes(rapport) == (2, 1, 0, 0, 1) and not rapport.ecrit
    assert Poste.objects.count() == Employeur.objects.count() == Convention.objects.count() == 0


def test_partiel_importe_les_lignes_valides_et_rend_les_rejets_avec_leurs_motifs(quartiers):
    lignes = [ligne_poste(Identifiant="09323R000901", Convention="C-1"), ligne_poste(SIRET=SIRET_CLE_FAUSSE)]
    table = lire_table(csv_octets(lignes))
    rapport = importer(csv_octets(lignes), partiel=True)
    assert rapport.ecrit and list(Poste.objects.values_list("identifiant", flat=True)) == ["09323R000901"]
    rejets = lire_table(fichier_rejets(table, rapport))
    assert rejets.entetes[-2:] == ["Ligne d’origine", "Motifs du rejet"]
    assert len(rejets.lignes) == 1
    cellules = rejets.lignes[0][1]
    assert cellules[0] == "09323R000101" and cellules[-2] == "3" and "SIRET : Le SIRET est invalide" in cellules[-1]
    # Corrected, the rejected-lines file imports (its two extra columns are ignored).
    corrige = fichier_rejets(table, rapport).replace(SIRET_CLE_FAUSSE.encode(), SIRET_ALFA.encode())
    assert comptes(importer(corrige)) == (1, 1, 0, 0, 0)


def test_partiel_sans_aucune_ligne_valide_n_ecrit_rien(db):
    rapport = importer(csv_octets([ligne_anct(code_tiers=SIRET_CLE_FAUSSE)]), partiel=True)
    assert not rapport.ecrit


def test_essai_a_blanc_n_ecrit_rien_mais_compte(quartiers):
    rapport = importer(csv_octets([ligne_poste()]), dry_run=True)
    assert comptes(rapport) == (1, 1, 0, 0, 0) and not rapport.ecrit and not Poste.objects.exists()


def test_agent_du_93_important_une_ligne_du_69_la_voit_rejetee(quartiers, agent93):
    lignes = [ligne_anct(), ligne_anct(id_poste="06923R000101", insee_dep="69", insee_reg="84")]
    rapport = importer(csv_octets(lignes), utilisateur=agent93, partiel=True)
    assert messages(rapport) == [(3, "insee_dep", "Le département 69 est hors de votre périmètre : ligne non importée.")]
    assert list(Poste.objects.values_list("identifiant", flat=True)) == ["09323R000101"]


def test_option_departement_restreint_le_perimetre(db):
    lignes = [ligne_anct(), ligne_anct(id_poste="06923R000101", insee_dep="69", insee_reg="84")]
    rapport = importer(csv_octets(lignes), departements=["069"], partiel=True)
    assert [(l, c) for l, c, _ in messages(rapport)] == [(2, "insee_dep")]
    assert list(Poste.objects.values_list("identifiant", flat=True)) == ["06923R000101"]


def test_poste_existant_d_un_autre_departement_ni_modifie_ni_revele_en_detail(poste69, agent93):
    rapport = importer(csv_octets([ligne_anct(id_poste=poste69.identifiant)]), utilisateur=agent93)
    assert (
        messages(rapport)[0][2] == f"Le poste {poste69.identifiant} existe déjà dans un département hors de votre périmètre (69)."
    )
    assert not FinancementAnnuel.objects.exists()


def test_employeur_d_un_autre_departement_lie_mais_non_modifie(agent93, dep69):
    employeur = EmployeurFactory(siret=SIRET_IFAC, raison_sociale="IFAC Rhône", departement=dep69)
    rapport = importer(csv_octets([ligne_anct(code_tiers=SIRET_IFAC, raison_sociale="IFAC")]), utilisateur=agent93)
    assert rapport.crees == 1 and rapport.ecrit
    employeur.refresh_from_db()
    assert employeur.raison_sociale == "IFAC Rhône"
    assert Poste.objects.get().employeur == employeur
    assert "suivi par un autre département" in rapport.avertissements[0].message


def test_ligne_anct_cree_employeur_a_preciser_poste_en_attente_de_convention_et_financement(db):
    rapport = importer(json_octets([ligne_anct()]), nom="adulte-relais-2023.json")
    assert comptes(rapport) == (1, 1, 0, 0, 0)
    poste = Poste.objects.select_related("employeur").get()
    assert poste.employeur.forme_juridique == FormeJuridique.A_PRECISER
    assert not poste.employeur.eligibilite.ok  # never made eligible by an import
    # Financed in the register, but no convention known: its status follows its conventions.
    assert poste.statut == StatutPoste.EN_ATTENTE and poste.heures_hebdomadaires == 35
    financement = FinancementAnnuel.objects.get()
    assert (financement.poste, financement.annee, financement.montant, financement.code_contrat_ville) == (
        poste,
        2023,
        Decimal("22555.73"),
        "CV123",
    )
    assert rapport.objets["employeurs"]["crees"] == 1 and rapport.objets["financements"]["crees"] == 1


def test_forme_juridique_a_preciser_non_eligible_tant_que_l_agent_ne_l_a_pas_dite():
    resultat = eligibilite_employeur(FormeJuridique.A_PRECISER)
    assert not resultat.ok and "à préciser" in resultat.motif and resultat.article.startswith("art. L5134-101")


def test_departement_absent_lu_dans_l_identifiant_et_signale(db):
    rapport = importer(json_octets([ligne_anct(id_poste="97118R001001", insee_dep=None, insee_reg=None)]))
    assert rapport.crees == 1
    assert Poste.objects.get().departement.code == "971"
    assert [(a.ligne, a.colonne) for a in rapport.avertissements] == [(1, "insee_dep")]
    assert "Département absent : 971, lu dans l’identifiant" in rapport.avertissements[0].message


def test_le_departement_du_poste_est_celui_qui_le_finance(db):
    importer(json_octets([ligne_anct(id_poste="00120R000100", insee_dep="43", insee_reg="84")]))
    assert Poste.objects.get().departement.code == "43"


def test_une_annee_plus_ancienne_ajoute_son_financement_sans_deplacer_le_poste(db):
    importer(json_octets([ligne_anct(id_poste="00120R000100", insee_dep="43", insee_reg="84")]))
    ancienne = ligne_anct(id_poste="00120R000100", annee=2022, montant=21254, insee_dep="01", raison_sociale="ALFA 3A")
    rapport = importer(json_octets([ancienne]))
    assert comptes(rapport) == (1, 0, 1, 0, 0)
    poste = Poste.objects.select_related("employeur").get()
    assert poste.departement.code == "43" and poste.employeur.raison_sociale == "ASSOCIATION MEDIATION PLAINE"
    assert sorted(FinancementAnnuel.objects.values_list("annee", flat=True)) == [2022, 2023]


def test_annee_plus_recente_change_l_employeur_et_le_departement(db):
    importer(json_octets([ligne_anct(annee=2022, montant=21254)]))
    rapport = importer(json_octets([ligne_anct(code_tiers=SIRET_IFAC, raison_sociale="IFAC", insee_dep="95")]))
    assert comptes(rapport) == (1, 0, 1, 0, 0)
    poste = Poste.objects.select_related("employeur", "departement").get()
    assert (poste.employeur.siret, poste.departement.code) == (SIRET_IFAC, "95")


def test_montant_corrige_met_a_jour_le_financement(db):
    importer(json_octets([ligne_anct()]))
    rapport = importer(json_octets([ligne_anct(montant=11277.87)]))
    assert comptes(rapport) == (1, 0, 1, 0, 0) and rapport.objets["financements"]["mis_a_jour"] == 1
    assert FinancementAnnuel.objects.get().montant == Decimal("11277.87")


def test_les_colonnes_absentes_ne_touchent_a_rien(quartiers):
    importer(csv_octets([ligne_poste()]))
    rapport = importer(json_octets([ligne_anct(raison_sociale="Association Médiation Plaine")]))
    assert comptes(rapport) == (1, 0, 1, 0, 0)  # only the funding is new
    poste = Poste.objects.get()
    assert poste.missions == "Accueil des familles" and poste.quartiers.count() == 1


def test_une_cellule_vide_dans_une_colonne_presente_vide_le_champ(quartiers):
    importer(csv_octets([ligne_poste()]))
    rapport = importer(
        csv_octets(
            [ligne_poste(**{"Quartiers (codes QPV)": "", "Missions": "", "Domaines": "Médiation scolaire, Médiation numérique"})]
        )
    )
    assert comptes(rapport) == (1, 0, 1, 0, 0)
    poste = Poste.objects.get()
    assert poste.missions == "" and not poste.quartiers.exists()
    assert sorted(poste.domaines.values_list("code", flat=True)) == ["mediation-numerique", "mediation-scolaire"]


def test_modification_du_poste_et_de_la_convention_comptee_comme_mise_a_jour(quartiers):
    importer(csv_octets([ligne_poste()]))
    rapport = importer(csv_octets([ligne_poste(**{"Heures hebdomadaires": "17,5", "Fin de convention": "31/12/2025"})]))
    assert comptes(rapport) == (1, 0, 1, 0, 0)
    assert Poste.objects.get().heures_hebdomadaires == Decimal("17.5")
    assert Convention.objects.get().date_fin == date(2025, 12, 31)
    assert rapport.objets["conventions"]["mis_a_jour"] == 1


def test_convention_d_un_autre_poste_refusee(quartiers):
    importer(csv_octets([ligne_poste()]))
    rapport = importer(csv_octets([ligne_poste(Identifiant="09323R000201")]))
    assert messages(rapport) == [(2, "Convention", "La convention CONV-2023-001 appartient à un autre poste.")]


def test_qpv_d_un_autre_departement_signale_sans_rejeter(quartiers):
    rapport = importer(csv_octets([ligne_poste(**{"Quartiers (codes QPV)": "QN09339M QN06901M"})]))
    assert rapport.crees == 1
    assert "QN06901M n’est pas dans le département 93" in rapport.avertissements[0].message


def test_colonne_inconnue_signalee_et_ignoree(quartiers):
    rapport = importer(csv_octets([ligne_poste(Commentaire="à revoir")]))
    assert rapport.crees == 1 and rapport.avertissements[0].message == "Colonne inconnue ignorée : « Commentaire »."


def test_identifiants_du_nord_et_anciens_rt_importes(db):
    lignes = [
        ligne_anct(id_poste="59L13R001803", insee_dep="59", insee_reg="32"),
        ligne_anct(id_poste="01615RT00102", insee_dep="16", insee_reg="75"),
    ]
    assert importer(csv_octets(lignes)).crees == 2


def test_nombre_de_requetes_independant_du_nombre_de_lignes(db, django_assert_max_num_queries):
    lignes = [ligne_anct(id_poste=f"09323R{n:04d}01") for n in range(1, 301)]
    with django_assert_max_num_queries(40):
        assert importer(csv_octets(lignes)).crees == 300
    with django_assert_max_num_queries(40):
        assert importer(csv_octets(lignes)).inchanges == 300


def test_poste_existant_du_perimetre_mis_a_jour_par_l_agent(agent93, poste93):
    rapport = importer(
        json_octets(
            [
                ligne_anct(
                    id_poste=poste93.identifiant,
                    code_tiers=poste93.employeur.siret,
                    raison_sociale=poste93.employeur.raison_sociale,
                )
            ]
        ),
        utilisateur=agent93,
    )
    assert comptes(rapport) == (1, 0, 1, 0, 0)
    assert FinancementAnnuel.objects.for_user(agent93).count() == 1


def test_historique_ecrit_pour_chaque_poste_et_convention_importes(quartiers, agent93):
    importer(csv_octets([ligne_poste()]), utilisateur=agent93)
    importer(csv_octets([ligne_poste(Missions="Accueil des familles et des élèves")]), utilisateur=agent93)
    poste = Poste.objects.get()
    historique = list(poste.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.missions, h.history_user, h.history_change_reason) for h in historique] == [
        ("+", "Accueil des familles", agent93, "Import de postes"),
        ("~", "Accueil des familles et des élèves", agent93, "Import de postes"),
    ]
    assert historique[0].identifiant == poste.identifiant and historique[0].employeur_id == poste.employeur_id
    convention = Convention.objects.get()
    assert convention.history.get().history_type == "+"


def test_l_agent_precise_la_forme_juridique_d_un_employeur_importe(client, agent93, agent69, membre93):
    from django.urls import reverse

    importer(json_octets([ligne_anct()]))
    employeur = Employeur.objects.get(siret=SIRET_ALFA)
    url = reverse("employeurs:forme_juridique", args=[employeur.siret])
    for autre, statut in ((agent69, 404), (membre93, 404)):
        client.force_login(autre)
        assert client.post(url, {"forme_juridique": "association"}).status_code == statut
    client.force_login(agent93)
    page = client.get(reverse("employeurs:detail", args=[employeur.siret])).content.decode()
    assert "Préciser la forme juridique" in page and "Employeur non éligible" in page
    assert 'value="a_preciser"' not in page  # « À préciser » is never a choice
    client.post(url, {"forme_juridique": "a_preciser"})
    employeur.refresh_from_db()
    assert employeur.forme_juridique == FormeJuridique.A_PRECISER
    client.post(url, {"forme_juridique": "association"})
    employeur.refresh_from_db()
    assert employeur.forme_juridique == FormeJuridique.ASSOCIATION and employeur.eligibilite.ok


def test_le_statut_d_un_poste_importe_suit_ses_conventions_et_non_la_colonne_statut(quartiers):
    rapport = importer(csv_octets([ligne_poste(Statut="Fermé")]))
    assert Poste.objects.get().statut == StatutPoste.ACTIF  # its convention is « en cours »
    assert [a.message for a in rapport.avertissements] == [
        "Le statut d’un poste suit ses conventions : « Fermé » lu dans le fichier, « Actif » retenu."
    ]
    rapport = importer(csv_octets([ligne_poste(**{"Statut de la convention": "Échue", "Statut": "Fermé"})]))
    assert comptes(rapport) == (1, 0, 1, 0, 0) and rapport.avertissements == []
    assert Poste.objects.get().statut == StatutPoste.FERME


def test_poste_importe_meme_statut_sur_sa_page_et_au_tableau_de_bord(client, agent93, quartiers, dep93):
    """A post funded in the register without a convention is not « Actif » on its page while the
    dashboard does not count it in exercise; a post with a running convention is both."""
    from django.urls import reverse

    importer(json_octets([ligne_anct(id_poste="09323R000201", insee_dep="93")]), nom="adulte-relais-2023.json")
    debut = date.today().replace(day=1)
    importer(
        csv_octets(
            [
                ligne_poste(
                    **{
                        "Début de convention": debut.strftime("%d/%m/%Y"),
                        "Fin de convention": debut.replace(year=debut.year + 2).strftime("%d/%m/%Y"),
                        "Signature de la convention": debut.strftime("%d/%m/%Y"),
                        "Statut": "",
                    }
                )
            ]
        )
    )
    client.force_login(agent93)
    sans_convention = Poste.objects.get(identifiant="09323R000201")
    avec_convention = Poste.objects.get(identifiant="09323R000101")
    assert (
        "En attente de convention"
        in client.get(reverse("conventions:poste", args=[sans_convention.identifiant])).content.decode()
    )
    assert "Actif" in client.get(reverse("conventions:poste", args=[avec_convention.identifiant])).content.decode()
    tableau = client.get(reverse("pilotage:tableau_de_bord"), {"departement": dep93.pk}).context
    assert tableau["totaux"]["en_exercice"] == Poste.objects.filter(statut=StatutPoste.ACTIF).count() == 1
