"""The structure test (issue 17): the import graph of the project, read with `ast`, respects the layers.

The unit tests run the checker (tests/structure.py) on small trees written in `tmp_path`; the last
test runs it on the repository itself. None needs the database."""

from pathlib import Path

import pytest

from tests.structure import COUCHES, EXCEPTIONS, MAXIMUM_EXCEPTIONS, examiner

RACINE = Path(__file__).resolve().parents[2]


def ecrire(racine: Path, fichiers: dict[str, str]) -> Path:
    for chemin, texte in fichiers.items():
        fichier = racine / chemin
        fichier.parent.mkdir(parents=True, exist_ok=True)
        fichier.write_text(texte, encoding="utf-8")
    return racine


def remplissage(lignes: int) -> str:
    return "".join(f"VALEUR_{i} = {i}\n" for i in range(lignes))


@pytest.fixture
def projet(tmp_path):
    """A tree of four balanced applications (30 lines each) that breaks no rule: each test adds the
    files of its case, few enough lines that no application passes a third of the code."""
    for application in ("commun", "comptes", "quartiers", "employeurs"):
        ecrire(tmp_path, {f"{application}/__init__.py": "", f"{application}/models.py": remplissage(30)})
    ecrire(tmp_path, {"tests/__init__.py": "", "manage.py": "import config.settings\n"})
    return tmp_path


def test_l_arbre_de_depart_des_tests_est_propre(projet):
    assert examiner(projet) == []


# --- Layers -----------------------------------------------------------------------------------------


def test_un_import_d_une_couche_au_dessus_est_refuse(projet):
    ecrire(projet, {"postes/views.py": "import os\n\nfrom conventions.models import Convention\n", "conventions/models.py": ""})

    assert examiner(projet) == ["postes/views.py:3 importe conventions.models : conventions est au-dessus de postes"]


def test_un_import_d_une_application_qui_n_existe_pas_encore_suit_aussi_les_couches(projet):
    ecrire(projet, {"commun/vues.py": "from pilotage.tableaux import tableau\n"})

    assert examiner(projet) == ["commun/vues.py:1 importe pilotage.tableaux : pilotage est au-dessus de commun"]


def test_un_import_des_couches_du_dessous_est_permis(projet):
    ecrire(
        projet,
        {
            "conventions/models.py": "from postes.models import Poste\nimport commun.models\nfrom django.db import models\n",
            "postes/models.py": "from employeurs import models\n",
        },
    )

    assert examiner(projet) == []


def test_deux_applications_du_meme_niveau_ne_s_importent_pas(projet):
    ecrire(projet, {"demo/donnees.py": "from exploitation.sauvegarde import sauvegarder\n", "exploitation/sauvegarde.py": ""})

    assert examiner(projet) == [
        "demo/donnees.py:1 importe exploitation.sauvegarde : exploitation est au même niveau que demo, "
        "aucune des deux n’importe l’autre"
    ]


def test_config_importe_toutes_les_applications(projet):
    ecrire(projet, {"config/urls.py": "from demo import views\nimport exploitation.views\nfrom commun.models import X\n"})

    assert examiner(projet) == []


def test_aucune_application_n_importe_config(projet):
    ecrire(projet, {"commun/erreurs.py": "from config.context_processors import site\n", "config/context_processors.py": ""})

    assert examiner(projet) == ["commun/erreurs.py:1 importe config.context_processors : config est au-dessus de commun"]


def test_une_migration_suit_la_regle_des_couches_de_son_application(projet):
    """A data migration may load reference data from a lower layer (commun.referentiel), never from above."""
    ecrire(
        projet,
        {
            "postes/models.py": "",
            "postes/migrations/0001_initial.py": "import postes.models\nfrom django.db import migrations\n",
            "postes/migrations/0002_domaines.py": "from commun.models import VALEUR_1\n",
            "postes/migrations/0003_conventions.py": "from conventions.models import VALEUR_2\n",
        },
    )

    assert examiner(projet) == [
        "postes/migrations/0003_conventions.py:1 importe conventions.models : conventions est au-dessus de postes"
    ]


