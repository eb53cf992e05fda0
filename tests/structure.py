"""The project's structure, read from the source with `ast` (no code is imported or run).

`examiner(racine)` returns one French message per violation of the layout of issue 17:
- an application imports only from the layers below it (never from a layer above, never from a
  sibling on its own level), migrations included;
- no cycle between applications, no cycle between files (modules, a package's `__init__` included);
- no import of a project module inside a function or a class body, except the short list
  `EXCEPTIONS` (two entries at most, each with its reason, none stale);
- no application holds more than a third of the code (non-blank lines, migrations aside);
- every package at the root belongs to a layer.
Imports under `if TYPE_CHECKING:` or in a `try` count like any other, and so do
`importlib.import_module("…")` / `__import__("…")` calls with a literal name.
"""

from __future__ import annotations

import ast
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

# The layers, lowest first. An application imports only from the layers before its own. Applications
# of one tuple share a level and may not import each other. `config` (settings, URLs, WSGI) is the
# Django project: it may import every application, and none imports it (commun reads
# `django.conf.settings`).
COUCHES: tuple[tuple[str, ...], ...] = (
    ("commun",),
    ("comptes",),
    ("quartiers",),
    ("employeurs",),
    ("financements",),
    ("postes",),
    ("titulaires",),
    ("conventions",),
    ("demandes",),
    ("importation",),
    ("pilotage",),
    ("demo", "exploitation"),
    ("config",),
)

# The project's apps, lowest layer first: the one list the tests read (config is the project, not an app).
APPLICATIONS = tuple(application for couche in COUCHES for application in couche)

# Imports of a project module inside a function that are allowed: (file, module imported, reason).
# Two entries at most; an entry that no longer matches an import is refused (stale).
EXCEPTIONS: tuple[tuple[str, str, str], ...] = ()

MAXIMUM_EXCEPTIONS = 2
# No application holds more than this share of the project's non-blank lines of Python.
PART_MAXIMALE = 1 / 3

# Folders never read, wherever they are.
DOSSIERS_IGNORES = frozenset({".venv", "tests", "bench", "scripts", ".pgdata", "node_modules", "__pycache__"})
# Folders read for the import rules but not counted in an application's size.
DOSSIERS_NON_COMPTES = frozenset({"migrations", "tests"})


@dataclass(frozen=True)
class Import:
    fichier: str  # path relative to the root, with "/"
    ligne: int
    module: str  # dotted name, resolved to the submodule when the file exists
    dans_une_fonction: bool


@dataclass
class Module:
    nom: str
    fichier: str
    paquet: bool  # an `__init__.py`
    texte: str = ""
    arbre: ast.Module | None = None


def examiner(
    racine: Path,
    couches: tuple[tuple[str, ...], ...] = COUCHES,
    exceptions: tuple[tuple[str, str, str], ...] = EXCEPTIONS,
) -> list[str]:
    """Every violation of the project's structure under `racine`, one French message each."""
    racine = Path(racine)
    messages: list[str] = []
    niveaux = _niveaux(couches, messages)
    messages += _paquets_hors_couches(racine, niveaux)
    modules, illisibles = _modules(racine, niveaux)
    messages += illisibles
    imports = [imp for module in modules.values() for imp in _imports(module, modules, niveaux, messages)]
    messages += _couches_respectees(imports, niveaux)
    messages += _imports_dans_les_fonctions(imports, exceptions)
    messages += _cycles_entre_applications(imports)
    messages += _cycles_entre_fichiers(imports, modules)
    messages += _applications_trop_grosses(modules)
    return messages


# --- Reading the tree -------------------------------------------------------------------------------


def _niveaux(couches, messages: list[str]) -> dict[str, int]:
    niveaux: dict[str, int] = {}
    for niveau, applications in enumerate(couches):
        for application in applications:
            if application in niveaux:
                messages.append(f"la couche de {application} est définie deux fois dans COUCHES")
            niveaux.setdefault(application, niveau)
    return niveaux


