"""scripts/comparer_schema.py : la normalisation des noms, sans base (des schémas tels que `capturer` les lit)."""

from scripts.comparer_schema import (
    apparier_tables,
    comparer_ensembles,
    correspondance_du_schema,
    correspondance_tables,
    est_automatique,
    nom_postgres,
    normaliser,
    sans_prefixe,
)


def schema(app: str, *, fk: str, nullable: bool = False, index: bool = True, corps: str | None = None) -> dict:
    """Deux tables de l’application `app` : poste, et convention qui la référence (noms générés `fk`)."""
    poste, convention = f"{app}_poste", f"{app}_convention"
    corps = corps or f"BEGIN INSERT INTO {poste} SELECT 1 FROM {convention}; RETURN NULL; END"

    def colonne(table, nom, non_nul=True):
        return {"table": table, "nom": nom, "type": "bigint", "non_nul": non_nul, "defaut": None, "identite": "d",
                "generee": "", "collation": None, "commentaire": None}  # fmt: skip

    def contrainte(nom, table, genre, definition, colonnes, table_ref=None, colonnes_ref=(), automatique=True):
        return {"nom": nom, "table": table, "genre": genre, "definition": definition, "colonnes": list(colonnes),
                "table_ref": table_ref, "colonnes_ref": list(colonnes_ref), "differable": genre == "f",
                "differee": genre == "f", "validee": True, "automatique": automatique}  # fmt: skip

    fonction = f"journal_{convention}_insert"
    return {
        "django": {"applications": ["auth", app]},
        "tables": [{"nom": t, "genre": "r", "commentaire": None, "definition": None} for t in (poste, convention)],
        "colonnes": [colonne(poste, "id"), colonne(convention, "id"), colonne(convention, "poste_id", not nullable)],
        "contraintes": [
            contrainte(f"{poste}_pkey", poste, "p", "PRIMARY KEY (id)", ["id"]),
            contrainte(f"{convention}_pkey", convention, "p", "PRIMARY KEY (id)", ["id"]),
            contrainte(
                fk,
                convention,
                "f",
                f"FOREIGN KEY (poste_id) REFERENCES {poste}(id) DEFERRABLE INITIALLY DEFERRED",
                ["poste_id"],
                poste,
                ["id"],
            ),
            contrainte("convention_id_positif", convention, "c", "CHECK ((id > 0))", ["id"], automatique=False),
        ],  # fmt: skip
        "index": (
            [
                {
                    "nom": "convention_poste_idx",
                    "table": convention,
                    "unique": False,
                    "primaire": False,
                    "definition": f"CREATE INDEX convention_poste_idx ON public.{convention} USING btree (poste_id)",
                    "colonnes": ["poste_id"],
                    "porte_une_contrainte": False,
                    "automatique": False,
                }
            ]
            if index
            else []
        ),  # fmt: skip
        "sequences": [],
        "declencheurs": [
            {
                "nom": fonction,
                "table": convention,
                "definition": f"CREATE TRIGGER {fonction} AFTER INSERT ON public.{convention} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {fonction}()",
            }
        ],  # fmt: skip
        "fonctions": [
            {
                "nom": fonction,
                "arguments": "",
                "definition": f"CREATE OR REPLACE FUNCTION public.{fonction}()\n RETURNS trigger\nAS $function$ {corps} $function$\n",
            }
        ],  # fmt: skip
        "extensions": [{"nom": "plpgsql", "version": "1.0"}],
        "types": [],
    }


def differences(avant: dict, apres: dict) -> list[str]:
    corr_avant, corr_apres = correspondance_du_schema(avant), correspondance_du_schema(apres)
    noms = {**corr_avant, **corr_apres}
    return comparer_ensembles(normaliser(avant, corr_avant, noms), normaliser(apres, corr_apres, noms))


def test_le_prefixe_d_application_est_retire_du_nom_de_table():
    applications = ["comptes", "postes", "otp", "otp_totp", "sessions"]
    assert sans_prefixe("postes_convention", applications) == "convention"
    assert sans_prefixe("postes_historicalconvention", applications) == "historicalconvention"
    assert sans_prefixe("comptes_utilisateur_employeurs", applications) == "utilisateur_employeurs"
    assert sans_prefixe("otp_totp_totpdevice", applications) == "totpdevice"  # le préfixe le plus long
    assert sans_prefixe("django_session", applications) == "django_session"  # db_table sans préfixe d’application


