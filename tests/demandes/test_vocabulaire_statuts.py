"""One status vocabulary: each status set, deadline and allowed action is defined once (in the rule
modules) and imported; labels come from the model's TextChoices everywhere; no raw status value is
compared, assigned or queried in the applications' code or templates."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import models as django_models

from conventions import models as modeles_conventions
from conventions import regles as regles_convention
from conventions.services import embauche
from demandes import models as modeles_demandes
from demandes import regles as regles_demandes
from demandes.templatetags.statuts import ton_statut
from employeurs.models import Employeur
from employeurs.regles import FormeJuridique
from importation import moteur
from postes import models as modeles_postes
from postes import regles as regles_postes
from tests.structure import APPLICATIONS
from titulaires import models as modeles_titulaires
from titulaires import regles as regles_titulaires


def test_les_statuts_des_modeles_sont_ceux_des_regles():
    assert modeles_conventions.StatutConvention is regles_convention.StatutConvention
    assert modeles_postes.StatutPoste is regles_postes.StatutPoste is regles_convention.StatutPoste
    assert modeles_demandes.StatutDemande is regles_demandes.StatutDemande


def test_statuts_signes_definis_une_fois_et_importes_par_le_modele_et_l_import():
    assert modeles_conventions.STATUTS_SIGNES is regles_convention.STATUTS_SIGNES
    assert not hasattr(moteur, "STATUTS_SIGNES")
    assert moteur.STATUTS_DATES_DE_SIGNATURE is modeles_conventions.STATUTS_DATES_DE_SIGNATURE


def test_les_motifs_de_resiliation_et_les_situations_sont_definis_avec_leurs_regles():
    assert modeles_conventions.MotifResiliation is regles_convention.MotifResiliation
    assert regles_convention.INITIATIVE_EMPLOYEUR is regles_convention.MotifResiliation.INITIATIVE_EMPLOYEUR
    assert modeles_titulaires.SituationAvantEmbauche is regles_titulaires.SituationAvantEmbauche
    assert set(regles_titulaires.SITUATIONS) == set(regles_titulaires.SituationAvantEmbauche.values)


@pytest.mark.parametrize(
    "modele, champ, question, valeur",
    [
        (modeles_conventions.Convention, "statut", "est_un_projet", regles_convention.StatutConvention.PROJET),
        (modeles_conventions.Convention, "statut", "est_resiliee", regles_convention.StatutConvention.RESILIEE),
        (modeles_conventions.Convention, "rang", "est_un_renouvellement", modeles_conventions.RangConvention.RENOUVELLEMENT),
        (modeles_conventions.Avenant, "type", "porte_sur_les_heures", modeles_conventions.TypeAvenant.HEURES),
        (modeles_demandes.Demande, "statut", "est_un_brouillon", regles_demandes.StatutDemande.BROUILLON),
        (modeles_demandes.Demande, "statut", "est_a_completer", regles_demandes.StatutDemande.A_COMPLETER),
        (modeles_demandes.Demande, "statut", "est_acceptee", regles_demandes.StatutDemande.ACCEPTEE),
        (modeles_demandes.Demande, "statut", "est_refusee", regles_demandes.StatutDemande.REFUSEE),
        (Employeur, "forme_juridique", "forme_juridique_a_preciser", FormeJuridique.A_PRECISER),
    ],
)
def test_une_question_d_un_gabarit_ne_repond_oui_que_pour_sa_valeur(modele, champ, question, valeur):
    valeurs = [v for v, _ in modele._meta.get_field(champ).choices]
    # Read from the database a status is a plain string: the question answers the same for it.
    assert {v for v in valeurs if getattr(modele(**{champ: str(v)}), question)} == {valeur}


def test_une_convention_resiliee_a_ete_signee_mais_n_exige_pas_de_nouvelle_date():
    assert "resiliee" in regles_convention.STATUTS_SIGNES
    assert "resiliee" not in regles_convention.STATUTS_DATES_DE_SIGNATURE


def test_embauche_et_avenant_suivent_les_memes_statuts_en_vigueur():
    assert embauche.STATUTS_PERMETTANT_L_EMBAUCHE is regles_convention.STATUTS_EN_VIGUEUR


def test_les_libelles_des_demandes_dans_une_phrase_sont_ceux_du_modele():
    assert regles_demandes.LIBELLES == {s.value: s.label.lower() for s in modeles_demandes.StatutDemande}


def test_le_preavis_de_l_employeur_est_celui_de_la_regle():
    assert not hasattr(modeles_conventions, "PREAVIS_RESILIATION_EMPLOYEUR_MOIS")
    assert modeles_conventions.PREAVIS_EMPLOYEUR_MOIS is regles_convention.PREAVIS_EMPLOYEUR_MOIS


@pytest.mark.parametrize(
    "statut, ton",
    [
        ("actif", "success"),
        ("en_cours", "success"),
        ("en_attente", "warning"),
        ("ferme", "error"),
        ("caduque", "error"),
        ("deposee", "info"),
        ("en_instruction", "info"),
        ("brouillon", "info"),
    ],
)
def test_couleur_des_badges_de_statut(statut, ton):
    # « en » ou « a » n’est pas un statut : l’ancien gabarit cherchait le statut dans une chaîne.
    assert ton_statut(statut) == ton
    assert ton_statut("en") == "info" and ton_statut("a") == "info"


# --- No raw status value in the applications (issue 17) --------------------------------------------
#
# A status is compared, assigned and queried through its TextChoices member (`StatutConvention.RESILIEE`,
# `TypeAvenant.HEURES`), and a template asks the model a question (`convention.est_un_projet`,
# `avenant.porte_sur_les_heures`), never `== "resiliee"`. The scan below reads the code with `ast` (no
# code run) and the templates with a regular expression, and names every raw value it finds.

RACINE = Path(__file__).resolve().parents[2]
DOSSIERS_IGNORES = frozenset({"migrations", "__pycache__"})


def _sous_classes(classe):
    for sous_classe in classe.__subclasses__():
        yield sous_classe
        yield from _sous_classes(sous_classe)


def vocabulaires_du_projet() -> dict[str, frozenset[str]]:
    """Field name → the values of its TextChoices, for every model field whose choices are a TextChoices
    of the project (`statut` gathers those of conventions, posts and requests)."""
    du_projet = {
        tuple(classe.values): classe
        for classe in _sous_classes(django_models.TextChoices)
        if classe.__module__.split(".")[0] in APPLICATIONS
    }
    champs: dict[str, set[str]] = {}
    for modele in django_apps.get_models():
        for champ in modele._meta.get_fields():
            classe = du_projet.get(tuple(valeur for valeur, _ in getattr(champ, "flatchoices", None) or ()))
            if classe is not None:
                champs.setdefault(champ.name, set()).update(str(valeur) for valeur in classe.values)
    return {nom: frozenset(valeurs) for nom, valeurs in champs.items()}


def _mots(nom: str) -> tuple[str, ...]:
    """`STATUTS_SIGNES` → ("statut", "signe"): lower case, one word per underscore, no plural."""
    return tuple(mot.removesuffix("s") for mot in nom.lower().split("_") if mot)


def _valeurs_du_nom(nom: str | None, vocabulaires: dict[str, frozenset[str]]) -> frozenset[str]:
    """The values a name may hold: those of every field whose words it contains (`convention_statut`,
    `statut_initial`, `conventions__statut__in`, `STATUTS_SIGNES` hold statuses)."""
    if not nom:
        return frozenset()
    valeurs: set[str] = set()
    for partie in nom.split("__"):
        mots = _mots(partie)
        for champ, valeurs_du_champ in vocabulaires.items():
            mots_du_champ = _mots(champ)
            n = len(mots_du_champ)
            if any(mots[i : i + n] == mots_du_champ for i in range(len(mots) - n + 1)):
                valeurs |= valeurs_du_champ
    return frozenset(valeurs)


def _nom(noeud: ast.AST) -> str | None:
    """The name an expression reads: `convention.statut` → statut, `val["convention_statut"]` → convention_statut."""
    if isinstance(noeud, ast.Attribute):
        return noeud.attr
    if isinstance(noeud, ast.Name):
        return noeud.id
    if isinstance(noeud, ast.Subscript) and isinstance(noeud.slice, ast.Constant) and isinstance(noeud.slice.value, str):
        return noeud.slice.value
    if isinstance(noeud, ast.Call):  # statut_du_jour(…) == "caduque"
        return _nom(noeud.func)
    return None


def _litteraux(noeud: ast.AST | None) -> list[str]:
    """The string constants an expression may give: itself, the items of a tuple, list or set, the
    branches of `a if c else b` and of `a or b`."""
    if isinstance(noeud, ast.Constant) and isinstance(noeud.value, str):
        return [noeud.value]
    if isinstance(noeud, (ast.Tuple, ast.List, ast.Set)):
        return [valeur for element in noeud.elts for valeur in _litteraux(element)]
    if isinstance(noeud, ast.IfExp):
        return _litteraux(noeud.body) + _litteraux(noeud.orelse)
    if isinstance(noeud, ast.BoolOp):
        return [valeur for element in noeud.values for valeur in _litteraux(element)]
    return []


class _Lecteur(ast.NodeVisitor):
    def __init__(self, vocabulaires: dict[str, frozenset[str]], chemin: str):
        self.vocabulaires = vocabulaires
        self.chemin = chemin
        self.trouves: list[str] = []
        self.cible: str | None = None  # the name a call's result is assigned to (`type_contrat = CharField(…)`)

    def _signaler(self, noeud: ast.AST, nom: str | None, valeur: ast.AST | None) -> None:
        permises = _valeurs_du_nom(nom, self.vocabulaires)
        for litteral in _litteraux(valeur):
            if litteral in permises:
                self.trouves.append(f"{self.chemin}:{noeud.lineno} {nom} ↔ « {litteral} »")

    def visit_ClassDef(self, noeud: ast.ClassDef) -> None:
        # The TextChoices themselves are where the values are written, once.
        if not any(_nom(base) in ("TextChoices", "IntegerChoices", "Choices") for base in noeud.bases):
            self.generic_visit(noeud)

    def visit_Compare(self, noeud: ast.Compare) -> None:
        operandes = [noeud.left, *noeud.comparators]
        for operande in operandes:
            for autre in operandes:
                if autre is not operande:
                    self._signaler(noeud, _nom(operande), autre)
        self.generic_visit(noeud)

    def visit_Call(self, noeud: ast.Call) -> None:
        for argument in noeud.keywords:
            nom = self.cible if argument.arg == "default" else argument.arg
            self._signaler(argument.value, nom, argument.value)
        cible, self.cible = self.cible, None
        self.generic_visit(noeud)
        self.cible = cible

    def _affectation(self, noeud, cibles: list[ast.AST], valeur: ast.AST | None) -> None:
        for cible in cibles:
            self._signaler(noeud, _nom(cible), valeur)
        noms = [_nom(cible) for cible in cibles]
        self.cible = noms[0] if len(noms) == 1 else None
        self.generic_visit(noeud)
        self.cible = None

    def visit_Assign(self, noeud: ast.Assign) -> None:
        self._affectation(noeud, noeud.targets, noeud.value)

    def visit_AnnAssign(self, noeud: ast.AnnAssign) -> None:
        self._affectation(noeud, [noeud.target], noeud.value)

    def visit_arguments(self, noeud: ast.arguments) -> None:
        positionnels = [*noeud.posonlyargs, *noeud.args]
        paires = list(zip(positionnels[len(positionnels) - len(noeud.defaults) :], noeud.defaults))
        paires += [(argument, defaut) for argument, defaut in zip(noeud.kwonlyargs, noeud.kw_defaults) if defaut]
        for argument, defaut in paires:
            self._signaler(defaut, argument.arg, defaut)
        self.generic_visit(noeud)

    def _plusieurs_valeurs(self, elements: list[ast.AST], quoi: str) -> None:
        """Two values or more of one vocabulary side by side: a set of statuses or a table keyed by them."""
        chaines = [element for element in elements if isinstance(element, ast.Constant) and isinstance(element.value, str)]
        for champ, valeurs in self.vocabulaires.items():
            brutes = [chaine for chaine in chaines if chaine.value in valeurs]
            if len(brutes) >= 2:
                self.trouves += [f"{self.chemin}:{chaine.lineno} {quoi} de {champ} ↔ « {chaine.value} »" for chaine in brutes]
                break

    def visit_Dict(self, noeud: ast.Dict) -> None:
        # {"statut": "projet"} and a dict keyed by raw statuses ({"caduque": …, "resiliee": …}).
        for cle, valeur in zip(noeud.keys, noeud.values):
            if isinstance(cle, ast.Constant) and isinstance(cle.value, str):
                self._signaler(cle, cle.value, valeur)
        self._plusieurs_valeurs(noeud.keys, "clé d’un dictionnaire")
        self.generic_visit(noeud)

    def visit_Tuple(self, noeud: ast.Tuple) -> None:
        # ("depot", "brouillon", "deposee", …): an event written with raw statuses.
        self._plusieurs_valeurs(noeud.elts, "élément d’une suite")
        self.generic_visit(noeud)

    visit_List = visit_Set = visit_Tuple


def valeurs_brutes_dans_le_code(source: str, vocabulaires: dict[str, frozenset[str]], chemin: str = "<texte>") -> list[str]:
    lecteur = _Lecteur(vocabulaires, chemin)
    lecteur.visit(ast.parse(source))
    return sorted(set(lecteur.trouves))


# `demande.statut == "acceptee"`, `"heures" != a.type`, `x.statut in "…"` (the `in` of a template tests a substring).
_COMPARAISON_GABARIT = re.compile(
    r"(?P<nom>[\w.]+)\s*(?:==|!=|\bin\b|\bnot in\b)\s*(?P<q>[\"'])(?P<valeur>[^\"']*)(?P=q)"
    r"|(?P<q2>[\"'])(?P<valeur2>[^\"']*)(?P=q2)\s*(?:==|!=)\s*(?P<nom2>[\w.]+)"
)
_BALISE = re.compile(r"{%.*?%}", re.DOTALL)


def valeurs_brutes_dans_un_gabarit(texte: str, vocabulaires: dict[str, frozenset[str]], chemin: str = "<gabarit>") -> list[str]:
    trouves = []
    for balise in _BALISE.finditer(texte):
        for comparaison in _COMPARAISON_GABARIT.finditer(balise.group()):
            nom = (comparaison.group("nom") or comparaison.group("nom2")).rsplit(".", 1)[-1]
            valeur = comparaison.group("valeur") if comparaison.group("nom") else comparaison.group("valeur2")
            mots = valeur.split() if comparaison.group("nom") else [valeur]
            if set(mots) & _valeurs_du_nom(nom, vocabulaires):
                ligne = texte.count("\n", 0, balise.start() + comparaison.start()) + 1
                trouves.append(f"{chemin}:{ligne} {nom} ↔ « {valeur} »")
    return trouves


def fichiers_des_applications(suffixes: tuple[str, ...]) -> list[Path]:
    racines = [RACINE / application for application in APPLICATIONS] + [RACINE / "templates"]
    return sorted(
        fichier
        for racine in racines
        for fichier in racine.rglob("*")
        if fichier.suffix in suffixes and not DOSSIERS_IGNORES & set(fichier.relative_to(RACINE).parts)
    )


@pytest.fixture(scope="module")
def vocabulaires():
    return vocabulaires_du_projet()


def test_le_vocabulaire_scrute_est_celui_des_modeles(vocabulaires):
    # The scan is only as good as what it looks for: every status field and its values are there.
    assert {"resiliee", "projet", "brouillon", "acceptee", "actif", "en_attente"} <= vocabulaires["statut"]
    assert vocabulaires["type"] >= {"heures", "titulaire"}
    assert vocabulaires["rang"] == {"initiale", "renouvellement"}
    assert vocabulaires["motif_resiliation"] >= {"initiative_employeur"}
    assert vocabulaires["type_contrat"] == {"cdi", "cdd"}
    assert vocabulaires["role"] >= {"agent", "employeur"}
    assert vocabulaires["forme_juridique"] >= {"association", "a_preciser"}


@pytest.mark.parametrize(
    "source",
    [
        'if convention.statut == "projet": pass',
        'ok = "heures" != a.type',
        'ok = val["convention_statut"] in ("resiliee", "caduque")',
        'Poste.objects.filter(statut="actif", conventions__statut="resiliee")',
        'Q(statut__in=["signee", "en_cours"])',
        'convention.motif_resiliation = "initiative_employeur"',
        'type_contrat = models.CharField(max_length=3, default="cdi")',
        'def charger(statut="brouillon"): pass',
        'STATUTS_EN_VIGUEUR = ("signee", "en_cours")',
        'MOTIFS = {"caduque": "personne embauchée", "resiliee": "résiliée"}',
        'ligne = {"statut": "projet"}',
        'if statut_du_jour(convention.statut, debut, fin, jour, False) == "caduque": pass',
        'statut = val.get("convention_statut") or ("signee" if signee else "projet")',
        'etapes.append(("depot", "brouillon", "deposee", auteur))',
    ],
)
def test_une_valeur_brute_dans_le_code_est_trouvee(source, vocabulaires):
    assert valeurs_brutes_dans_le_code(source, vocabulaires) != []


@pytest.mark.parametrize(
    "source",
    [
        "if convention.statut == StatutConvention.PROJET: pass",
        'Poste.objects.filter(statut=StatutPoste.ACTIF, nom="projet")',
        'reponse = HttpResponse(contenu, content_type="application/pdf")',
        'lien = reverse("demandes:etape", args=[demande.pk, "projet"])',
        'class StatutPoste(models.TextChoices):\n    ACTIF = "actif", "Actif"',
        'if etape == "projet": pass',
        'ETAPES = (("projet", "Projet et missions"), ("pieces", "Pièces"))',
    ],
)
def test_un_membre_ou_une_chaine_sans_rapport_n_est_pas_une_valeur_brute(source, vocabulaires):
    assert valeurs_brutes_dans_le_code(source, vocabulaires) == []


@pytest.mark.parametrize(
    "gabarit",
    [
        '{% if convention.statut == "projet" %}aperçu{% endif %}',
        "{% if demande.statut == 'acceptee' %}success{% elif demande.statut == 'refusee' %}error{% endif %}",
        '{% if "heures" == a.type %}…{% endif %}',
        '{% if convention.rang != "renouvellement" %}…{% endif %}',
        '{% if demande.statut in "brouillon a_completer" %}…{% endif %}',
    ],
)
def test_une_valeur_brute_dans_un_gabarit_est_trouvee(gabarit, vocabulaires):
    assert valeurs_brutes_dans_un_gabarit(gabarit, vocabulaires) != []


@pytest.mark.parametrize(
    "gabarit",
    [
        "{% if convention.est_un_projet %}aperçu{% endif %}",
        "{% url 'demandes:etape' demande.pk 'projet' %}",
        "{% if message.level_tag == 'error' %}error{% endif %}",
        '<p>Le statut == "projet" s’écrit en dehors d’une balise.</p>',
    ],
)
def test_une_question_au_modele_dans_un_gabarit_n_est_pas_une_valeur_brute(gabarit, vocabulaires):
    assert valeurs_brutes_dans_un_gabarit(gabarit, vocabulaires) == []


def test_aucune_valeur_brute_de_statut_dans_le_code_des_applications(vocabulaires):
    fichiers = fichiers_des_applications((".py",))
    assert len(fichiers) > 100 and RACINE / "conventions" / "models.py" in fichiers

    trouves = [
        trouve
        for fichier in fichiers
        for trouve in valeurs_brutes_dans_le_code(
            fichier.read_text(encoding="utf-8"), vocabulaires, str(fichier.relative_to(RACINE))
        )
    ]

    assert trouves == [], "Comparez au membre du TextChoices (StatutConvention.RESILIEE…), pas à sa valeur :\n" + "\n".join(
        trouves
    )


def test_aucune_valeur_brute_de_statut_dans_les_gabarits(vocabulaires):
    gabarits = fichiers_des_applications((".html", ".txt"))
    assert len(gabarits) > 50 and RACINE / "templates" / "conventions" / "convention_sections.html" in gabarits

    trouves = [
        trouve
        for gabarit in gabarits
        for trouve in valeurs_brutes_dans_un_gabarit(
            gabarit.read_text(encoding="utf-8"), vocabulaires, str(gabarit.relative_to(RACINE))
        )
    ]

    assert trouves == [], "Demandez au modèle (convention.est_un_projet…), ne comparez pas à une valeur :\n" + "\n".join(trouves)
