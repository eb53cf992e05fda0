"""RGAA: every page (GET) of every role passes axe-core (in Debian's Chromium) with no serious or
critical violation. The pages are those of the demo dataset, reached as each demo account in one
browser session per role; an employer also files a request with the keyboard only."""

import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from comptes.models import Utilisateur
from conventions.models import Convention
from demandes.models import Demande
from demandes.regles import StatutDemande
from demandes.services import creer_demande
from demandes.views import NOMS_ETAPES
from demo.chargement import MOT_DE_PASSE_DEMO
from employeurs.models import Employeur
from importation import depot, suivi
from importation.models import ImportPostes
from postes.models import Poste
from tests.navigateur.conftest import se_connecter
from tests.outils_import import SIRET_CLE_FAUSSE, csv_octets, ligne_anct
from titulaires.models import Affectation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GRAVES = {"serious", "critical"}
SIMULATION = "?debut=2025-01-01&fin=2025-12-31&heures=35&vacances=01%2F03%2F2025+au+31%2F03%2F2025"


@pytest.fixture
def demo(media):
    call_command("charger_demo", verbosity=0)


def pages_publiques():
    return [
        reverse("comptes:connexion"),
        reverse("comptes:reinitialisation"),
        reverse("comptes:reinitialisation_envoyee"),
        reverse("comptes:mot_de_passe_change"),
        reverse("legal:accessibilite"),
        reverse("legal:mentions_legales"),
        reverse("legal:donnees_personnelles"),
    ]


def pages_listes():
    return [
        reverse("postes:liste"),
        reverse("postes:liste") + "?q=mediation&statut=actif",
        reverse("conventions:liste"),
        reverse("employeurs:liste"),
        reverse("demandes:liste"),
        reverse("pilotage:financements"),
        reverse("pilotage:tableau_de_bord"),
        reverse("financements:simulateur"),
        reverse("financements:simulateur") + SIMULATION,
    ]


def pages_agent():
    postes = Poste.objects.filter(departement__code="93").order_by("identifiant")
    poste = postes.first()
    en_cours = Convention.objects.filter(poste__departement__code="93", statut="en_cours").order_by("pk").first()
    signee = Convention.objects.filter(poste__departement__code="93", statut="signee").order_by("pk").first()
    projet = Convention.objects.filter(poste__departement__code="93", statut="projet").order_by("pk").first()
    affectation = Affectation.objects.filter(poste__departement__code="93").order_by("pk").first()
    demande = Demande.objects.filter(departement__code="93", statut=StatutDemande.EN_INSTRUCTION).first()
    return pages_listes() + [
        reverse("conventions:poste", args=[poste.identifiant]),
        reverse("conventions:poste", args=[projet.poste.identifiant]),
        reverse("conventions:detail", args=[en_cours.pk]),
        reverse("conventions:detail", args=[projet.pk]),
        reverse("conventions:signer", args=[projet.pk]),
        reverse("conventions:resilier", args=[en_cours.pk]),
        reverse("conventions:renouveler", args=[signee.pk]),
        reverse("conventions:avenant_heures", args=[en_cours.pk]),
        reverse("conventions:avenant_titulaire", args=[en_cours.pk]),
        reverse("employeurs:detail", args=[poste.employeur.siret]),
        reverse("employeurs:creer"),
        reverse("demandes:detail", args=[demande.pk]),
        reverse("titulaires:eligibilite"),
        reverse("conventions:embauche", args=[signee.poste.identifiant]),
        reverse("titulaires:detail", args=[affectation.titulaire_id]),
        reverse("titulaires:nouvelle_verification", args=[affectation.pk]),
        reverse("importation:importer"),
        *pages_d_import(),
    ]


def pages_d_import():
    """An import waiting for the worker (its progress zone), and one checked (preview with errors)."""
    agent = Utilisateur.objects.get(email="agent@demo.gouv.fr")
    contenu = csv_octets([ligne_anct(), ligne_anct(id_poste="09323R000201", code_tiers=SIRET_CLE_FAUSSE)])
    en_attente, verifie = (
        ImportPostes.objects.create(demandeur=agent, nom=nom, jeton=depot.deposer(agent, contenu, nom))
        for nom in ("en-attente.csv", "registre.csv")
    )
    suivi.analyser(verifie.pk)
    return [reverse("importation:suivi", args=[imp.pk]) for imp in (en_attente, verifie)]


