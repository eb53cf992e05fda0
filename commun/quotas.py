"""Caps on what one account can pile up (issue 16): drafts open at once per structure, size of the
attachments per request and per structure, invitations sent per day by one account. The values are
settings read from the environment (README, « Configuration »); these pure functions give the
French refusal, or None. The services that create drafts, attachments and invitations apply them
inside their transaction, after locking the row the count depends on."""

from commun.televersement import taille_lisible


def erreur_brouillons(ouverts: int, maximum: int) -> str | None:
    """A new draft when the structure already has `ouverts` drafts open."""
    if ouverts < maximum:
        return None
    return (
        f"Votre structure a déjà {ouverts} brouillon{'s' if ouverts > 1 else ''} ouvert{'s' if ouverts > 1 else ''} : "
        f"au plus {maximum} à la fois. Déposez ou supprimez un brouillon avant d’en créer un nouveau."
    )


def erreur_pieces(
    taille: int, deja_demande: int, deja_structure: int, maximum_demande: int, maximum_structure: int
) -> str | None:
    """A new attachment of `taille` bytes, when the request already holds `deja_demande` bytes and all
    the structure's requests `deja_structure` bytes."""
    if deja_demande + taille > maximum_demande:
        return (
            f"Pièce refusée : avec ce fichier ({taille_lisible(taille)}), les pièces de la demande atteindraient "
            f"{taille_lisible(deja_demande + taille)}, pour {taille_lisible(maximum_demande)} au plus par demande. "
            "Supprimez une pièce ou réduisez la taille du fichier."
        )
    if deja_structure + taille > maximum_structure:
        return (
            f"Pièce refusée : avec ce fichier ({taille_lisible(taille)}), les pièces de toutes les demandes de la "
            f"structure atteindraient {taille_lisible(deja_structure + taille)}, pour "
            f"{taille_lisible(maximum_structure)} au plus. Supprimez des pièces de brouillons inutiles."
        )
    return None


def erreur_invitations(envoyees: int, maximum: int) -> str | None:
    """A new invitation when the account sent `envoyees` in the last 24 hours."""
    if envoyees < maximum:
        return None
    return (
        f"Invitation non envoyée : vous avez déjà envoyé {envoyees} invitation{'s' if envoyees > 1 else ''} "
        f"ces dernières 24 heures, au plus {maximum} par jour. Réessayez demain."
    )
