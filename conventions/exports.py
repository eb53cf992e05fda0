"""Columns of the convention download."""

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