def pages_employeur():
    association = Employeur.objects.get(raison_sociale="Association Médiation Plaine Commune")
    poste = association.postes.order_by("identifiant").first()
    deposee = association.demandes.get(statut=StatutDemande.DEPOSEE)
    a_completer = association.demandes.get(statut=StatutDemande.A_COMPLETER)
    brouillon = creer_demande(association, Utilisateur.objects.get(email="employeur@demo.fr"))
    return [
        reverse("espace_employeur"),
        reverse("demandes:mes_demandes"),
        *[reverse("demandes:etape", args=[brouillon.pk, etape]) for etape in NOMS_ETAPES],
        reverse("demandes:detail", args=[deposee.pk]),
        reverse("demandes:detail", args=[a_completer.pk]),
        reverse("conventions:poste", args=[poste.identifiant]),
        reverse("conventions:detail", args=[poste.conventions.first().pk]),
        reverse("titulaires:detail", args=[Affectation.objects.filter(poste__employeur=association).first().titulaire_id]),
        reverse("employeurs:detail", args=[association.siret]),
    ]


def pages_admin():
    return pages_listes() + [reverse("comptes:verrouillages")]


def violations_graves(page, axe, url):
    page.goto(url)
    resultats = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in resultats.response["violations"]
        if v["impact"] in GRAVES
    ]


def verifier(page, live_server, urls):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    erreurs = {}
    for url in urls:
        graves = violations_graves(page, axe, live_server.url + url)
        if graves:
            erreurs[url] = graves
    assert not erreurs, "\n".join(f"{url} :\n  " + "\n  ".join(v) for url, v in erreurs.items())


def code_totp(email):
    appareil = TOTPDevice.objects.get(user__email=email)
    return f"{TOTP(appareil.bin_key, appareil.step, appareil.t0, appareil.digits, appareil.drift).token():06d}"


def test_pages_publiques_sans_violation_grave(page, live_server, demo):
    verifier(page, live_server, pages_publiques())


def test_pages_de_l_agent_sans_violation_grave(page, live_server, demo):
    se_connecter(page, live_server, "agent@demo.gouv.fr", MOT_DE_PASSE_DEMO)
    page.wait_for_url(f"{live_server.url}/postes/")
    verifier(page, live_server, pages_agent())


def test_pages_de_l_employeur_sans_violation_grave(page, live_server, demo):
    se_connecter(page, live_server, "employeur@demo.fr", MOT_DE_PASSE_DEMO)
    page.wait_for_url(f"{live_server.url}/espace-employeur/")
    verifier(page, live_server, pages_employeur())


def test_pages_de_l_administrateur_national_sans_violation_grave(page, live_server, demo):
    email = "admin@demo.gouv.fr"
    AccessAttempt.objects.create(
        username="bloque@demo.fr",
        ip_address="192.0.2.7",
        user_agent="test",
        failures_since_start=10,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/comptes/connexion/",
    )
    # First sign-in: the enrolment of the second factor.
    se_connecter(page, live_server, email, MOT_DE_PASSE_DEMO)
    page.wait_for_url(re.compile(re.escape(reverse("comptes:double_facteur_enrolement"))))
    verifier(page, live_server, [reverse("comptes:double_facteur_enrolement")])
    page.get_by_label("Code à 6 chiffres").fill(code_totp(email))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_load_state()
    verifier(page, live_server, pages_admin())
    # Next sign-in: the verification of the code.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    se_connecter(page, live_server, email, MOT_DE_PASSE_DEMO)
    page.wait_for_url(re.compile(re.escape(reverse("comptes:double_facteur_verification"))))
    verifier(page, live_server, [reverse("comptes:double_facteur_verification")])


# --- Keyboard only ----------------------------------------------------------------------------------

FOCUS_VISIBLE = """e => {
    const trait = s => s && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const label = e.labels && e.labels[0];
    return trait(getComputedStyle(e)) || (label && (trait(getComputedStyle(label))
        || trait(getComputedStyle(label, '::before')) || trait(getComputedStyle(label, '::after'))));
}"""


def tabuler_jusqu_a(page, cible, arriere=False, essais=150):
    """Press Tab (Shift+Tab) until `cible` has the focus, then check the focus is visible."""
    element = cible.element_handle()
    for _ in range(essais):
        if element.evaluate("e => e === document.activeElement"):
            assert element.evaluate(FOCUS_VISIBLE), f"le focus n’est pas visible sur {cible}"
            return
        page.keyboard.press("Shift+Tab" if arriere else "Tab")
    raise AssertionError(f"{cible} n’est pas atteignable au clavier")