def test_un_import_sous_type_checking_compte_comme_les_autres(projet):
    ecrire(
        projet,
        {
            "employeurs/regles.py": (
                "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from postes.models import Poste\n"
                "try:\n    import conventions.pdf\nexcept ImportError:\n    pass\n"
            ),
        },
    )

    assert examiner(projet) == [
        "employeurs/regles.py:4 importe postes.models : postes est au-dessus de employeurs",
        "employeurs/regles.py:6 importe conventions.pdf : conventions est au-dessus de employeurs",
    ]


def test_un_import_module_au_nom_litteral_compte_comme_un_import(projet):
    ecrire(projet, {"commun/chargeur.py": 'import importlib\n\nVUES = importlib.import_module("postes.views")\n'})

    assert examiner(projet) == ["commun/chargeur.py:3 importe postes.views : postes est au-dessus de commun"]


def test_un_paquet_a_la_racine_hors_des_couches_est_signale(projet):
    ecrire(projet, {"indicateurs/__init__.py": "", "indicateurs/apps.py": "import postes.models\n"})

    assert examiner(projet) == ["indicateurs/ est un paquet Python qui n’appartient à aucune couche : ajoutez-le à COUCHES"]


def test_les_dossiers_de_tests_bancs_et_scripts_ne_sont_pas_lus(projet):
    ecrire(
        projet,
        {
            "commun/tests/test_vues.py": "import config.urls\n",
            "commun/__pycache__/vues.py": "import config.urls\n",
            "bench/__init__.py": "",
            "bench/charge.py": "import config.urls\n",
            "scripts/outil.py": "def f():\n    import config.urls\n",
            "tests/test_x.py": "def test():\n    import config.urls\n",
        },
    )

    assert examiner(projet) == []


def test_une_application_presente_dans_deux_couches_est_signalee(projet):
    couches = (("commun",), ("comptes", "commun"), ("quartiers",), ("employeurs",))

    assert examiner(projet, couches) == ["la couche de commun est définie deux fois dans COUCHES"]


def test_un_fichier_illisible_est_signale(projet):
    ecrire(projet, {"comptes/views.py": "def vue(:\n"})

    assert examiner(projet) == ["comptes/views.py:1 est illisible (SyntaxError) : fichier non examiné"]


# --- Resolution of the imports ----------------------------------------------------------------------


def test_un_import_relatif_qui_sort_du_projet_est_signale(projet):
    ecrire(
        projet,
        {
            "employeurs/services/__init__.py": "",
            "employeurs/services/inscription.py": "from ..models import VALEUR_1\nfrom . import contrats\nfrom ...postes import models\n",
            "employeurs/services/contrats.py": "",
        },
    )

    assert examiner(projet) == ["employeurs/services/inscription.py:3 a un import relatif qui sort du projet"]


def test_un_import_relatif_dans_un_init_part_du_paquet_lui_meme(projet):
    ecrire(
        projet,
        {
            "comptes/services/__init__.py": "from . import inviter\n\nACTIONS = []\n",
            "comptes/services/inviter.py": "from . import ACTIONS\n",
        },
    )

    assert examiner(projet) == [
        "cycle entre fichiers : comptes.services → comptes.services.inviter → comptes.services "
        "(comptes/services/__init__.py:1 importe comptes.services.inviter ; "
        "comptes/services/inviter.py:1 importe comptes.services)"
    ]


# --- Cycles -----------------------------------------------------------------------------------------


def test_un_cycle_entre_applications_est_signale_en_plus_de_la_couche(projet):
    ecrire(
        projet,
        {
            "employeurs/filtres.py": "from postes.filtres import Filtre\n",
            "postes/filtres.py": "Filtre = object\n",
            "postes/eligibilite.py": "from employeurs.models import VALEUR_1\n",
        },
    )

    assert examiner(projet) == [
        "employeurs/filtres.py:1 importe postes.filtres : postes est au-dessus de employeurs",
        "cycle entre applications : employeurs → postes → employeurs "
        "(employeurs/filtres.py:1 importe postes.filtres ; postes/eligibilite.py:1 importe employeurs.models)",
    ]