def test_deux_tables_qui_tomberaient_sur_le_meme_nom_gardent_leur_nom_reel():
    correspondance = correspondance_tables(["postes_note", "demandes_note", "postes_poste"], ["postes", "demandes"])
    assert correspondance == {"postes_note": "postes_note", "demandes_note": "demandes_note", "postes_poste": "poste"}


def test_un_nom_genere_se_reconnait_meme_sous_l_ancien_nom_de_table_et_un_nom_declare_jamais():
    assert est_automatique("postes_convention_poste_id_ecbfe6c1_fk_postes_poste_id", set(), set())
    assert est_automatique("postes_convention_numero_465c942e_like", set(), set())
    assert est_automatique("postes_convention_pkey", set(), set())
    assert not est_automatique("convention_statut_connu", set(), set())
    assert not est_automatique("convention_numero_key", {"convention_numero_key"}, {"convention_numero_key"})


def test_nom_choisi_par_postgresql_tronque_a_63_caracteres_comme_lui():
    assert nom_postgres("postes_historicalconvention", "history_id", "seq") == "postes_historicalconvention_history_id_seq"
    long = nom_postgres("t" * 40, "c" * 40, "key")
    assert len(long) == 63 and long.endswith("_key")


def test_meme_schema_dans_une_autre_application_identique():
    avant = schema("postes", fk="postes_convention_poste_id_ecbfe6c1_fk_postes_poste_id")
    apres = schema("conventions", fk="conventions_convention_poste_id_0a1b2c3d_fk_conventions_poste_id")
    assert differences(avant, apres) == []


def test_index_supprime_colonne_devenue_nullable_et_corps_de_fonction_modifie_signales():
    avant = schema("postes", fk="postes_convention_poste_id_ecbfe6c1_fk_postes_poste_id")
    apres = schema(
        "conventions",
        fk="conventions_convention_poste_id_0a1b2c3d_fk_conventions_poste_id",
        nullable=True,
        index=False,
        corps="BEGIN RETURN NULL; END",
    )
    ecarts = differences(avant, apres)
    assert len(ecarts) == 3
    assert ecarts[0].startswith("[colonnes] différent : (convention, poste_id)") and "bigint NULL" in ecarts[0]
    assert ecarts[1].startswith("[index] absent après : (nom, convention_poste_idx)")
    assert ecarts[2].startswith("[fonctions] différent : (journal_convention_insert, )")


def test_corps_de_fonction_qui_nomme_une_table_disparue_signale():
    avant = schema("postes", fk="postes_convention_poste_id_ecbfe6c1_fk_postes_poste_id")
    perime = "BEGIN INSERT INTO conventions_poste SELECT 1 FROM postes_convention; RETURN NULL; END"
    apres = schema("conventions", fk="conventions_convention_poste_id_0a1b2c3d_fk_conventions_poste_id", corps=perime)
    ecarts = differences(avant, apres)
    assert len(ecarts) == 1 and "+AS $function$ BEGIN INSERT INTO poste SELECT 1 FROM postes_convention;" in ecarts[0]


def test_nom_declare_change_signale_meme_si_la_contrainte_est_la_meme():
    avant = schema("postes", fk="postes_convention_poste_id_ecbfe6c1_fk_postes_poste_id")
    apres = schema("postes", fk="postes_convention_poste_id_ecbfe6c1_fk_postes_poste_id")
    apres["contraintes"][3]["nom"] = "convention_identifiant_positif"
    assert [e.split(" = ")[0] for e in differences(avant, apres)] == [
        "[contraintes] absent après : (nom, convention_id_positif)",
        "[contraintes] en plus après : (nom, convention_identifiant_positif)",
    ]


def test_table_m2m_passee_de_l_autre_cote_de_la_relation_appariee():
    def m2m(table, premier, second):
        return {
            "colonnes": {
                (table, "id"): "bigint NOT NULL",
                (table, premier): "bigint NOT NULL",
                (table, second): "bigint NOT NULL",
            },
            "contraintes": {("automatique", table, "u", (premier, second), None, ()): ("UNIQUE",)},
        }

    avant = {
        "tables": {"utilisateur_employeurs": None, "poste": None},
        **m2m("utilisateur_employeurs", "utilisateur_id", "employeur_id"),
    }
    apres = {"tables": {"employeur_membres": None, "poste": None}, **m2m("employeur_membres", "employeur_id", "utilisateur_id")}
    assert apparier_tables(avant, apres) == {"employeur_membres": "utilisateur_employeurs"}
    apres["colonnes"][("employeur_membres", "role")] = "text NULL"  # une colonne de plus : plus la même table
    assert apparier_tables(avant, apres) == {}
