"""The one place the tests build objects: factory_boy factories with sensible defaults (override any
field by keyword), a few builders for recurring situations (a signed convention, a complete request,
a request in instruction), and `construire_monde()`, the small two-département world the scoping and
page tests share (the `monde` fixture of tests/conftest.py)."""

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from comptes.models import Role, Utilisateur
from conventions.models import Convention
from demandes import services as services_demandes
from demandes.models import Demande, PieceJointe
from employeurs.models import Employeur
from employeurs.regles import FormeJuridique, luhn_valide
from financements.models import Enveloppe
from postes.models import DomaineMediation, Poste
from postes.regles import StatutPoste
from quartiers.models import Departement, Geographie, QuartierPrioritaire
from titulaires.models import Affectation, DiagnosticEligibilite, Titulaire

MOT_DE_PASSE = "mot-de-passe-de-test-42"
_sirens = itertools.count(100000001)


def departement(code: str) -> Departement:
    return Departement.objects.get(code=code)


def siret_valide_suivant() -> str:
    base = f"{next(_sirens):09d}0001"
    return next(base + str(k) for k in range(10) if luhn_valide(base + str(k)))


class UtilisateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Utilisateur
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.gouv.fr")
    prenom = "Camille"
    nom = factory.Sequence(lambda n: f"Test{n}")
    password = factory.PostGenerationMethodCall("set_password", MOT_DE_PASSE)

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        if create and extracted:
            self.departements.set(extracted)

    @factory.post_generation
    def employeurs(self, create, extracted, **kwargs):
        if create and extracted:
            self.employeurs.set(extracted)
        if create:
            self.save()


class AgentFactory(UtilisateurFactory):
    role = Role.AGENT


class EmployeurUserFactory(UtilisateurFactory):
    role = Role.EMPLOYEUR
    email = factory.Sequence(lambda n: f"contact{n}@association.fr")


class AdminNationalFactory(UtilisateurFactory):
    role = Role.ADMIN_NATIONAL


class EmployeurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employeur

    siret = factory.LazyFunction(siret_valide_suivant)
    raison_sociale = factory.Sequence(lambda n: f"Association de médiation n° {n}")
    forme_juridique = FormeJuridique.ASSOCIATION
    departement = factory.LazyFunction(lambda: departement("93"))


_quartiers = itertools.count()


def code_qpv_suivant(departement: Departement) -> str:
    """A 2024 QPV code of the département that no test writes by hand: those end in M, I or Z
    (`QN09339M`, the unknown `QN09399Z`), these in A to H, 800 codes per département."""
    n = next(_quartiers)
    return f"QN{departement.code.zfill(3)}{n % 100:02d}{'ABCDEFGH'[n // 100 % 8]}"


class QuartierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuartierPrioritaire

    departement = factory.LazyFunction(lambda: departement("93"))
    code = factory.LazyAttribute(lambda o: code_qpv_suivant(o.departement))
    nom = factory.Sequence(lambda n: f"Quartier {n}")
    geographie = Geographie.QPV_2024


_postes = itertools.count(1)


class PosteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Poste

    employeur = factory.SubFactory(EmployeurFactory)
    departement = factory.LazyAttribute(lambda o: o.employeur.departement)
    identifiant = factory.LazyAttribute(lambda o: f"{o.departement.code.zfill(3)}24R{next(_postes):04d}01")
    heures_hebdomadaires = Decimal("35")
    missions = "Médiation sociale et culturelle."


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    poste = factory.SubFactory(PosteFactory)
    numero = factory.Sequence(lambda n: f"CONV-{n:05d}")
    date_debut = date(2024, 1, 1)
    date_fin = date(2026, 12, 31)
    heures_hebdomadaires = Decimal("35")


class TitulaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Titulaire

    nom = factory.Sequence(lambda n: f"Nom{n}")
    prenom = "Samia"
    date_naissance = date(1990, 5, 17)
    situation_avant_embauche = "sans_emploi"


class AffectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affectation

    poste = factory.SubFactory(PosteFactory)
    titulaire = factory.SubFactory(TitulaireFactory)
    date_debut = date(2024, 2, 1)
    date_fin = None


class DemandeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demande

    employeur = factory.SubFactory(EmployeurFactory)
    departement = factory.LazyAttribute(lambda o: o.employeur.departement)
    projet = "Médiation école-familles."


class DiagnosticEligibiliteFactory(factory.django.DjangoModelFactory):
    """A stored eligibility diagnosis (as titulaires.services writes them)."""

    class Meta:
        model = DiagnosticEligibilite

    affectation = factory.SubFactory(AffectationFactory)
    date_contrat = factory.LazyAttribute(lambda o: o.affectation.date_debut)
    eligible = True
    entrees = factory.LazyAttribute(
        lambda o: {
            "date_naissance": o.affectation.titulaire.date_naissance.isoformat(),
            "date_contrat": o.date_contrat.isoformat(),
            "situation": "sans_emploi",
            "residence": {"mode": "aucune", "qpv": None},
            "derogation": "Motif de dérogation d’essai.",
        }
    )
    criteres = factory.LazyFunction(
        lambda: [
            {"critere": "age", "ok": True, "motif": "33 ans.", "article": "art. L5134-102"},
            {"critere": "situation", "ok": True, "motif": "Sans emploi.", "article": "art. L5134-102"},
            {"critere": "residence", "ok": True, "motif": "Dérogation.", "article": "art. L5134-102"},
        ]
    )
    version_regles = "L5134-102 : âge minimum 26 ans (règle du 16/09/2021) ; quartiers prioritaires, géographie 2024"
    auteur = factory.SubFactory(AgentFactory)


def convention_signee(poste, debut=date(2024, 1, 1), fin=date(2026, 12, 31), *, statut="en_cours", **champs) -> Convention:
    """A convention signed on its first day, running (`en_cours`) unless `statut` says otherwise."""
    champs.setdefault("date_signature", debut)
    return ConventionFactory(poste=poste, date_debut=debut, date_fin=fin, statut=statut, **champs)


# --- Requests, attachments, envelopes (issue 4) ---------------------------------------------------

PDF_MINIMAL = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_MINIMAL = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_MINIMAL = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode."


class EnveloppeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enveloppe

    departement = factory.LazyFunction(lambda: departement("93"))
    annee = factory.LazyFunction(lambda: timezone.localdate().year)
    nombre_postes = 30
    montant = Decimal("684318.30")


class PieceJointeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PieceJointe

    demande = factory.SubFactory(DemandeFactory)
    type_piece = "budget_previsionnel"
    nom_original = "budget prévisionnel.pdf"
    type_contenu = "application/pdf"
    taille = len(PDF_MINIMAL)
    fichier = factory.django.FileField(data=PDF_MINIMAL, filename="budget.pdf")


def debut_souhaite():
    """A desired start always in the future (15 January of next year): tests do not age."""
    return date(timezone.localdate().year + 1, 1, 15)


def demande_complete(employeur, quartier=None, **champs) -> Demande:
    """A draft that can be filed: every field, a domain, a QPV of the employer's département, the
    documents an association must join."""
    valeurs = {
        "intitule": "Médiateur école-familles",
        "projet": "Médiation école-familles au collège du quartier.",
        "missions": "Accueillir les familles, accompagner les démarches, prévenir le décrochage.",
        "heures_hebdomadaires": Decimal("35"),
        "date_debut_souhaitee": debut_souhaite(),
        "budget_previsionnel": Decimal("32000"),
        "cofinancements": "Ville : 5 000 €",
        **champs,
    }
    demande = DemandeFactory(employeur=employeur, **valeurs)
    demande.domaines.set([DomaineMediation.objects.order_by("ordre").first()])
    demande.quartiers.set([quartier or QuartierFactory(departement=employeur.departement)])
    for type_piece in ("budget_previsionnel", "statuts", "derniers_comptes"):
        PieceJointeFactory(demande=demande, type_piece=type_piece)
    return demande


def demande_deposee(demande, membre) -> Demande:
    """`demande` filed by `membre`, through the service (its reception event included)."""
    services_demandes.deposer_demande(demande, membre)
    demande.refresh_from_db()
    return demande


def demande_en_instruction(demande, membre, agent) -> Demande:
    """`demande` filed by `membre`, then taken into instruction by `agent` (who becomes its instructor)."""
    demande_deposee(demande, membre)
    services_demandes.prendre_en_instruction(demande, agent)
    demande.refresh_from_db()
    return demande


