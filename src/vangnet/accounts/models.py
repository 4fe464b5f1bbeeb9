"""Staff accounts (and, later, student portal accounts) with roles within one organisation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    USER = "gebruiker", _("User")
    ADMIN = "beheerder", _("Administrator")
    MENTOR = "mentor", _("Mentor")
    DEAN = "decaan", _("Careers counsellor (decaan)")
    TRANSITION_CONSULTANT = "doorstroomconsulent", _("Transition consultant")
    GENERALIST = "generalist", _("Generalist")
    PLATFORM_ADMIN = "platformbeheer", _("Platform management")


class AccountKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    STUDENT = "student", _("Student")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    kind = models.CharField(
        _("account kind"), max_length=10, choices=AccountKind.choices, default=AccountKind.STAFF
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(_("created"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def role_set(self) -> frozenset[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def forget_roles(self) -> None:
        """Drop the cached roles after they were changed."""
        self.__dict__.pop("_role_cache", None)

    def has_role(self, role: str) -> bool:
        return role in self.role_set()

    @property
    def primary_role(self) -> str:
        """The role recorded in audit events: the most powerful one the user holds."""
        order = [
            Role.PLATFORM_ADMIN,
            Role.ADMIN,
            Role.DEAN,
            Role.TRANSITION_CONSULTANT,
            Role.GENERALIST,
            Role.MENTOR,
            Role.USER,
        ]
        roles = self.role_set()
        for role in order:
            if role in roles:
                return str(role)
        return ""


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"
