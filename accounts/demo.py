"""The demo: users with fixed passwords and fixed authenticator secrets, for a development machine only.

Nothing here runs unless ``settings.DEMO_MODE`` is on (DJANGO_DEBUG and LANSKOMPOTT_DEMO both true).
"""

import hashlib
from base64 import b32encode
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, Unit, User
from municipalities.models import LusamMeeting, Municipality, Network

DEMO_PASSWORD = "demo-lanskompott"  # noqa: S105 - printed on the console; demo mode only
DEMO_DEVICE_NAME = "demo"
DEMO_NETWORK = "vastmanland"
SUPERVISED_UNITS = [Unit.CHILDREN_FAMILY, Unit.ADULT, Unit.ECONOMIC_AID, Unit.HOUSING]
UNIT_SLUGS = {
    Unit.CHILDREN_FAMILY: "barn",
    Unit.ADULT: "vuxen",
    Unit.ECONOMIC_AID: "ekonomi",
    Unit.HOUSING: "bostad",
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    municipality: str | None = None
    unit: str = ""
    is_contact_person: bool = False


def _municipal_users(municipality: str, slug: str, *, extra_officer: bool) -> list[DemoUser]:
    users = [DemoUser(f"{slug}.kontakt", Role.OFFICER, "Kontaktperson", municipality, municipality, "", True)]
    if extra_officer:
        users.append(DemoUser(f"{slug}.handlaggare", Role.OFFICER, "Handläggare", municipality, municipality))
    for unit in SUPERVISED_UNITS:
        users.append(
            DemoUser(
                f"{slug}.{UNIT_SLUGS[unit]}",
                Role.SUPERVISOR,
                f"Arbetsledare {Unit(unit).label.lower()}",
                municipality,
                municipality,
                unit,
            )
        )
    return users


DEMO_USERS = [
    *_municipal_users("Köping", "koping", extra_officer=True),
    *_municipal_users("Sala", "sala", extra_officer=False),
    *_municipal_users("Arboga", "arboga", extra_officer=False),
    DemoUser("lansstyrelsen", Role.COUNTY, "Handläggare", "Länsstyrelsen"),
    DemoUser("admin", Role.ADMIN, "Administratör", "Demo"),
]


def require_demo_mode() -> None:
    """Refuse outside demo mode: production settings have no demo shortcut."""
    if not settings.DEMO_MODE:
        raise CommandError(
            "The demo exists only on a development machine: set DJANGO_DEBUG=true and LANSKOMPOTT_DEMO=true."
        )


def demo_key(username: str) -> str:
    """Return the fixed TOTP key (40 hex digits) of a demo user, so that a second run gives the same secret."""
    return hashlib.sha256(f"lanskompott-demo:{username}".encode()).hexdigest()[:40]


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii")


def current_code(device: TOTPDevice) -> str:
    """Return the code the authenticator app shows now for ``device``."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def _meeting_dates(today: date, count: int = 3) -> list[date]:
    """Return ``count`` dates, the first Wednesday after the 14th of each of the coming months."""
    dates = []
    year, month = today.year, today.month
    for _ in range(count):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = date(year, month, 15)
        dates.append(day + timedelta(days=(2 - day.weekday()) % 7))
    return dates


@transaction.atomic
def seed_demo() -> list[tuple[User, TOTPDevice]]:
    """Create or update the demo users, their devices and three LUSAM meetings. Idempotent."""
    require_demo_mode()
    network = Network.objects.get(slug=DEMO_NETWORK)
    result = []
    for spec in DEMO_USERS:
        municipality = Municipality.objects.get(network=network, name=spec.municipality) if spec.municipality else None
        user, _created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "role": spec.role,
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@example.org",
                "municipality": municipality,
                "network": network if spec.role == Role.COUNTY else None,
                "unit": spec.unit,
                "is_contact_person": spec.is_contact_person,
                "is_staff": spec.role == Role.ADMIN,
                "is_superuser": spec.role == Role.ADMIN,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.totpdevice_set.exclude(name=DEMO_DEVICE_NAME).delete()
        device, _created = TOTPDevice.objects.update_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": demo_key(user.username), "confirmed": True, "throttling_failure_count": 0},
        )
        result.append((user, device))
    for day in _meeting_dates(timezone.localdate()):
        LusamMeeting.objects.get_or_create(network=network, date=day)
    return result
