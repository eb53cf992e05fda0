"""SIRET checks (pure functions).

A SIRET is 14 digits: the SIREN (9) and the establishment number (5). Its last digit is a Luhn key.
Exception: La Poste (SIREN 356 000 000) has more establishments than the Luhn key allows, so its
SIRETs are valid when the sum of their digits is a multiple of 5 (INSEE rule); the head office
(356 000 000 00048) keeps an ordinary Luhn key.
"""

from django.core.exceptions import ValidationError

SIREN_LA_POSTE = "356000000"


def luhn_valide(chiffres: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(chiffres)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def normaliser_siret(valeur: str) -> str:
    """Remove the spaces and dots people type in a SIRET (`775 544 026 01284`)."""
    return "".join(c for c in str(valeur or "") if not c.isspace() and c not in ".-")


def erreur_siret(valeur: str) -> str | None:
    """The French message saying what is wrong with a SIRET, or None when it is valid."""
    siret = normaliser_siret(valeur)
    if not siret:
        return "Le SIRET est obligatoire."
    if not (siret.isascii() and siret.isdigit()):  # "٧٧٥…" or "７７５…" are digits for isdigit()
        return "Le SIRET ne doit contenir que des chiffres."
    if len(siret) != 14:
        return f"Le SIRET doit comporter 14 chiffres ({len(siret)} saisis)."
    if siret.startswith(SIREN_LA_POSTE):
        if sum(int(c) for c in siret) % 5 != 0 and not luhn_valide(siret):
            return "Le SIRET est invalide : la clé de contrôle (règle La Poste) ne correspond pas."
        return None
    if not luhn_valide(siret):
        return "Le SIRET est invalide : la clé de contrôle ne correspond pas (vérifiez chaque chiffre)."
    return None


def siret_valide(valeur: str) -> bool:
    return erreur_siret(valeur) is None


def valider_siret(valeur: str) -> None:
    """Django validator."""
    message = erreur_siret(valeur)
    if message:
        raise ValidationError(message, code="siret_invalide")