def _paquets_hors_couches(racine: Path, niveaux: dict[str, int]) -> list[str]:
    """A package at the root that no layer names would escape every rule."""
    return [
        f"{dossier.name}/ est un paquet Python qui n’appartient à aucune couche : ajoutez-le à COUCHES"
        for dossier in sorted(racine.iterdir())
        if dossier.is_dir()
        and dossier.name not in niveaux
        and dossier.name not in DOSSIERS_IGNORES
        and ((dossier / "__init__.py").is_file() or (dossier / "apps.py").is_file())
    ]


def _fichiers(racine: Path, niveaux: dict[str, int]):
    for application in sorted(niveaux):
        dossier = racine / application
        if not dossier.is_dir():
            continue
        for chemin in sorted(dossier.rglob("*.py")):
            if not DOSSIERS_IGNORES.intersection(chemin.relative_to(racine).parts[:-1]):
                yield chemin


def _modules(racine: Path, niveaux: dict[str, int]) -> tuple[dict[str, Module], list[str]]:
    modules: dict[str, Module] = {}
    messages = []
    for chemin in _fichiers(racine, niveaux):
        relatif = chemin.relative_to(racine)
        parties = list(relatif.with_suffix("").parts)
        paquet = parties[-1] == "__init__"
        if paquet:
            parties.pop()
        module = Module(".".join(parties), relatif.as_posix(), paquet)
        try:
            module.texte = chemin.read_text(encoding="utf-8")
            module.arbre = ast.parse(module.texte, filename=str(relatif))
        except (SyntaxError, UnicodeDecodeError) as erreur:
            ligne = getattr(erreur, "lineno", None) or 1
            messages.append(f"{module.fichier}:{ligne} est illisible ({erreur.__class__.__name__}) : fichier non examiné")
        modules[module.nom] = module
    return modules, messages


def _application(module: str) -> str:
    return module.partition(".")[0]


def _connu(nom: str, modules: dict[str, Module]) -> str | None:
    """The module file that `import nom` ends in: the longest prefix of `nom` that is a module."""
    parties = nom.split(".")
    for fin in range(len(parties), 0, -1):
        candidat = ".".join(parties[:fin])
        if candidat in modules:
            return candidat
    return None


_PORTEES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_CORPS = ("body", "orelse", "finalbody", "handlers", "cases")


def _instructions_d_import(module: Module):
    """Every import statement, and every literal `import_module("…")` / `__import__("…")` call, with
    whether it sits inside a function or a class body (at any depth). Imports are statements: only
    the bodies are walked, the whole tree only when the file names `import_module` or `__import__`."""
    pile = [(noeud, False) for noeud in reversed(module.arbre.body)]
    while pile:
        noeud, dedans = pile.pop()
        if isinstance(noeud, (ast.Import, ast.ImportFrom)):
            yield noeud, dedans
        dedans = dedans or isinstance(noeud, _PORTEES)
        for champ in _CORPS:
            pile.extend((enfant, dedans) for enfant in reversed(getattr(noeud, champ, None) or ()))
    if "import_module" in module.texte or "__import__" in module.texte:
        pile = [(module.arbre, False)]
        while pile:
            noeud, dedans = pile.pop()
            if isinstance(noeud, ast.Call) and _nom_importe(noeud):
                yield noeud, dedans
            dedans = dedans or isinstance(noeud, _PORTEES)
            pile.extend((enfant, dedans) for enfant in ast.iter_child_nodes(noeud))


def _nom_importe(appel: ast.Call) -> str | None:
    fonction = appel.func
    nom = fonction.attr if isinstance(fonction, ast.Attribute) else getattr(fonction, "id", None)
    if nom in ("import_module", "__import__") and appel.args and isinstance(appel.args[0], ast.Constant):
        valeur = appel.args[0].value
        return valeur if isinstance(valeur, str) else None
    return None


