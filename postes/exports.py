"""Columns of the post download, and `CHAMPS`: the headers of every file the service writes and
`importation/colonnes.py` reads (posts, conventions, yearly funding).

The post export is also the import format: lists are written `QN09339M, QN09340M`, choices and
mediation domains by their French label (never a code), so that a downloaded file imported again
changes nothing."""

# field: (header written by our exports, other accepted headers)
CHAMPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "identifiant": ("Identifiant", ("id_poste", "identifiant du poste", "n° de poste", "numéro de poste", "poste")),
    "intitule": ("Intitulé", ("intitulé du poste",)),
    "siret": ("SIRET", ("code_tiers", "siret de l’employeur", "siret employeur")),
    "raison_sociale": ("Raison sociale", ("employeur", "nom de l’employeur")),
    "forme_juridique": ("Forme juridique", ()),
    "departement": ("Département", ("insee_dep", "code département", "dep")),
    "region": ("Région", ("insee_reg", "code région")),
    "quartiers": ("Quartiers (codes QPV)", ("quartiers", "qpv", "codes qpv", "quartiers d’intervention")),
    "domaines": ("Domaines", ("domaines de médiation",)),
    "heures": ("Heures hebdomadaires", ("heures", "durée hebdomadaire")),
    "missions": ("Missions", ()),
    "statut": ("Statut", ("statut du poste",)),
    "convention": ("Convention", ("numéro de convention", "n° de convention")),
    "convention_debut": ("Début de convention", ("date de début de la convention", "date de début")),
    "convention_fin": ("Fin de convention", ("date de fin de la convention", "date de fin")),
    "convention_signature": ("Signature de la convention", ("date de signature",)),
    "convention_statut": ("Statut de la convention", ()),
    "annee": ("Année", ("exercice",)),
    "montant": ("Montant", ("montant versé", "montant de l’aide", "aide")),
    "code_cv": ("Contrat de ville", ("code_cv", "code contrat de ville")),
}


def convention_courante(poste):
    """The post's latest convention (from the prefetched `conventions`), or None."""
    conventions = list(poste.conventions.all())
    return max(conventions, key=lambda c: (c.date_debut, c.pk)) if conventions else None


def _convention(attribut):
    def lire(poste):
        convention = convention_courante(poste)
        if convention is None:
            return None
        return convention.get_statut_display() if attribut == "statut" else getattr(convention, attribut)

    return lire


def entete(champ):
    return CHAMPS[champ][0]


COLONNES_POSTES = [
    (entete("identifiant"), "identifiant"),
    (entete("intitule"), "intitule"),
    (entete("siret"), "employeur.siret"),
    (entete("raison_sociale"), "employeur.raison_sociale"),
    (entete("forme_juridique"), lambda p: p.employeur.get_forme_juridique_display()),
    (entete("departement"), "departement.code"),
    (entete("quartiers"), lambda p: ", ".join(q.code for q in p.quartiers.all())),
    (entete("domaines"), lambda p: ", ".join(d.libelle for d in p.domaines.all())),
    (entete("heures"), "heures_hebdomadaires"),
    (entete("missions"), "missions"),
    (entete("statut"), lambda p: p.get_statut_display()),
    (entete("convention"), _convention("numero")),
    (entete("convention_debut"), _convention("date_debut")),
    (entete("convention_fin"), _convention("date_fin")),
    (entete("convention_signature"), _convention("date_signature")),
    (entete("convention_statut"), _convention("statut")),
]