def test_un_cycle_entre_fichiers_est_signale_avec_from_paquet_import_sous_module(projet):
    ecrire(
        projet,
        {
            "comptes/verrouillage.py": "from comptes import views\n",
            "comptes/views.py": "\nfrom comptes.verrouillage import verrouiller\n",
        },
    )

    assert examiner(projet) == [
        "cycle entre fichiers : comptes.verrouillage → comptes.views → comptes.verrouillage "
        "(comptes/verrouillage.py:1 importe comptes.views ; comptes/views.py:2 importe comptes.verrouillage)"
    ]


def test_un_cycle_par_imports_relatifs_est_signale(projet):
    ecrire(
        projet,
        {
            "quartiers/services/__init__.py": "",
            "quartiers/services/chargement.py": "from ..models import VALEUR_1\n",
            "quartiers/models.py": "from .services import chargement\n" + remplissage(29),
        },
    )

    assert examiner(projet) == [
        "cycle entre fichiers : quartiers.models → quartiers.services.chargement → quartiers.models "
        "(quartiers/models.py:1 importe quartiers.services.chargement ; "
        "quartiers/services/chargement.py:1 importe quartiers.models)"
    ]


def test_l_init_d_un_paquet_compte_comme_un_fichier_dans_les_cycles(projet):
    ecrire(
        projet,
        {
            "comptes/services/__init__.py": "from comptes.services.inviter import inviter\n\nACTIONS = []\n",
            "comptes/services/inviter.py": "from comptes.services import ACTIONS\n",
        },
    )

    assert examiner(projet) == [
        "cycle entre fichiers : comptes.services → comptes.services.inviter → comptes.services "
        "(comptes/services/__init__.py:1 importe comptes.services.inviter ; "
        "comptes/services/inviter.py:1 importe comptes.services)"
    ]


def test_un_cycle_de_trois_fichiers_est_signale_une_seule_fois(projet):
    ecrire(projet, {"commun/a.py": "import commun.b\n", "commun/b.py": "import commun.c\n", "commun/c.py": "import commun.a\n"})

    assert examiner(projet) == [
        "cycle entre fichiers : commun.a → commun.b → commun.c → commun.a "
        "(commun/a.py:1 importe commun.b ; commun/b.py:1 importe commun.c ; commun/c.py:1 importe commun.a)"
    ]


def test_deux_cycles_qui_se_touchent_sont_signales_chacun(projet):
    ecrire(
        projet,
        {
            "commun/a.py": "import commun.b\nimport commun.c\n",
            "commun/b.py": "import commun.a\n",
            "commun/c.py": "import commun.a\n",
        },
    )

    assert examiner(projet) == [
        "cycle entre fichiers : commun.a → commun.b → commun.a (commun/a.py:1 importe commun.b ; commun/b.py:1 importe commun.a)",
        "cycle entre fichiers : commun.a → commun.c → commun.a (commun/a.py:2 importe commun.c ; commun/c.py:1 importe commun.a)",
    ]


def test_des_imports_sans_boucle_ne_font_pas_de_cycle(projet):
    ecrire(projet, {"commun/a.py": "import commun.b\nimport commun.c\n", "commun/b.py": "import commun.c\n", "commun/c.py": ""})

    assert examiner(projet) == []