def _imports(module: Module, modules: dict[str, Module], niveaux: dict[str, int], messages: list[str]) -> list[Import]:
    if module.arbre is None:
        return []
    resultat: dict[tuple[int, str], Import] = {}
    for noeud, dans_une_fonction in _instructions_d_import(module):
        if isinstance(noeud, ast.Import):
            noms = [alias.name for alias in noeud.names]
        elif isinstance(noeud, ast.Call):
            noms = [_nom_importe(noeud)]
        else:
            base = _base_absolue(module, noeud)
            if base is None:
                messages.append(f"{module.fichier}:{noeud.lineno} a un import relatif qui sort du projet")
                continue
            noms = []
            for alias in noeud.names:
                sous_module = f"{base}.{alias.name}" if base else alias.name
                noms.append(sous_module if sous_module in modules else base)
        for nom in noms:
            if nom and _application(nom) in niveaux:
                resultat.setdefault((noeud.lineno, nom), Import(module.fichier, noeud.lineno, nom, dans_une_fonction))
    return list(resultat.values())


def _base_absolue(module: Module, noeud: ast.ImportFrom) -> str | None:
    if not noeud.level:
        return noeud.module
    paquet = module.nom.split(".") if module.paquet else module.nom.split(".")[:-1]
    if noeud.level - 1 >= len(paquet):
        return None
    parties = paquet[: len(paquet) - (noeud.level - 1)]
    if noeud.module:
        parties.append(noeud.module)
    return ".".join(parties)


# --- The rules --------------------------------------------------------------------------------------


def _couches_respectees(imports: list[Import], niveaux: dict[str, int]) -> list[str]:
    messages = []
    for imp in imports:
        source, cible = imp.fichier.split("/")[0], _application(imp.module)
        if source == cible:
            continue
        debut = f"{imp.fichier}:{imp.ligne} importe {imp.module} : "
        if niveaux[cible] > niveaux[source]:
            messages.append(debut + f"{cible} est au-dessus de {source}")
        elif niveaux[cible] == niveaux[source]:
            messages.append(debut + f"{cible} est au même niveau que {source}, aucune des deux n’importe l’autre")
    return messages


def _imports_dans_les_fonctions(imports: list[Import], exceptions) -> list[str]:
    messages = []
    if len(exceptions) > MAXIMUM_EXCEPTIONS:
        messages.append(
            f"la liste des imports permis dans une fonction compte {len(exceptions)} entrées : {MAXIMUM_EXCEPTIONS} au plus"
        )
    permis = {}
    for fichier, module, raison in exceptions:
        permis[(fichier, module)] = False
        if not raison.strip():
            messages.append(f"l’exception ({fichier}, {module}) ne dit pas pourquoi elle est nécessaire")
    for imp in imports:
        if not imp.dans_une_fonction:
            continue
        if (imp.fichier, imp.module) in permis:
            permis[(imp.fichier, imp.module)] = True
            continue
        messages.append(
            f"{imp.fichier}:{imp.ligne} importe {imp.module} dans une fonction : les imports du projet se font en tête de module"
        )
    for (fichier, module), servie in permis.items():
        if not servie:
            messages.append(f"l’exception ({fichier}, {module}) n’est plus nécessaire : retirez-la de la liste")
    return messages


