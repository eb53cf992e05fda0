"""Passwords: French validator messages, single-use and short-lived reset links, no account
enumeration on the reset and sign-in pages."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from procrastinate.contrib.django.models import ProcrastinateJob

from commun.models import Courriel, StatutCourriel
from comptes.models import Utilisateur
from tests.courriels import envoyer_les_courriels_en_attente
from tests.factories import MOT_DE_PASSE

pytestmark = pytest.mark.django_db

OUBLI = "/comptes/mot-de-passe/oubli/"
NOUVEAU = "nouveau-mot-de-passe-tres-sur-2024"


def messages_du_validateur(mot_de_passe, user=None):
    with pytest.raises(ValidationError) as erreur:
        validate_password(mot_de_passe, user)
    return erreur.value.messages


def test_validateurs_en_francais():
    assert messages_du_validateur("court") == ["Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."]
    assert messages_du_validateur("123456789012345") == ["Ce mot de passe est entièrement numérique."]
    assert messages_du_validateur("password1234") == ["Ce mot de passe est trop courant."]
    camille = Utilisateur(email="camille.martin@exemple.gouv.fr")
    assert messages_du_validateur("Camille.Martin@exemple", camille) == [
        "Le mot de passe est trop semblable au champ «\xa0adresse électronique\xa0»."
    ]


def lien_recu():
    envoyer_les_courriels_en_attente()
    assert len(mail.outbox) == 1
    return re.search(r"https?://[^/\s]+(/comptes/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)


def choisir(client, lien, mot_de_passe=NOUVEAU):
    formulaire = client.get(lien, follow=True)
    return client.post(
        formulaire.redirect_chain[-1][0] if formulaire.redirect_chain else lien,
        {"new_password1": mot_de_passe, "new_password2": mot_de_passe},
    )


def test_lien_de_reinitialisation_a_usage_unique(client, agent93):
    client.post(OUBLI, {"email": agent93.email})
    lien = lien_recu()
    assert choisir(client, lien).url == reverse("comptes:mot_de_passe_change")
    agent93.refresh_from_db()
    assert agent93.check_password(NOUVEAU)
    deuxieme = client.get(lien, follow=True).content.decode()
    assert "Lien expiré ou déjà utilisé" in deuxieme
    assert choisir(client, lien, "encore-un-autre-mot-de-passe-42").status_code == 200
    agent93.refresh_from_db()
    assert agent93.check_password(NOUVEAU)


def test_lien_expire_refuse(client, agent93, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    il_y_a_plus_d_une_heure = datetime.now() - timedelta(seconds=3601)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=il_y_a_plus_d_une_heure):
        jeton = default_token_generator.make_token(agent93)
    uid = urlsafe_base64_encode(force_bytes(agent93.pk))
    page = client.get(reverse("comptes:nouveau_mot_de_passe", args=[uid, jeton]), follow=True).content.decode()
    assert "Lien expiré ou déjà utilisé" in page
    # The same link made just now works: only its age was wrong.
    frais = default_token_generator.make_token(agent93)
    page = client.get(reverse("comptes:nouveau_mot_de_passe", args=[uid, frais]), follow=True).content.decode()
    assert "Choisir un nouveau mot de passe" in page


def test_nouveau_mot_de_passe_soumis_aux_validateurs_en_francais(client, agent93):
    client.post(OUBLI, {"email": agent93.email})
    reponse = choisir(client, lien_recu(), "123456789012345")
    assert reponse.status_code == 200
    assert "Ce mot de passe est entièrement numérique." in reponse.content.decode()


def sans_jeton_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_reinitialisation_meme_reponse_pour_adresse_connue_ou_inconnue(client, agent93):
    connue = client.post(OUBLI, {"email": agent93.email}, follow=True)
    inconnue = client.post(OUBLI, {"email": "personne@nulle-part.fr"}, follow=True)
    assert connue.redirect_chain == inconnue.redirect_chain == [(reverse("comptes:reinitialisation_envoyee"), 302)]
    assert sans_jeton_csrf(connue.content.decode()) == sans_jeton_csrf(inconnue.content.decode())
    envoyer_les_courriels_en_attente()
    assert [m.to for m in mail.outbox] == [[agent93.email]]


def test_reinitialisation_prepare_le_meme_message_pour_une_adresse_inconnue(client, db):
    """Same work whatever the address: the message is rendered for a stand-in account, not sent."""
    with mock.patch("comptes.forms.ReinitialisationForm.preparer_message", wraps=lambda *a: ("Sujet", "Corps")) as preparer:
        client.post(OUBLI, {"email": "personne@nulle-part.fr"})
    assert preparer.call_count == 1
    assert not Courriel.objects.exists() and not ProcrastinateJob.objects.exists()
    envoyer_les_courriels_en_attente()
    assert mail.outbox == []


def test_envoi_du_courriel_hors_de_la_reponse(client, agent93):
    """The SMTP exchange is not part of the answer (its length would tell a known address): the
    message waits in the outbox, with its job, for the worker."""
    reponse = client.post(OUBLI, {"email": agent93.email})
    assert reponse.status_code == 302 and mail.outbox == []
    courriel = Courriel.objects.get()
    assert courriel.destinataires == [agent93.email] and courriel.statut == StatutCourriel.A_ENVOYER
    assert ProcrastinateJob.objects.get().args == {"courriel_id": courriel.pk}
    envoyer_les_courriels_en_attente()
    assert len(mail.outbox) == 1


def test_connexion_meme_message_pour_adresse_inconnue_et_mauvais_mot_de_passe(client, agent93, dep93):
    from tests.factories import AgentFactory

    desactive = AgentFactory(departements=[dep93], is_active=False)
    pages = [
        client.post("/comptes/connexion/", {"username": email, "password": mdp}).content.decode()
        for email, mdp in [
            ("personne@nulle-part.fr", "un-mot-de-passe-quelconque"),
            (agent93.email, "un-mot-de-passe-quelconque"),
            (desactive.email, MOT_DE_PASSE),
        ]
    ]
    assert all("Adresse électronique ou mot de passe incorrect." in page for page in pages)
    sans_email = [
        sans_jeton_csrf(p).replace(e, "") for p, e in zip(pages, ["personne@nulle-part.fr", agent93.email, desactive.email])
    ]
    assert sans_email[0] == sans_email[1] == sans_email[2]
