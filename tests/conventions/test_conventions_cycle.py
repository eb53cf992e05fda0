"""Convention lifecycle: rules (pure) and services (signature, termination, renewal, avenants,
daily update), with the post's status kept consistent."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from conventions.budget import BudgetInsuffisant
from conventions.echeancier import echeancier_convention
from conventions.models import Convention
from conventions.regles import (
    date_effet_minimale_resiliation,
    date_limite_embauche,
    periodes_heures,
    statut_du_jour,
    statut_poste,
)
from conventions.services.cycle import (
    TransitionRefusee,
    avenant_heures,
    avenant_titulaire,
    mettre_a_jour_conventions,
    renouveler,
    resilier,
    signer,
)
from conventions.services.embauche import Embauche
from financements.models import Enveloppe
from postes.models import Poste
from tests.factories import AffectationFactory, ConventionFactory, convention_signee, question_eligible
from titulaires.models import Affectation, Titulaire

# --- Pure rules ---------------------------------------------------------------------------------


def test_caducite_cinq_mois_apres_le_debut():
    assert date_limite_embauche(date(2024, 1, 31)) == date(2024, 6, 30)
    assert date_limite_embauche(date(2024, 9, 30)) == date(2025, 2, 28)


def test_statut_du_jour_signee_puis_en_cours_puis_echue():
    debut, fin = date(2024, 3, 1), date(2025, 2, 28)
    assert statut_du_jour("signee", debut, fin, date(2024, 2, 29), False) == "signee"
    assert statut_du_jour("signee", debut, fin, date(2024, 3, 1), False) == "en_cours"
    assert statut_du_jour("en_cours", debut, fin, date(2025, 3, 1), True) == "echue"


def test_statut_du_jour_caduque_sans_embauche_dans_les_cinq_mois():
    debut, fin = date(2024, 3, 1), date(2026, 2, 28)
    assert statut_du_jour("en_cours", debut, fin, date(2024, 7, 31), False) == "en_cours"
    assert statut_du_jour("en_cours", debut, fin, date(2024, 8, 1), False) == "caduque"
    assert statut_du_jour("en_cours", debut, fin, date(2024, 8, 1), True) == "en_cours"


@pytest.mark.parametrize("statut", ["projet", "echue", "resiliee", "caduque"])
def test_le_temps_ne_change_pas_les_autres_statuts(statut):
    assert statut_du_jour(statut, date(2020, 1, 1), date(2020, 12, 31), date(2030, 1, 1), False) == statut


def test_preavis_de_deux_mois_pour_la_resiliation_a_l_initiative_de_l_employeur():
    assert date_effet_minimale_resiliation("initiative_employeur", date(2024, 3, 15)) == date(2024, 5, 15)
    assert date_effet_minimale_resiliation("initiative_employeur", date(2024, 12, 31)) == date(2025, 2, 28)
    assert date_effet_minimale_resiliation("manquement", date(2024, 3, 15)) == date(2024, 3, 15)


def test_periodes_d_heures_apres_avenants():
    periodes = periodes_heures(
        date(2024, 1, 1),
        date(2026, 12, 31),
        Decimal("35"),
        [(date(2025, 3, 1), Decimal("24")), (date(2025, 9, 1), Decimal("30"))],
    )
    assert periodes == [
        (date(2024, 1, 1), date(2025, 2, 28), Decimal("35")),
        (date(2025, 3, 1), date(2025, 8, 31), Decimal("24")),
        (date(2025, 9, 1), date(2026, 12, 31), Decimal("30")),
    ]


def test_statut_du_poste_selon_ses_conventions():
    jour = date(2025, 1, 1)
    assert statut_poste([], jour) == "en_attente"
    assert statut_poste([("projet", None)], jour) == "en_attente"
    assert statut_poste([("en_cours", None)], jour) == "actif"
    assert statut_poste([("echue", None), ("projet", None)], jour) == "en_attente"
    assert statut_poste([("resiliee", date(2025, 3, 1))], jour) == "actif"
    assert statut_poste([("resiliee", date(2025, 1, 1))], jour) == "ferme"
    assert statut_poste([("echue", None), ("caduque", None)], jour) == "ferme"


# --- Services -----------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def projet(poste93):
    return ConventionFactory(poste=poste93, date_debut=date(2025, 1, 1), date_fin=date(2027, 12, 31))


@pytest.mark.django_db
def test_signer_un_projet_le_rend_signe_date_et_archive_le_pdf(projet, agent93, media):
    convention = signer(
        projet,
        date_signature=date(2024, 12, 10),
        signataire="Le préfet, Jeanne Martin",
        auteur=agent93,
        aujourd_hui=date(2024, 12, 15),
    )
    assert convention.statut == "signee"
    assert convention.date_signature == date(2024, 12, 10)
    assert convention.pdf and len(convention.pdf_sha256) == 64
    assert convention.poste.statut == "actif"
    derniere = convention.history.filter(history_change_reason__startswith="Signée").get()
    assert derniere.history_user == agent93


@pytest.mark.django_db
def test_signer_une_convention_deja_commencee_la_met_en_cours(projet, media):
    AffectationFactory(poste=projet.poste, date_debut=date(2025, 1, 1))
    convention = signer(projet, date_signature=date(2025, 1, 20), signataire="Le préfet", aujourd_hui=date(2025, 1, 20))
    assert convention.statut == "en_cours"


@pytest.mark.django_db
def test_signature_refusee_deux_fois_dans_le_futur_ou_sans_signataire(projet, media):
    with pytest.raises(TransitionRefusee, match="futur"):
        signer(projet, date_signature=date(2025, 1, 2), signataire="Le préfet", aujourd_hui=date(2025, 1, 1))
    with pytest.raises(TransitionRefusee, match="signataire"):
        signer(projet, date_signature=date(2024, 12, 1), signataire="  ", aujourd_hui=date(2025, 1, 1))
    signer(projet, date_signature=date(2024, 12, 1), signataire="Le préfet", aujourd_hui=date(2025, 1, 1))
    with pytest.raises(TransitionRefusee, match="Seule une convention en projet"):
        signer(projet, date_signature=date(2024, 12, 1), signataire="Le préfet", aujourd_hui=date(2025, 1, 1))


@pytest.mark.django_db
def test_signature_refusee_si_le_poste_a_deja_une_convention_signee_sur_la_periode(poste93, media):
    convention_signee(poste93, date(2024, 1, 1), date(2025, 6, 30))
    chevauchant = ConventionFactory(poste=poste93, date_debut=date(2025, 1, 1), date_fin=date(2026, 12, 31))
    with pytest.raises(TransitionRefusee, match="déjà une convention signée"):
        signer(chevauchant, date_signature=date(2024, 12, 1), signataire="Le préfet", aujourd_hui=date(2025, 1, 1))


@pytest.mark.django_db
def test_resiliation_a_l_initiative_de_l_employeur_exige_deux_mois_de_preavis(poste93):
    convention = convention_signee(poste93, fin=date(2025, 12, 31))
    with pytest.raises(TransitionRefusee, match="deux mois après la notification"):
        resilier(
            convention,
            motif="initiative_employeur",
            date_notification=date(2024, 3, 15),
            date_effet=date(2024, 5, 14),
            aujourd_hui=date(2024, 3, 15),
        )
    resilier(
        convention,
        motif="initiative_employeur",
        date_notification=date(2024, 3, 15),
        date_effet=date(2024, 5, 15),
        aujourd_hui=date(2024, 3, 15),
    )
    convention.refresh_from_db()
    assert convention.statut == "resiliee" and convention.date_resiliation == date(2024, 5, 15)
    assert convention.poste.statut == "actif"  # le préavis court encore


@pytest.mark.django_db
def test_resiliation_pour_manquement_arrete_l_aide_la_veille_de_la_date_d_effet(poste93):
    convention = convention_signee(poste93, date(2024, 7, 1), date(2027, 6, 30))
    AffectationFactory(poste=poste93, date_debut=date(2024, 7, 1))
    resilier(
        convention,
        motif="manquement",
        date_notification=date(2024, 9, 16),
        date_effet=date(2024, 9, 16),
        aujourd_hui=date(2024, 9, 16),
    )
    convention.refresh_from_db()
    echeancier = echeancier_convention(convention)
    assert echeancier.fin == date(2024, 9, 15)
    # juillet + août + 15/30 de septembre au barème 2024 : 22 810,61 × (2 + 0,5) / 12 = 4 752,21
    assert echeancier.total == Decimal("4752.21")
    assert Poste.objects.get(pk=poste93.pk).statut == "ferme"


@pytest.mark.django_db
@pytest.mark.parametrize("statut", ["projet", "echue", "caduque"])
def test_resiliation_refusee_hors_convention_en_vigueur(poste93, statut):
    convention = ConventionFactory(poste=poste93, statut=statut, date_signature=None if statut == "projet" else date(2024, 1, 1))
    with pytest.raises(TransitionRefusee, match="Seule une convention signée ou en cours"):
        resilier(convention, motif="manquement", date_notification=date(2024, 3, 1), date_effet=date(2024, 3, 1))


@pytest.fixture
def enveloppe93(dep93):
    return Enveloppe.objects.create(departement=dep93, annee=2026, nombre_postes=10, montant=Decimal("200000"))


@pytest.mark.django_db
def test_renouvellement_commence_le_lendemain_de_la_fin(poste93, enveloppe93):
    convention = convention_signee(poste93, date(2023, 1, 1), date(2025, 12, 31))
    nouvelle = renouveler(convention, date_fin=date(2028, 12, 31), aujourd_hui=date(2025, 11, 1))
    assert nouvelle.date_debut == date(2026, 1, 1)
    assert nouvelle.statut == "projet" and nouvelle.rang == "renouvellement" and nouvelle.precedente == convention
    assert nouvelle.numero == f"{poste93.identifiant}-2"


@pytest.mark.django_db
def test_renouvellement_au_dela_de_trois_ans_refuse(poste93, enveloppe93):
    convention = convention_signee(poste93, date(2023, 1, 1), date(2025, 12, 31))
    with pytest.raises(TransitionRefusee, match="au plus trois ans"):
        renouveler(convention, date_fin=date(2029, 1, 1), aujourd_hui=date(2025, 11, 1))


@pytest.mark.django_db
def test_un_seul_renouvellement_par_defaut(poste93, enveloppe93, dep93, settings):
    Enveloppe.objects.create(departement=dep93, annee=2029, nombre_postes=10, montant=Decimal("200000"))
    convention = convention_signee(poste93, date(2023, 1, 1), date(2025, 12, 31), statut="echue")
    renouvellement = renouveler(convention, date_fin=date(2028, 12, 31), aujourd_hui=date(2025, 11, 1))
    Convention.objects.filter(pk=renouvellement.pk).update(statut="en_cours", date_signature=date(2025, 12, 1))
    renouvellement.refresh_from_db()
    with pytest.raises(TransitionRefusee, match="limité à 1"):
        renouveler(renouvellement, date_fin=date(2029, 12, 31), aujourd_hui=date(2028, 11, 1))
    settings.CONVENTION_RENOUVELLEMENTS_MAX = 2
    assert renouveler(renouvellement, date_fin=date(2029, 12, 31), aujourd_hui=date(2028, 11, 1)).rang == "renouvellement"


@pytest.mark.django_db
def test_renouvellement_refuse_deux_fois_pour_la_meme_convention(poste93, enveloppe93):
    convention = convention_signee(poste93, date(2023, 1, 1), date(2025, 12, 31))
    renouveler(convention, date_fin=date(2026, 12, 31), aujourd_hui=date(2025, 11, 1))
    with pytest.raises(TransitionRefusee, match="déjà été renouvelée"):
        renouveler(convention, date_fin=date(2026, 12, 31), aujourd_hui=date(2025, 11, 1))


@pytest.mark.django_db
def test_renouvellement_refuse_quand_l_enveloppe_serait_depassee(poste93, dep93):
    Enveloppe.objects.create(departement=dep93, annee=2026, nombre_postes=1, montant=Decimal("20000"))
    convention = convention_signee(poste93, date(2023, 1, 1), date(2025, 12, 31))
    with pytest.raises(BudgetInsuffisant, match="L’enveloppe 2026 du département 93 – Seine-Saint-Denis serait dépassée"):
        renouveler(convention, date_fin=date(2026, 12, 31), aujourd_hui=date(2025, 11, 1))
    assert not Convention.objects.filter(precedente=convention).exists()


@pytest.mark.django_db
def test_renouvellement_refuse_sans_enveloppe_pour_l_annee(poste93):
    convention = convention_signee(poste93, date(2023, 1, 1), date(2025, 12, 31))
    with pytest.raises(BudgetInsuffisant, match="Aucune enveloppe n’est ouverte"):
        renouveler(convention, date_fin=date(2026, 12, 31), aujourd_hui=date(2025, 11, 1))


@pytest.mark.django_db
def test_renouvellement_d_une_convention_resiliee_refuse(poste93, enveloppe93):
    convention = convention_signee(
        poste93, fin=date(2025, 12, 31), statut="resiliee", motif_resiliation="manquement", date_resiliation=date(2025, 6, 1)
    )
    with pytest.raises(TransitionRefusee, match="signée, en cours ou échue"):
        renouveler(convention, date_fin=date(2026, 12, 31), aujourd_hui=date(2025, 11, 1))


@pytest.mark.django_db
def test_avenant_d_heures_change_les_heures_a_partir_de_sa_date_d_effet(poste93, agent93):
    convention = convention_signee(poste93, date(2024, 7, 1), date(2027, 6, 30))
    AffectationFactory(poste=poste93, date_debut=date(2024, 7, 1))
    avenant = avenant_heures(
        convention,
        heures=Decimal("17.5"),
        date_effet=date(2025, 1, 1),
        date_signature=date(2024, 12, 1),
        auteur=agent93,
        aujourd_hui=date(2024, 12, 1),
    )
    assert avenant.numero == 1 and avenant.heures_avant == Decimal("35") and avenant.heures_apres == Decimal("17.5")
    convention.refresh_from_db()
    assert convention.heures_hebdomadaires == Decimal("17.5")
    assert Poste.objects.get(pk=poste93.pk).heures_hebdomadaires == Decimal("17.5")
    echeancier = echeancier_convention(convention, date(2024, 7, 1), date(2025, 6, 30))
    # six mois à temps plein puis six mois à mi-temps : 22 810,61 × (6 + 3) / 12 = 17 107,9575
    assert echeancier.total == Decimal("17107.96")


@pytest.mark.django_db
def test_avenant_d_heures_refuse_pour_les_memes_heures_ou_un_projet(poste93, projet):
    convention = convention_signee(poste93, date(2024, 7, 1), date(2025, 6, 30))
    with pytest.raises(TransitionRefusee, match="déjà 35 heures"):
        avenant_heures(
            convention,
            heures=Decimal("35"),
            date_effet=date(2025, 1, 1),
            date_signature=date(2024, 12, 1),
            aujourd_hui=date(2024, 12, 1),
        )
    with pytest.raises(TransitionRefusee, match="signée ou en cours"):
        avenant_heures(
            projet,
            heures=Decimal("20"),
            date_effet=date(2025, 2, 1),
            date_signature=date(2024, 12, 1),
            aujourd_hui=date(2024, 12, 1),
        )
    with pytest.raises(TransitionRefusee, match="comprise entre le 01/07/2024 et le 30/06/2025"):
        avenant_heures(
            convention,
            heures=Decimal("20"),
            date_effet=date(2025, 7, 1),
            date_signature=date(2024, 12, 1),
            aujourd_hui=date(2024, 12, 1),
        )


@pytest.mark.django_db
def test_avenant_de_titulaire_ferme_l_affectation_la_veille_et_en_ouvre_une(poste93, agent93):
    convention = convention_signee(poste93, date(2024, 7, 1), date(2027, 6, 30))
    ancienne = AffectationFactory(poste=poste93, date_debut=date(2024, 7, 1))
    avenant = avenant_titulaire(
        convention,
        date_signature=date(2025, 2, 20),
        embauche=Embauche(
            nom="Diallo", prenom="Awa", date_debut=date(2025, 3, 1), type_contrat="cdi", question=question_eligible()
        ),
        auteur=agent93,
        aujourd_hui=date(2025, 2, 20),
    )
    ancienne.refresh_from_db()
    assert ancienne.date_fin == date(2025, 2, 28)
    assert avenant.affectation.date_debut == date(2025, 3, 1) and avenant.affectation.poste == poste93
    assert avenant.affectation.titulaire.nom == "Diallo"
    assert Affectation.objects.filter(poste=poste93).count() == 2
    # Le poste reste occupé sans interruption : l’aide ne change pas.
    assert echeancier_convention(convention, date(2024, 7, 1), date(2025, 6, 30)).total == Decimal("22810.61")


@pytest.mark.django_db
def test_avenant_de_titulaire_refuse_pour_le_titulaire_deja_en_place(poste93, agent93):
    convention = convention_signee(poste93, date(2024, 7, 1), date(2027, 6, 30))
    ancienne = AffectationFactory(poste=poste93, date_debut=date(2024, 7, 1))
    with pytest.raises(TransitionRefusee, match="occupe déjà ce poste"):
        embauche = Embauche(
            nom="",
            prenom="",
            date_debut=date(2025, 3, 1),
            type_contrat="cdi",
            question=question_eligible(),
            titulaire=ancienne.titulaire,
        )
        avenant_titulaire(
            convention, embauche=embauche, date_signature=date(2025, 2, 1), auteur=agent93, aujourd_hui=date(2025, 2, 20)
        )
    assert Titulaire.objects.count() == 1


@pytest.mark.django_db
def test_mise_a_jour_quotidienne(poste93, employeur93):
    from tests.factories import PosteFactory

    a_commencer = ConventionFactory(
        poste=poste93, statut="signee", date_signature=date(2024, 12, 1), date_debut=date(2025, 1, 1), date_fin=date(2027, 12, 31)
    )
    AffectationFactory(poste=poste93, date_debut=date(2025, 1, 15))
    poste_b = PosteFactory(employeur=employeur93, statut="actif")
    a_echoir = convention_signee(poste_b, date(2022, 1, 1), date(2024, 12, 31))
    AffectationFactory(poste=poste_b, date_debut=date(2022, 1, 1))
    poste_c = PosteFactory(employeur=employeur93, statut="actif")
    sans_embauche = convention_signee(poste_c, date(2024, 8, 1), date(2027, 7, 31))

    changements, postes = mettre_a_jour_conventions(date(2025, 1, 1))
    resultat = {c.convention.numero: (c.avant, c.apres) for c in changements}
    assert resultat == {
        a_commencer.numero: ("signee", "en_cours"),
        a_echoir.numero: ("en_cours", "echue"),
        sans_embauche.numero: ("en_cours", "caduque"),
    }
    assert {p.identifiant: p.statut for p in postes} == {
        poste93.identifiant: "actif",
        poste_b.identifiant: "ferme",
        poste_c.identifiant: "ferme",
    }
    assert mettre_a_jour_conventions(date(2025, 1, 1)) == ([], [])


@pytest.mark.django_db
def test_commande_mettre_a_jour_conventions_dit_ce_qu_elle_change(poste93, capsys):
    convention = convention_signee(poste93, date(2022, 1, 1), date(2024, 12, 31))
    AffectationFactory(poste=poste93, date_debut=date(2022, 1, 1))
    call_command("mettre_a_jour_conventions", "--date", "2025-01-01")
    sortie = capsys.readouterr().out
    assert f"Convention {convention.numero} : En cours → Échue" in sortie
    call_command("mettre_a_jour_conventions", "--date", "2025-01-01")
    assert "Aucune convention à mettre à jour au 01/01/2025." in capsys.readouterr().out


@pytest.mark.django_db
def test_avenant_qui_augmente_les_heures_refuse_au_dela_de_l_enveloppe(poste93, dep93):
    convention = convention_signee(poste93, date(2024, 7, 1), date(2027, 6, 30), heures_hebdomadaires=Decimal("17.5"))
    AffectationFactory(poste=poste93, date_debut=date(2024, 7, 1))
    Enveloppe.objects.create(departement=dep93, annee=2025, nombre_postes=1, montant=Decimal("15000"))
    # prévu en 2025 à mi-temps : 11 405,31 € ; passer à 35 h au 1er juillet ajoute 5 702,65 € (> 15 000 €)
    with pytest.raises(BudgetInsuffisant, match="L’enveloppe 2025"):
        avenant_heures(
            convention,
            heures=Decimal("35"),
            date_effet=date(2025, 7, 1),
            date_signature=date(2025, 6, 1),
            aujourd_hui=date(2025, 6, 1),
        )
    assert not convention.avenants.exists()
    # une hausse plus modeste (20 h : + 814,66 €) tient dans l’enveloppe : acceptée
    avenant_heures(
        convention,
        heures=Decimal("20"),
        date_effet=date(2025, 7, 1),
        date_signature=date(2025, 6, 1),
        aujourd_hui=date(2025, 6, 1),
    )
