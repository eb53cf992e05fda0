from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice


class Role(models.TextChoices):
    AGENT = "agent", "Agent de préfecture"
    EMPLOYEUR = "employeur", "Employeur"
    ADMIN_NATIONAL = "admin_national", "Administrateur national"


class UtilisateurManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("L’adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("role", Role.ADMIN_NATIONAL)
        extra["is_superuser"] = True
        return self.create_user(email, password, **extra)


class Utilisateur(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address. Their role decides what they can see."""

    email = models.EmailField("adresse électronique", unique=True)
    prenom = models.CharField("prénom", max_length=150, blank=True)
    nom = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.EMPLOYEUR)
    departements = models.ManyToManyField(
        "quartiers.Departement",
        verbose_name="départements suivis",
        blank=True,
        related_name="agents",
        help_text="Pour un agent de préfecture : les départements dont il instruit les dossiers.",
    )
    employeurs = models.ManyToManyField(
        "employeurs.Employeur",
        verbose_name="structures",
        blank=True,
        related_name="membres",
        help_text="Pour un employeur : les structures dont il est membre.",
    )
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("date d’inscription", default=timezone.now)

    objects = UtilisateurManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="utilisateur_role_connu",
                violation_error_message="Choisissez un rôle de la liste : agent de préfecture, employeur ou administrateur national.",
            ),
        ]

    def __str__(self):
        return self.nom_complet or self.email

    @property
    def nom_complet(self):
        return f"{self.prenom} {self.nom}".strip()

    @property
    def est_agent(self):
        return self.is_authenticated and self.role == Role.AGENT

    @property
    def est_employeur(self):
        return self.is_authenticated and self.role == Role.EMPLOYEUR

    @property
    def est_admin_national(self):
        return self.is_authenticated and (self.role == Role.ADMIN_NATIONAL or self.is_superuser)

    @property
    def is_staff(self):
        # The Django admin is for national administrators only.
        return self.is_active and self.est_admin_national

    def has_perm(self, perm, obj=None):
        # National administrators manage every model of the admin site.
        if self.is_active and self.est_admin_national:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_active and self.est_admin_national:
            return True
        return super().has_module_perms(app_label)

    def get_full_name(self):
        return self.nom_complet

    def get_short_name(self):
        return self.prenom or self.email


class Invitation(models.Model):
    """An invitation sent to an employer's contact (comptes/invitations.py): the trace of who invited
    whom, and what the daily cap of invitations per account counts (INVITATIONS_PAR_JOUR)."""

    employeur = models.ForeignKey("employeurs.Employeur", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse invitée")
    invite_par = models.ForeignKey(
        Utilisateur, on_delete=models.SET_NULL, null=True, related_name="invitations_envoyees", verbose_name="invité par"
    )
    cree_le = models.DateTimeField("envoyée le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["invite_par", "cree_le"], name="invitation_par_jour")]

    def __str__(self):
        return f"{self.email} ({self.employeur_id}, {self.cree_le:%d/%m/%Y})"


class AppareilDoubleFacteur(TOTPDevice):
    """django-otp's TOTP device under a French name, for the administration's pages (comptes/admin.py):
    a proxy, so the table and django-otp's own code are unchanged."""

    class Meta:
        proxy = True
        verbose_name = "appareil de double authentification"
        verbose_name_plural = "appareils de double authentification"
