"""Inviting an employer's contact: create (or reuse) their account, add the structure to their
memberships, and e-mail them a single-use link to choose a password.

The link is Django's password-reset link (`comptes:nouveau_mot_de_passe`, token of
`default_token_generator`): it stops working once the password is set (the token depends on the
password hash and on the last login) and after PASSWORD_RESET_TIMEOUT. A new account gets a random
password nobody knows, so that « Mot de passe oublié » also works for it if the link has expired."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from commun.courriels import mettre_en_file
from commun.quotas import erreur_invitations
from comptes.models import Invitation, Role, Utilisateur


class ErreurInvitation(Exception):
    """The invitation cannot be sent; the message is French, for the agent."""


def duree_lisible(secondes: int) -> str:
    """`3600` → `une heure`, `86400` → `24 heures`, `600` → `10 minutes`."""
    if secondes % 3600 == 0:
        heures = secondes // 3600
        return "une heure" if heures == 1 else f"{heures} heures"
    minutes = max(secondes // 60, 1)
    return "une minute" if minutes == 1 else f"{minutes} minutes"


def lien_mot_de_passe(utilisateur) -> str:
    chemin = reverse(
        "comptes:nouveau_mot_de_passe",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(utilisateur.pk)),
            "token": default_token_generator.make_token(utilisateur),
        },
    )
    return settings.URL_SITE.rstrip("/") + chemin


def envoyer_invitation(utilisateur, employeur, invite_par) -> None:
    """Written to the outbox in the invitation's transaction: sent by the worker once it is committed."""
    contexte = {
        "utilisateur": utilisateur,
        "employeur": employeur,
        "invite_par": invite_par,
        # Someone who never signed in chooses a password; others are just told of the new structure.
        "lien": lien_mot_de_passe(utilisateur) if utilisateur.last_login is None else None,
        "lien_connexion": settings.URL_SITE.rstrip("/") + reverse("comptes:connexion"),
        "validite": duree_lisible(settings.PASSWORD_RESET_TIMEOUT),
    }
    sujet = " ".join(render_to_string("comptes/courriel_invitation_sujet.txt", contexte).split())
    corps = render_to_string("comptes/courriel_invitation.txt", contexte)
    mettre_en_file([utilisateur.email], sujet, corps)


@transaction.atomic
def inviter_contact(employeur, email: str, prenom: str, nom: str, invite_par) -> tuple[Utilisateur, bool]:
    """Return the contact's account and whether it was created. Refuses the addresses of agents and
    administrators (one account, one role), deactivated accounts, and more than
    INVITATIONS_PAR_JOUR invitations by `invite_par` in 24 hours (its row is locked while counting)."""
    Utilisateur.objects.select_for_update().filter(pk=invite_par.pk).first()
    envoyees = Invitation.objects.filter(invite_par=invite_par, cree_le__gte=timezone.now() - timedelta(days=1)).count()
    refus = erreur_invitations(envoyees, settings.INVITATIONS_PAR_JOUR)
    if refus:
        raise ErreurInvitation(refus)
    email = Utilisateur.objects.normalize_email(email.strip()).lower()
    utilisateur = Utilisateur.objects.select_for_update().filter(email__iexact=email).first()
    if utilisateur is not None and utilisateur.role != Role.EMPLOYEUR:
        raise ErreurInvitation(
            f"L’adresse {email} est celle d’un compte « {utilisateur.get_role_display().lower()} » : "
            "un compte employeur doit avoir sa propre adresse."
        )
    if utilisateur is not None and not utilisateur.is_active:
        raise ErreurInvitation(f"Le compte {email} est désactivé : un administrateur national doit le réactiver.")
    cree = utilisateur is None
    if cree:
        utilisateur = Utilisateur.objects.create_user(
            email, secrets.token_urlsafe(32), role=Role.EMPLOYEUR, prenom=prenom.strip(), nom=nom.strip()
        )
    utilisateur.employeurs.add(employeur)
    Invitation.objects.create(employeur=employeur, email=email, invite_par=invite_par)
    envoyer_invitation(utilisateur, employeur, invite_par)
    return utilisateur, cree