# --- Imports inside a function ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, ligne",
    [
        ("def f():\n    from commun.models import VALEUR_1\n", 2),
        ("async def f():\n    import commun.models\n", 2),
        ("class Vue:\n    from commun import models\n", 2),
        ("def f():\n    if True:\n        for x in []:\n            with open(x):\n                import commun.models\n", 5),
        (
            "def f():\n    def g():\n        try:\n            pass\n        except Exception:\n            import commun.models\n",
            6,
        ),
        ("def f():\n    import importlib\n    return importlib.import_module('commun.models')\n", 3),
    ],
    ids=["def", "async def", "classe", "imbrique", "except imbrique", "import_module"],
)
def test_un_import_dans_une_fonction_est_refuse(projet, code, ligne):
    ecrire(projet, {"comptes/vues.py": code})

    assert examiner(projet) == [
        f"comptes/vues.py:{ligne} importe commun.models dans une fonction : les imports du projet se font en tête de module"
    ]


def test_un_import_de_bibliotheque_dans_une_fonction_est_permis(projet):
    ecrire(projet, {"comptes/vues.py": "def f():\n    import json\n    from django.db import transaction\n"})

    assert examiner(projet) == []


def test_un_import_dans_une_fonction_de_la_liste_des_exceptions_est_permis(projet):
    ecrire(projet, {"config/prechauffage.py": "def f():\n    from comptes.models import VALEUR_1\n"})
    exceptions = (("config/prechauffage.py", "comptes.models", "le préchauffage importe au moment voulu"),)

    assert examiner(projet, COUCHES, exceptions) == []


def test_une_exception_qui_ne_sert_plus_est_refusee(projet):
    ecrire(projet, {"config/prechauffage.py": "from comptes.models import VALEUR_1\n"})
    exceptions = (("config/prechauffage.py", "comptes.models", "le préchauffage importe au moment voulu"),)

    assert examiner(projet, COUCHES, exceptions) == [
        "l’exception (config/prechauffage.py, comptes.models) n’est plus nécessaire : retirez-la de la liste"
    ]


def test_plus_de_deux_exceptions_sont_refusees(projet):
    ecrire(
        projet,
        {
            "config/prechauffage.py": "def f():\n    import commun.models\n    import comptes.models\n    import quartiers.models\n"
        },
    )
    exceptions = tuple(("config/prechauffage.py", f"{app}.models", "raison") for app in ("commun", "comptes", "quartiers"))

    assert examiner(projet, COUCHES, exceptions) == ["la liste des imports permis dans une fonction compte 3 entrées : 2 au plus"]


def test_une_exception_sans_raison_est_refusee(projet):
    ecrire(projet, {"config/prechauffage.py": "def f():\n    import commun.models\n"})

    assert examiner(projet, COUCHES, (("config/prechauffage.py", "commun.models", " "),)) == [
        "l’exception (config/prechauffage.py, commun.models) ne dit pas pourquoi elle est nécessaire"
    ]


# --- Size -------------------------------------------------------------------------------------------


def test_une_application_de_plus_du_tiers_du_code_est_refusee(projet):
    ecrire(projet, {"postes/models.py": remplissage(60) + "\n\n   \n" + remplissage(1)})

    assert examiner(projet) == [
        "postes/ contient 61 des 181 lignes de code (34\u00a0%) : plus du tiers, découpez-la en applications"
    ]


def test_une_application_d_un_tiers_du_code_exactement_est_permise(projet):
    ecrire(projet, {"postes/models.py": remplissage(60)})

    assert examiner(projet) == []


def test_les_migrations_ne_comptent_pas_dans_la_taille_d_une_application(projet):
    ecrire(projet, {"postes/migrations/0001_initial.py": remplissage(500), "postes/models.py": remplissage(10)})

    assert examiner(projet) == []


# --- The repository ---------------------------------------------------------------------------------


def test_la_liste_des_exceptions_est_courte_et_motivee():
    assert len(EXCEPTIONS) <= MAXIMUM_EXCEPTIONS
    assert all(raison.strip() for _, _, raison in EXCEPTIONS)


def test_l_arborescence_respecte_les_couches():
    violations = examiner(RACINE)

    assert not violations, f"{len(violations)} violations de la structure (issue 17) :\n" + "\n".join(violations)