def _cycles(aretes: dict[str, dict[str, Import]]) -> list[list[str]]:
    """For each strongly connected component (iterative Tarjan), the shortest cycle through each of
    its nodes, without repeats: every cycle is a list whose last node is its first."""
    index, bas, pile, sur_la_pile, composantes = {}, {}, [], set(), []
    compteur = 0
    noeuds = sorted(set(aretes) | {b for voisins in aretes.values() for b in voisins})
    for depart in noeuds:
        if depart in index:
            continue
        travail = [(depart, iter(sorted(aretes.get(depart, ()))))]
        index[depart] = bas[depart] = compteur
        compteur += 1
        pile.append(depart)
        sur_la_pile.add(depart)
        while travail:
            noeud, voisins = travail[-1]
            for voisin in voisins:
                if voisin not in index:
                    index[voisin] = bas[voisin] = compteur
                    compteur += 1
                    pile.append(voisin)
                    sur_la_pile.add(voisin)
                    travail.append((voisin, iter(sorted(aretes.get(voisin, ())))))
                    break
                if voisin in sur_la_pile:
                    bas[noeud] = min(bas[noeud], index[voisin])
            else:
                travail.pop()
                if travail:
                    bas[travail[-1][0]] = min(bas[travail[-1][0]], bas[noeud])
                if bas[noeud] == index[noeud]:
                    composante = set()
                    while True:
                        membre = pile.pop()
                        sur_la_pile.discard(membre)
                        composante.add(membre)
                        if membre == noeud:
                            break
                    if len(composante) > 1:
                        composantes.append(composante)
    cycles, vus = [], set()
    for composante in sorted(composantes, key=min):
        for noeud in sorted(composante):
            cycle = _plus_court_cycle(noeud, aretes, composante)
            debut = cycle.index(min(cycle[:-1]))
            normal = tuple(cycle[debut:-1] + cycle[:debut])
            if normal not in vus:
                vus.add(normal)
                cycles.append([*normal, normal[0]])
    return cycles


def _plus_court_cycle(depart: str, aretes, composante: set[str]) -> list[str]:
    precedent = {}
    file = deque([depart])
    while file:
        noeud = file.popleft()
        for voisin in sorted(aretes.get(noeud, ())):
            if voisin not in composante:
                continue
            if voisin == depart:
                chemin = [noeud]
                while chemin[-1] != depart:
                    chemin.append(precedent[chemin[-1]])
                return [depart, *reversed(chemin[:-1]), depart]
            if voisin not in precedent:
                precedent[voisin] = noeud
                file.append(voisin)
    raise AssertionError(f"{depart} n’est sur aucun cycle")  # a strongly connected component always has one


def _decrire(cycle: list[str], aretes: dict[str, dict[str, Import]]) -> str:
    lieux = " ; ".join(
        f"{aretes[a][b].fichier}:{aretes[a][b].ligne} importe {aretes[a][b].module}" for a, b in zip(cycle, cycle[1:])
    )
    return f"{' → '.join(cycle)} ({lieux})"


def _cycles_entre_applications(imports: list[Import]) -> list[str]:
    aretes: dict[str, dict[str, Import]] = defaultdict(dict)
    for imp in imports:
        source, cible = imp.fichier.split("/")[0], _application(imp.module)
        if source != cible:
            aretes[source].setdefault(cible, imp)
    return [f"cycle entre applications : {_decrire(cycle, aretes)}" for cycle in _cycles(aretes)]


def _cycles_entre_fichiers(imports: list[Import], modules: dict[str, Module]) -> list[str]:
    par_fichier = {module.fichier: module.nom for module in modules.values()}
    aretes: dict[str, dict[str, Import]] = defaultdict(dict)
    for imp in imports:
        cible = _connu(imp.module, modules)
        source = par_fichier[imp.fichier]
        if cible is not None and cible != source:
            aretes[source].setdefault(cible, imp)
    return [f"cycle entre fichiers : {_decrire(cycle, aretes)}" for cycle in _cycles(aretes)]


def _compter(modules: dict[str, Module]) -> dict[str, int]:
    """Non-blank lines of Python per application, migrations and tests aside."""
    lignes: dict[str, int] = defaultdict(int)
    for module in modules.values():
        if not DOSSIERS_NON_COMPTES.intersection(module.fichier.split("/")[:-1]):
            lignes[_application(module.nom)] += sum(1 for ligne in module.texte.splitlines() if ligne.strip())
    return dict(lignes)


def _applications_trop_grosses(modules: dict[str, Module]) -> list[str]:
    lignes = _compter(modules)
    total = sum(lignes.values())
    return [
        f"{application}/ contient {nombre} des {total} lignes de code ({round(100 * nombre / total)}\u00a0%) : "
        f"plus du tiers, découpez-la en applications"
        for application, nombre in sorted(lignes.items())
        if total and nombre > total * PART_MAXIMALE
    ]
