from django.db import models

from comptes.models import Role
from employeurs.regles import FormeJuridique, eligibilite_employeur, valider_siret


class EmployeurQuerySet(models.QuerySet):
    def for_user(self, user):
        """An agent sees the structures of their départements and those holding a post there;
        an employer sees their own structures."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.est_admin_national:
            return self
        if user.role == Role.AGENT:
            deps = user.departements.all()
            # employers of a post there, through the relation Poste.employeur (reverse name « postes »)
            avec_un_poste = self.model.objects.filter(postes__departement__in=deps).values("pk")
            return self.filter(models.Q(departement__in=deps) | models.Q(pk__in=avec_un_poste))
        if user.role == Role.EMPLOYEUR:
            return self.filter(pk__in=user.employeurs.values("pk"))
        return self.none()


class Employeur(models.Model):
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[valider_siret])
    raison_sociale = models.CharField("raison sociale", max_length=255)
    forme_juridique = models.CharField("forme juridique", max_length=20, choices=FormeJuridique.choices)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=100, blank=True)
    departement = models.ForeignKey(
        "quartiers.Departement", verbose_name="département", on_delete=models.PROTECT, related_name="employeurs"
    )
    courriel = models.EmailField("adresse électronique de contact", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = EmployeurQuerySet.as_manager()

    class Meta:
        verbose_name = "employeur"
        verbose_name_plural = "employeurs"
        ordering = ["raison_sociale"]
        # Indexes of the list filters and sorts (query budget, issue 7).
        indexes = [
            models.Index(fields=["departement", "raison_sociale"], name="employeur_dep_raison_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siret__regex=r"^[0-9]{14}$"),
                name="employeur_siret_14_chiffres",
                violation_error_message="Le SIRET doit compter exactement 14 chiffres, sans espace.",
            ),
            models.CheckConstraint(
                condition=models.Q(forme_juridique__in=FormeJuridique.values),
                name="employeur_forme_juridique_connue",
                violation_error_message="Choisissez une forme juridique de la liste.",
            ),
        ]

    def __str__(self):
        return self.raison_sociale

    @property
    def eligibilite(self):
        return eligibilite_employeur(self.forme_juridique)

    @property
    def forme_juridique_a_preciser(self) -> bool:
        """Created by an import: the agent must say which legal form it has."""
        return self.forme_juridique == FormeJuridique.A_PRECISER

    @property
    def siret_affiche(self):
        s = self.siret
        return f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"
