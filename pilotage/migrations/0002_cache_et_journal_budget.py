"""The dashboard's cache table (settings.CACHES["budget"]) and the triggers of the budget journal
(pilotage.models.JournalBudget)."""

from django.core.management import call_command
from django.db import migrations

# Triggers filling pilotage_journalbudget (see JournalBudget): after every statement that writes
# conventions, affectations or avenants, one row per département of the rows written; after an
# update moving posts to another département, one row for each of the two départements. Statement
# triggers with transition tables: a bulk insert of 10,000 conventions writes one row per département.
JOURNAL = "pilotage_journalbudget"
SOURCES = {
    # table: join from the written rows (alias t) to the post (alias p)
    "conventions_convention": "JOIN postes_poste p ON p.id = t.poste_id",
    "titulaires_affectation": "JOIN postes_poste p ON p.id = t.poste_id",
    "conventions_avenant": "JOIN conventions_convention c ON c.id = t.convention_id JOIN postes_poste p ON p.id = c.poste_id",
}
LIGNES = {
    "INSERT": ("REFERENCING NEW TABLE AS nouvelles", "nouvelles"),
    "UPDATE": (
        "REFERENCING OLD TABLE AS anciennes NEW TABLE AS nouvelles",
        "(SELECT * FROM anciennes UNION ALL SELECT * FROM nouvelles)",
    ),
    "DELETE": ("REFERENCING OLD TABLE AS anciennes", "anciennes"),
}


def fonction(nom: str, requete: str) -> str:
    return (
        f"CREATE FUNCTION {nom}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {JOURNAL} (departement_id, n) {requete}; RETURN NULL; END $$;"
    )


def creer_sql() -> list[str]:
    ordres = []
    for table, jointure in SOURCES.items():
        for operation, (transitions, lignes) in LIGNES.items():
            nom = f"journal_budget_{table}_{operation.lower()}"
            ordres.append(fonction(nom, f"SELECT DISTINCT p.departement_id, 1 FROM {lignes} t {jointure}"))
            ordres.append(
                f"CREATE TRIGGER {nom} AFTER {operation} ON {table} {transitions} FOR EACH STATEMENT EXECUTE FUNCTION {nom}()"
            )
    nom = "journal_budget_postes_poste_update"
    ordres.append(
        fonction(
            nom,
            (
                "SELECT DISTINCT x.departement_id, 1 FROM anciennes a JOIN nouvelles n ON n.id = a.id, "
                "LATERAL (VALUES (a.departement_id), (n.departement_id)) x(departement_id) "
                "WHERE a.departement_id IS DISTINCT FROM n.departement_id AND x.departement_id IS NOT NULL"
            ),
        )
    )
    ordres.append(
        f"CREATE TRIGGER {nom} AFTER UPDATE ON postes_poste {LIGNES['UPDATE'][0]} FOR EACH STATEMENT EXECUTE FUNCTION {nom}()"
    )
    return ordres


def supprimer_sql() -> list[str]:
    noms = [(t, f"journal_budget_{t}_{o.lower()}") for t in SOURCES for o in LIGNES]
    noms.append(("postes_poste", "journal_budget_postes_poste_update"))


def creer_cache(apps, schema_editor):
    call_command("createcachetable", "cache_budget", database=schema_editor.connection.alias, verbosity=0)


def supprimer_cache(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS cache_budget")


class Migration(migrations.Migration):
    dependencies = [
        ("pilotage", "0001_initial"),
        ("conventions", "0001_initial"),
        ("titulaires", "0001_initial"),
        ("postes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(creer_cache, supprimer_cache),
        migrations.RunSQL(creer_sql(), supprimer_sql()),
    ]
