"""`python manage.py eligibilite`: the eligibility of a person (art. L5134-102), for batch checks and
automation. Exit 0 for a valid question (eligible or not), 2 for an invalid one, 1 when the address
cannot be located (service down, no confident match)."""

import json
import re
from datetime import date

from django.core.management.base import CommandError

from commun.commandes import Commande
from quartiers.geocodage import GeocodageImpossible
from quartiers.residence import (
    Mode,
    QuartierInconnu,
    Residence,
    lire_point,
    residence_par_adresse,
    residence_par_code,
    residence_par_point,
)
from titulaires.regles import SITUATIONS
from titulaires.services import Question, evaluer


def invalide(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def lire_date(valeur: str | None, option: str) -> date:
    if not valeur:
        raise invalide(f"L’option {option} AAAA-MM-JJ est obligatoire.")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", valeur.strip()):
        raise invalide(f"{option} : « {valeur} » n’est pas une date au format AAAA-MM-JJ.")
    try:
        return date.fromisoformat(valeur.strip())
    except ValueError:
        raise invalide(f"{option} : la date « {valeur} » n’existe pas.") from None


class Command(Commande):
    help = (
        "Vérifie l’éligibilité d’une personne à un poste d’adulte-relais (art. L5134-102 du code du travail), "
        "à la date de signature du contrat. Sortie 0 : question valide ; 2 : question invalide ; "
        "1 : adresse impossible à localiser."
    )

    def add_arguments(self, parser):
        parser.add_argument("--naissance", metavar="AAAA-MM-JJ", help="Date de naissance.")
        parser.add_argument("--contrat", metavar="AAAA-MM-JJ", help="Date de signature du contrat de travail.")
        parser.add_argument("--situation", metavar="{sans_emploi,cui,en_emploi}", help="Situation avant l’embauche.")
        parser.add_argument("--qpv", metavar="CODE", help="Code du quartier prioritaire de résidence.")
        parser.add_argument("--adresse", help="Adresse de résidence, localisée par le géocodeur national.")
        parser.add_argument(
            "--point", metavar="LON,LAT", help="Coordonnées WGS84 du logement (écrire --point=-61.5,16.2 si négatives)."
        )
        parser.add_argument(
            "--derogation", metavar="MOTIF", help="Dérogation du préfet à la condition de résidence, avec son motif."
        )
        parser.add_argument("--json", action="store_true", help="Réponse en JSON.")

    def handle(self, *args, **options):
        question = self.question(options)
        diagnostic = evaluer(question)
        qpv = question.residence.qpv
        reponse = {
            "eligible": diagnostic.eligible,
            "criteres": [{"critere": c.critere, "ok": c.ok, "motif": c.motif} for c in diagnostic.criteres],
            "qpv": {"code": qpv.code, "nom": qpv.nom} if qpv else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(reponse, ensure_ascii=False))
            return
        self.stdout.write(f"Éligible : {'oui' if diagnostic.eligible else 'non'} ({diagnostic.version_regles})")
        for c in diagnostic.criteres:
            self.stdout.write(f"- {c.libelle} : {'rempli' if c.ok else 'non rempli'} – {c.motif} ({c.article})")
        for avertissement in question.residence.avertissements:
            self.stdout.write(self.style.WARNING(f"Attention : {avertissement}"))

    def question(self, options) -> Question:
        naissance = lire_date(options["naissance"], "--naissance")
        contrat = lire_date(options["contrat"], "--contrat")
        if naissance > contrat:
            raise invalide("La date de naissance (--naissance) suit la date du contrat (--contrat).")
        situation = options["situation"]
        if not situation:
            raise invalide("L’option --situation est obligatoire : sans_emploi, cui ou en_emploi.")
        if situation not in SITUATIONS:
            raise invalide(f"--situation : « {situation} » inconnue ; choisissez sans_emploi, cui ou en_emploi.")
        derogation = options["derogation"]
        if derogation is not None and not derogation.strip():
            raise invalide("--derogation : indiquez le motif de la dérogation du préfet.")
        residence = self.residence(options, derogation)
        return Question(naissance, contrat, situation, residence, derogation or "")

    def residence(self, options, derogation) -> Residence:
        donnees = {nom: options[nom] for nom in ("qpv", "adresse", "point") if options[nom] is not None}
        if len(donnees) > 1:
            raise invalide("Indiquez une seule résidence : --qpv, --adresse ou --point, pas plusieurs.")
        if not donnees:
            if derogation:
                return Residence(mode=Mode.AUCUNE)
            raise invalide("Indiquez la résidence (--qpv, --adresse ou --point) ou une dérogation (--derogation).")
        if "qpv" in donnees:
            try:
                return residence_par_code(donnees["qpv"])
            except QuartierInconnu as erreur:
                raise invalide(str(erreur)) from None
        if "point" in donnees:
            try:
                return residence_par_point(*lire_point(donnees["point"]))
            except ValueError as erreur:
                raise invalide(f"--point : {erreur}") from None
        if not donnees["adresse"].strip():
            raise invalide("--adresse : l’adresse est vide.")
        try:
            return residence_par_adresse(donnees["adresse"])
        except GeocodageImpossible as erreur:
            raise CommandError(f"{erreur.message.split(' Choisissez')[0]} Utilisez --qpv ou --point.", returncode=1) from None
