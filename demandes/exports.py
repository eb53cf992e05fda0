"""Columns of the requests download."""

# The requests inbox (demandes/views.py::DemandeListe).
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
