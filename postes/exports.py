"""Columns of the post and convention downloads.

The post export is also the import format: its headers are those `postes/importation/colonnes.py`
reads, lists are written `QN09339M, QN09340M`, choices and mediation domains by their French label
(never a code), so that a downloaded file
imported again changes nothing."""

from postes.importation.colonnes import CHAMPS


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

COLONNES_CONVENTIONS = [
    ("Numéro", "numero"),
    ("Rang", lambda c: c.get_rang_display()),
    ("Poste", "poste.identifiant"),
    ("SIRET", "poste.employeur.siret"),
    ("Employeur", "poste.employeur.raison_sociale"),
    ("Département", "poste.departement.code"),
    ("Début", "date_debut"),
    ("Fin", "date_fin"),
    ("Signature", "date_signature"),
    ("Statut", lambda c: c.get_statut_display()),
    ("Heures hebdomadaires", "heures_hebdomadaires"),
    ("Dérogation de résidence", "derogation_residence"),
    ("Motif de résiliation", lambda c: c.get_motif_resiliation_display()),
    ("Date de résiliation", "date_resiliation"),
]

# The requests inbox (postes/vues_demandes.py::DemandeListe).
COLONNES_DEMANDES = [
    ("Numéro", "numero"),
    ("Statut", lambda d: d.get_statut_display()),
    ("SIRET", "employeur.siret"),
    ("Employeur", "employeur.raison_sociale"),
    ("Département", "departement.code"),
    ("Intitulé", "intitule"),
    ("Nature du projet", "projet"),
    ("Missions", "missions"),
    ("Domaines", lambda d: ", ".join(x.libelle for x in d.domaines.all())),
    ("Quartiers (codes QPV)", lambda d: ", ".join(q.code for q in d.quartiers.all())),
    ("Heures hebdomadaires", "heures_hebdomadaires"),
    ("Début souhaité", "date_debut_souhaitee"),
    ("Budget prévisionnel annuel (€)", "budget_previsionnel"),
    ("Cofinancements", "cofinancements"),
    ("Déposée le", "date_depot"),
    ("Décision le", "date_decision"),
    ("Motif de la décision", "motif_decision"),
    ("Instructeur", lambda d: str(d.instructeur) if d.instructeur else ""),
    ("Poste créé", lambda d: d.poste.identifiant if d.poste_id else ""),
]
