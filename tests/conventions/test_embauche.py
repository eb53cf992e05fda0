"""Recording a hire (titulaire + affectation + diagnosis in one transaction), its refusals, and the
immutability of the diagnoses."""

from datetime import date

import pytest

from conventions.services.embauche import (
    Embauche,
    EmbaucheRefusee,
    PeriodeConvention,
    enregistrer_embauche,
    motif_hors_convention,
)
from quartiers.residence import Mode, Residence
from tests.factories import AffectationFactory, ConventionFactory, QuartierFactory
from titulaires.models import Affectation, DiagnosticEligibilite, RegleAgeMinimum, Titulaire
from titulaires.services import Question, nouvelle_verification

pytestmark = pytest.mark.django_db


@pytest.fixture
def quartier(dep93):
    return QuartierFactory(code="QN09339M", nom="Floréal Saussaie Allende")


@pytest.fixture
def poste_conventionne(poste93):
    ConventionFactory(
        poste=poste93,
        statut="en_cours",
        date_signature=date(2023, 12, 1),
        date_debut=date(2024, 1, 1),
        date_fin=date(2026, 12, 31),
    )
    return poste93


def question(quartier, **modifs):
    valeurs = dict(
        naissance=date(1990, 5, 17),
        date_contrat=date(2024, 3, 1),
        situation="sans_emploi",
        residence=Residence(mode=Mode.QPV, qpv=quartier, justification="Attestation du bailleur."),
        derogation="",
    )
    valeurs.update(modifs)
    return Question(**valeurs)


def embauche(quartier, date_debut=date(2024, 3, 4), **modifs):
    return Embauche(
        nom="Benali", prenom="Samia", date_debut=date_debut, type_contrat="cdi", question=question(quartier, **modifs)
    )


def test_l_embauche_cree_titulaire_affectation_et_diagnostic(poste_conventionne, quartier, agent93):
    affectation = enregistrer_embauche(poste_conventionne, embauche(quartier), agent93)
    titulaire = affectation.titulaire
    assert (titulaire.nom, titulaire.prenom, titulaire.date_naissance) == ("Benali", "Samia", date(1990, 5, 17))
    assert titulaire.qpv_residence == quartier and titulaire.situation_avant_embauche == "sans_emploi"
    assert (affectation.date_debut, affectation.date_signature_contrat, affectation.date_fin) == (
        date(2024, 3, 4),
        date(2024, 3, 1),
        None,
    )
    diagnostic = affectation.diagnostics.get()
    assert diagnostic.eligible and diagnostic.auteur == agent93 and diagnostic.qpv == quartier
    assert diagnostic.date_contrat == date(2024, 3, 1)
    assert diagnostic.version_regles.startswith("L5134-102 : âge minimum 26 ans (règle du 16/09/2021)")
    assert diagnostic.entrees["residence"] == {"mode": "qpv", "qpv": "QN09339M", "justification": "Attestation du bailleur."}
    assert [c["critere"] for c in diagnostic.criteres] == ["age", "situation", "residence"]
    assert all("article" in c for c in diagnostic.criteres)


def rien_ecrit():
    return not Titulaire.objects.exists() and not DiagnosticEligibilite.objects.exists()


def test_embauche_refusee_sur_un_poste_deja_occupe(poste_conventionne, quartier, agent93):
    AffectationFactory(poste=poste_conventionne, date_debut=date(2024, 1, 15))
    with pytest.raises(EmbaucheRefusee, match="est déjà occupé par .* depuis le 15/01/2024"):
        enregistrer_embauche(poste_conventionne, embauche(quartier), agent93)
    assert Affectation.objects.count() == 1 and not DiagnosticEligibilite.objects.exists()


def test_chevauchement_avec_une_affectation_terminee_traduit_en_francais(poste_conventionne, quartier, agent93):
    ancienne = AffectationFactory(poste=poste_conventionne, date_debut=date(2024, 1, 2), date_fin=date(2024, 6, 30))
    with pytest.raises(EmbaucheRefusee, match="déjà occupé sur une partie de la période qui commence le 04/03/2024"):
        enregistrer_embauche(poste_conventionne, embauche(quartier), agent93)
    assert list(Affectation.objects.all()) == [ancienne]
    assert Titulaire.objects.count() == 1  # only the former holder: the new one was rolled back


def test_embauche_apres_la_fin_de_l_affectation_precedente_acceptee(poste_conventionne, quartier, agent93):
    AffectationFactory(poste=poste_conventionne, date_debut=date(2024, 1, 2), date_fin=date(2024, 2, 29))
    affectation = enregistrer_embauche(poste_conventionne, embauche(quartier), agent93)
    assert affectation.pk and poste_conventionne.affectations.count() == 2


