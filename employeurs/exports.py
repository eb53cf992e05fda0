"""Columns of the employer download."""

COLONNES_EMPLOYEURS = [
    ("SIRET", "siret"),
    ("Raison sociale", "raison_sociale"),
    ("Forme juridique", lambda e: e.get_forme_juridique_display()),
    ("Éligible (L5134-101)", lambda e: e.eligibilite.ok),
    ("Adresse", "adresse"),
    ("Code postal", "code_postal"),
    ("Commune", "commune"),
    ("Département", "departement.code"),
    ("Courriel", "courriel"),
    ("Téléphone", "telephone"),
]
