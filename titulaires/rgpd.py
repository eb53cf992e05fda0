"""Retention of the titulaires' personal data (RGPD art. 5-1-e: limited storage).

A titulaire whose last affectation ended more than settings.RETENTION_TITULAIRES_ANNEES ago, and
who holds no open affectation, is anonymised: name, first name and address are erased, the birth
date is reduced to 1 January of the birth year (the age statistics of the programme stay possible),
the QPV of residence is kept (it is a neighbourhood, not a person). Diagnoses and history rows keep
no more than that."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from commun.dates import ajouter_annees
from titulaires.models import Affectation, Titulaire

NOM_ANONYME = "Anonymisé"


DONNEES_RESERVEES = (
    "La date de naissance, l’adresse, le quartier prioritaire de résidence, la situation avant "
    "l’embauche et les données examinées par les vérifications d’éligibilité sont réservées à la préfecture."
)


def voit_donnees_personnelles(user) -> bool:
    """The one rule of who sees a titulaire's eligibility data: birth date, address, QPV of residence,
    situation before hiring (unemployment), the data examined by an eligibility check and its
    per-criterion result. The prefecture needs them to check eligibility (art. L5134-102 C. trav.):
    agents (within their départements' scope, `for_user`) and national administrators. The employer
    does not: it sees that the person was found eligible (or not), on which date and by whom — data
    minimisation (RGPD art. 5-1-c)."""
    return user.is_authenticated and (user.est_agent or user.est_admin_national)


def date_limite(aujourd_hui: date, annees: int) -> date:
    return ajouter_annees(aujourd_hui, -annees)


def titulaires_a_anonymiser(aujourd_hui: date, annees: int | None = None):
    annees = settings.RETENTION_TITULAIRES_ANNEES if annees is None else annees
    ouverte = Affectation.objects.filter(titulaire=OuterRef("pk"), date_fin__isnull=True)
    return (
        Titulaire.objects.filter(anonymise_le__isnull=True)
        .annotate(derniere_fin=Max("affectations__date_fin"), a_une_affectation_ouverte=Exists(ouverte))
        .filter(a_une_affectation_ouverte=False, derniere_fin__lt=date_limite(aujourd_hui, annees))
    )


@transaction.atomic
def anonymiser_titulaires(aujourd_hui: date, annees: int | None = None) -> int:
    maintenant = timezone.now()
    nombre = 0
    ids = list(titulaires_a_anonymiser(aujourd_hui, annees).values_list("pk", flat=True))
    for titulaire in Titulaire.objects.filter(pk__in=ids, anonymise_le__isnull=True).select_for_update():
        titulaire.nom = NOM_ANONYME
        titulaire.prenom = ""
        titulaire.adresse = ""
        titulaire.date_naissance = date(titulaire.date_naissance.year, 1, 1)
        titulaire.anonymise_le = maintenant
        titulaire.save(update_fields=["nom", "prenom", "adresse", "date_naissance", "anonymise_le"])
        nombre += 1
    return nombre