def question_eligible(quartier=None, **modifs):
    """The eligibility inputs of an eligible person: born on 02/04/1988, sans emploi, contract signed on
    20/02/2025, living in a QPV chosen by hand (created in Seine-Saint-Denis when not given)."""
    from quartiers.residence import Mode, Residence
    from titulaires.services import Question

    valeurs = {
        "naissance": date(1988, 4, 2),
        "date_contrat": date(2025, 2, 20),
        "situation": "sans_emploi",
        "residence": Residence(mode=Mode.QPV, qpv=quartier or QuartierFactory(), justification="Attestation du bailleur."),
        "derogation": "",
        **modifs,
    }
    return Question(**valeurs)


# --- The shared world of the scoping and page tests ----------------------------------------------


@dataclass
class Monde:
    """Two départements, each with its agent, an association with a member, a post under a running
    convention (signed, 01/01/2024 to 31/12/2026, numbered SIGNEE-93 and SIGNEE-69), a person hired
    on 15/01/2024 and a filed request; and a national administrator over both.

    In the 93: the person left on 30/06/2024 (the post is vacant since) and has an eligibility
    diagnosis; the association also has a draft request; `non_membre` is the member of another
    association of the 93. In the 69: the person is still in post. Envelopes are open for 2026."""

    dep93: Departement
    dep69: Departement
    agent93: Utilisateur
    agent69: Utilisateur
    admin_national: Utilisateur
    employeur93: Employeur
    employeur69: Employeur
    membre93: Utilisateur
    membre69: Utilisateur
    non_membre: Utilisateur
    poste93: Poste
    poste69: Poste
    convention93: Convention
    convention69: Convention
    affectation93: Affectation
    affectation69: Affectation
    diagnostic93: DiagnosticEligibilite
    demande93: Demande
    demande69: Demande
    brouillon93: Demande
    enveloppe93: Enveloppe
    enveloppe69: Enveloppe


def construire_monde() -> Monde:
    """Build the world of `Monde` (attachments are written to MEDIA_ROOT: the fixture points it at a
    temporary folder)."""
    dep93, dep69 = departement("93"), departement("69")
    agent93, agent69 = AgentFactory(departements=[dep93]), AgentFactory(departements=[dep69])
    employeur93, employeur69 = EmployeurFactory(departement=dep93), EmployeurFactory(departement=dep69)
    membre93, membre69 = EmployeurUserFactory(employeurs=[employeur93]), EmployeurUserFactory(employeurs=[employeur69])
    poste93 = PosteFactory(employeur=employeur93, statut=StatutPoste.ACTIF)
    poste69 = PosteFactory(employeur=employeur69, statut=StatutPoste.ACTIF)
    affectation93 = AffectationFactory(poste=poste93, date_debut=date(2024, 1, 15), date_fin=date(2024, 6, 30))
    return Monde(
        dep93=dep93,
        dep69=dep69,
        agent93=agent93,
        agent69=agent69,
        admin_national=AdminNationalFactory(),
        employeur93=employeur93,
        employeur69=employeur69,
        membre93=membre93,
        membre69=membre69,
        non_membre=EmployeurUserFactory(employeurs=[EmployeurFactory(departement=dep93)]),
        poste93=poste93,
        poste69=poste69,
        convention93=convention_signee(poste93, numero="SIGNEE-93"),
        convention69=convention_signee(poste69, numero="SIGNEE-69"),
        affectation93=affectation93,
        affectation69=AffectationFactory(poste=poste69, date_debut=date(2024, 1, 15)),
        diagnostic93=DiagnosticEligibiliteFactory(affectation=affectation93, auteur=agent93),
        demande93=demande_deposee(demande_complete(employeur93), membre93),
        demande69=demande_deposee(demande_complete(employeur69), membre69),
        brouillon93=demande_complete(employeur93),
        enveloppe93=EnveloppeFactory(departement=dep93, annee=2026, nombre_postes=10, montant=Decimal("250000")),
        enveloppe69=EnveloppeFactory(departement=dep69, annee=2026, nombre_postes=4, montant=Decimal("90000")),
    )