def test_embauche_refusee_sans_convention_signee(poste93, quartier, agent93):
    ConventionFactory(poste=poste93, statut="projet", date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31))
    with pytest.raises(EmbaucheRefusee, match="Aucune convention signée du poste ne couvre la prise de poste du 04/03/2024"):
        enregistrer_embauche(poste93, embauche(quartier), agent93)
    assert rien_ecrit()


def test_contrat_signe_avant_la_convention_refuse():
    periodes = [PeriodeConvention("signee", date(2024, 3, 10), date(2024, 3, 1), date(2027, 2, 28))]
    assert "serait signé avant la convention (10/03/2024)" in motif_hors_convention(periodes, date(2024, 3, 15), date(2024, 3, 9))
    assert motif_hors_convention(periodes, date(2024, 3, 15), date(2024, 3, 10)) is None
    assert "ne couvre" in motif_hors_convention(periodes, date(2027, 3, 1), date(2027, 2, 1))


def test_personne_non_eligible_rien_n_est_enregistre(poste_conventionne, quartier, agent93):
    with pytest.raises(EmbaucheRefusee) as refus:
        enregistrer_embauche(poste_conventionne, embauche(quartier, naissance=date(1998, 3, 2)), agent93)
    assert "non remplies : âge" in refus.value.message
    assert not refus.value.diagnostic.eligible
    assert rien_ecrit() and not Affectation.objects.exists()


def test_derogation_du_prefet_permet_l_embauche_hors_qpv(poste_conventionne, quartier, agent93):
    sans_qpv = Residence(mode=Mode.POINT, lon=2.5, lat=48.5)
    affectation = enregistrer_embauche(
        poste_conventionne, embauche(quartier, residence=sans_qpv, derogation="Connue des habitants du quartier."), agent93
    )
    diagnostic = affectation.diagnostics.get()
    assert diagnostic.eligible and diagnostic.qpv is None
    assert diagnostic.entrees["derogation"] == "Connue des habitants du quartier."


def test_un_diagnostic_ne_se_modifie_pas_une_nouvelle_verification_s_ajoute(
    poste_conventionne, quartier, agent93, admin_national
):
    affectation = enregistrer_embauche(poste_conventionne, embauche(quartier), agent93)
    premier = affectation.diagnostics.get()
    premier.eligible = False
    with pytest.raises(TypeError, match="ne se modifie pas"):
        premier.save()
    with pytest.raises(TypeError, match="ne se modifie pas"):
        DiagnosticEligibilite.objects.filter(pk=premier.pk).update(eligible=False)

    second = nouvelle_verification(affectation, question(quartier, situation="en_emploi"), admin_national)
    assert not second.eligible and second.auteur == admin_national
    premier.refresh_from_db()
    assert premier.eligible and affectation.diagnostics.count() == 2


def test_regles_d_age_semees_et_modifiables_par_l_administrateur(poste_conventionne, quartier, agent93):
    assert list(RegleAgeMinimum.objects.values_list("date_effet", "age_minimum")) == [
        (date(1999, 1, 1), 30),
        (date(2021, 9, 16), 26),
    ]
    RegleAgeMinimum.objects.create(date_effet=date(2024, 1, 1), age_minimum=35, reference="Règle d’essai")
    with pytest.raises(EmbaucheRefusee, match="non remplies : âge"):
        enregistrer_embauche(poste_conventionne, embauche(quartier), agent93)


def test_l_administrateur_national_amende_les_regles_d_age_dans_l_admin(client, admin_national, agent93):
    client.force_login(admin_national)
    assert client.get("/admin/titulaires/regleageminimum/").status_code == 200
    reponse = client.post(
        "/admin/titulaires/regleageminimum/add/",
        {"date_effet": "2027-01-01", "age_minimum": "25", "reference": "Loi d’essai"},
    )
    assert reponse.status_code == 302
    assert RegleAgeMinimum.objects.filter(date_effet=date(2027, 1, 1), age_minimum=25).exists()
    client.force_login(agent93)
    assert client.get("/admin/titulaires/regleageminimum/").status_code == 302  # agents: no admin


def test_les_diagnostics_sont_en_lecture_seule_dans_l_admin(client, admin_national, poste_conventionne, quartier, agent93):
    diagnostic = enregistrer_embauche(poste_conventionne, embauche(quartier), agent93).diagnostics.get()
    client.force_login(admin_national)
    page = client.get(f"/admin/titulaires/diagnosticeligibilite/{diagnostic.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(f"/admin/titulaires/diagnosticeligibilite/{diagnostic.pk}/change/", {"eligible": ""})
    diagnostic.refresh_from_db()
    assert diagnostic.eligible
