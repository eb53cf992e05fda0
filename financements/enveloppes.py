"""Envelope of posts of a département for a year, as numbers: the situation shown to agents and the
pure rule saying why one more post cannot be engaged. What counts as an engaged post reads the
conventions and requests: conventions/budget.py (`postes_engages`, `reserver_poste`)."""

from dataclasses import dataclass


class EnveloppeInsuffisante(Exception):
    """The envelope forbids one more post. The message is French, for the agent."""


@dataclass(frozen=True)
class SituationEnveloppe:
    annee: int
    departement: str
    nombre_postes: int | None  # None: no envelope for that year
    engages: int

    @property
    def ouverte(self) -> bool:
        return self.nombre_postes is not None

    @property
    def restants(self) -> int:
        return max((self.nombre_postes or 0) - self.engages, 0)

    @property
    def libelle(self) -> str:
        if not self.ouverte:
            return f"Enveloppe {self.annee} : aucune enveloppe ouverte pour le département {self.departement}"
        pluriel = "s" if self.engages > 1 else ""
        return f"Enveloppe {self.annee} : {self.engages} poste{pluriel} engagé{pluriel} sur {self.nombre_postes}"


SUITE_DEMANDE = "La demande ne peut pas être acceptée sans une enveloppe complémentaire."


def erreur_reservation(
    nombre_postes: int | None, engages: int, annee: int, departement: str, suite: str = SUITE_DEMANDE
) -> str | None:
    """Why one more post cannot be engaged in `annee` (pure function), or None when it can. `engages`:
    the posts already engaged that year, the one to engage not included."""
    if nombre_postes is None:
        return (
            f"Aucune enveloppe n’est ouverte pour le département {departement} en {annee} : "
            "l’acceptation est impossible tant que l’enveloppe de l’année n’a pas été saisie."
        )
    if engages >= nombre_postes:
        return (
            f"L’enveloppe {annee} du département {departement} est épuisée : {engages} poste"
            f"{'s' if engages > 1 else ''} engagé{'s' if engages > 1 else ''} sur {nombre_postes}. {suite}"
        )
    return None
