"""Columns of the yearly funding download. Their headers are import headers too: a funding export
imported again changes nothing (importation/)."""

from postes.exports import entete

COLONNES_FINANCEMENTS = [
    (entete("annee"), "annee"),
    (entete("identifiant"), "poste.identifiant"),
    (entete("siret"), "poste.employeur.siret"),
    (entete("raison_sociale"), "poste.employeur.raison_sociale"),
    (entete("departement"), "poste.departement.code"),
    (entete("montant"), "montant"),
    (entete("code_cv"), "code_contrat_ville"),
]