def saisir(page, cible, texte):
    tabuler_jusqu_a(page, cible)
    page.keyboard.type(texte)


def saisir_date(page, cible, jour):
    """Type a date in a date field, segment after segment, in the order the browser shows (day first
    in French, month first when Chromium runs in English)."""
    tabuler_jusqu_a(page, cible)
    for ordre in ("%d%m%Y", "%m%d%Y"):
        page.keyboard.type(jour.strftime(ordre))
        if cible.input_value() == jour.isoformat():
            return
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
    raise AssertionError(f"date non saisie : {cible.input_value()!r}")


def valider(page, bouton):
    tabuler_jusqu_a(page, bouton)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_un_employeur_depose_une_demande_au_clavier_seulement(page, live_server, demo):
    from tests.factories import PDF_MINIMAL

    se_connecter(page, live_server, "employeur@demo.fr", MOT_DE_PASSE_DEMO)
    page.wait_for_url(f"{live_server.url}/espace-employeur/")
    continuer = page.get_by_role("button", name="Enregistrer et continuer")

    valider(page, page.get_by_role("button", name=re.compile("Nouvelle demande de poste")))
    saisir(page, page.get_by_label("Intitulé du poste"), "Médiateur au clavier")
    saisir(page, page.get_by_label("Nature du projet"), "Accompagner les habitants vers les services publics.")
    saisir(page, page.get_by_label("Missions confiées à l’adulte-relais"), "Accueillir, orienter, accompagner.")
    tabuler_jusqu_a(page, page.locator("input[name=domaines]").first)
    page.keyboard.press("Space")
    assert page.locator("input[name=domaines]").first.is_checked()
    valider(page, continuer)

    saisir(page, page.get_by_label("Rechercher un quartier prioritaire"), "floreal")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=floreal"))
    valider(page, page.get_by_role("button", name=re.compile("Ajouter Floréal")))
    assert "Floréal Saussaie Allende" in page.locator("#quartiers-choisis").inner_text()
    valider(page, continuer)

    saisir(page, page.get_by_label("Durée hebdomadaire de travail (heures)"), "35")
    debut = timezone.localdate()
    saisir_date(page, page.get_by_label("Date de début souhaitée"), debut)
    valider(page, continuer)
    saisir(page, page.get_by_label("Budget prévisionnel annuel du poste (€)"), "32000")
    # Back with Shift+Tab to a field already passed, to check the reverse order works too.
    tabuler_jusqu_a(page, page.get_by_label("Budget prévisionnel annuel du poste (€)"), arriere=True)
    saisir(page, page.get_by_label("Cofinancements"), "Ville de Saint-Denis : 4 000 €")
    valider(page, continuer)

    for type_piece in ("Statuts de l’association", "Budget prévisionnel", "Derniers comptes approuvés"):
        tabuler_jusqu_a(page, page.get_by_label("Type de pièce"))
        options = page.get_by_label("Type de pièce").locator("option").all_inner_texts()
        courant = page.get_by_label("Type de pièce").evaluate("e => e.selectedIndex")
        for _ in range(options.index(type_piece) - courant):
            page.keyboard.press("ArrowDown")
        assert page.get_by_label("Type de pièce").evaluate("e => e.options[e.selectedIndex].text") == type_piece
        tabuler_jusqu_a(page, page.get_by_label("Fichier"))
        # The file itself is picked in the system's dialog, outside the page: give it to the focused field.
        page.evaluate_handle("document.activeElement").as_element().set_input_files(
            {"name": "piece.pdf", "mimeType": "application/pdf", "buffer": PDF_MINIMAL}
        )
        valider(page, page.get_by_role("button", name="Ajouter la pièce"))
        assert "ajoutée" in page.locator("main").inner_text()
    valider(page, continuer)

    assert "La demande est complète" in page.locator("main").inner_text()
    valider(page, page.get_by_role("button", name="Déposer la demande"))
    assert "Demande déposée" in page.locator("main").inner_text()
    demande = Demande.objects.get(intitule="Médiateur au clavier")
    assert demande.statut == StatutDemande.DEPOSEE
    assert demande.date_debut_souhaitee == debut
    assert demande.quartiers.filter(nom__startswith="Floréal").exists()
