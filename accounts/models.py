"""Users: each belongs to exactly one organisation, a municipality or a county board."""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.models import Device


class Role(models.TextChoices):
    OFFICER = "officer", _("Handläggare")
    SUPERVISOR = "supervisor", _("Arbetsledare")
    COUNTY = "county", _("Länsstyrelsen")
    ADMIN = "admin", _("Administratör")


class Unit(models.TextChoices):
    """A decision-making unit of a municipality's social services."""

    CHILDREN_FAMILY = "children_family", _("Barn och familj")
    ADULT = "adult", pgettext_lazy("unit", "Vuxen")
    ECONOMIC_AID = "economic_aid", _("Ekonomiskt bistånd")
    HOUSING = "housing", _("Bostadssocial enhet")
    OTHER = "other", _("Annan enhet")


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """Create a superuser with the administrator role (an officer would need a municipality)."""
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("kommun"),
    )
    # For county staff: the network whose county board they work for.
    network = models.ForeignKey(
        "municipalities.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="county_staff",
        verbose_name=_("nätverk (länsstyrelsen)"),
    )
    is_contact_person = models.BooleanField(_("kontaktperson"), default=False)
    unit = models.CharField(_("enhet"), max_length=20, choices=Unit.choices, blank=True)
    phone = models.CharField(_("arbetstelefon"), max_length=30, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["officer", "supervisor"]) | Q(municipality__isnull=False),
                name="user_municipal_role_has_municipality",
                violation_error_message=_("Handläggare och arbetsledare måste höra till en kommun."),
            ),
            models.CheckConstraint(
                condition=~Q(role="supervisor") | ~Q(unit=""),
                name="user_supervisor_has_unit",
                violation_error_message=_("En arbetsledare måste ha en enhet."),
            ),
            models.CheckConstraint(
                condition=~Q(role="county") | (Q(network__isnull=False) & Q(municipality__isnull=True)),
                name="user_county_staff_has_network",
                violation_error_message=_("Länsstyrelsens personal hör till ett nätverk och ingen kommun."),
            ),
        ]

    @property
    def organisation_name(self) -> str:
        """Return the name of the organisation the user works for."""
        if self.municipality_id:
            return self.municipality.name
        if self.network_id:
            return self.network.county_board
        return ""

    @property
    def is_municipal(self) -> bool:
        return self.role in (Role.OFFICER, Role.SUPERVISOR) and self.municipality_id is not None


class BackupCodeDevice(Device):
    """A django-otp device whose tokens are one-time backup codes, stored hashed.

    Each code carries 80 bits (16 characters of base32). A code is used by one
    conditional UPDATE, so two simultaneous submissions of the same code cannot both succeed.
    """

    CODE_COUNT = 10

    class Meta:
        verbose_name = _("reservkoder")
        verbose_name_plural = _("reservkoder")

    def verify_token(self, token) -> bool:
        code = normalise_backup_code(str(token))
        if len(code) != 16:
            return False
        used = BackupCode.objects.filter(device=self, code_hash=hash_backup_code(code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        return used == 1

    def generate_codes(self) -> list[str]:
        """Replace every code of this device with new ones; return them for one display."""
        codes = [secrets.token_bytes(10) for _ in range(self.CODE_COUNT)]
        texts = [base64.b32encode(raw).decode("ascii") for raw in codes]
        self.codes.all().delete()
        BackupCode.objects.bulk_create(BackupCode(device=self, code_hash=hash_backup_code(text)) for text in texts)
        return [f"{text[:4]}-{text[4:8]}-{text[8:12]}-{text[12:]}" for text in texts]

    @property
    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "code_hash"], name="backup_code_unique")]


def normalise_backup_code(text: str) -> str:
    """Return ``text`` upper-cased without separators or spaces."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def hash_backup_code(code: str) -> str:
    """Return the keyed hash of a normalised code. Codes are random, so a keyed SHA-256 suffices."""
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()
