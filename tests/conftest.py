"""Shared fixtures: the Västmanland network and named personas of its municipalities."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.test.signals import language_changed
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import Role, Unit
from municipalities.models import Municipality, Network
from tests.factories import TOTPDeviceFactory, UserFactory

PASSWORD = "korrekt-hast-batteri"


@pytest.fixture(scope="session")
def compiled_messages():
    """Compile the .po files once (scripts/test.sh does it too; this keeps a bare pytest run honest).

    Django caches the catalogues it has loaded, so the cache is emptied after compiling.
    """
    call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)
    language_changed(setting="LOCALE_PATHS")


@pytest.fixture
def vastmanland(db) -> Network:
    call_command("load_network", "vastmanland", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Network.objects.get(slug="vastmanland")


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


@pytest.fixture
def make_user(vastmanland):
    """Return a function that makes a user of a municipality (by name) with a confirmed TOTP device."""

    def make(role: str = Role.OFFICER, municipality_name: str | None = None, **fields):
        if municipality_name is not None:
            fields["municipality"] = municipality(municipality_name)
        if role == Role.COUNTY:
            fields.setdefault("network", vastmanland)
        if role == Role.ADMIN:
            fields.setdefault("is_staff", True)
            fields.setdefault("is_superuser", True)
        user = UserFactory(role=role, **fields)
        TOTPDeviceFactory(user=user)
        return user

    return make


@pytest.fixture
def officer_koping(make_user):
    return make_user(Role.OFFICER, "Köping", username="officer_koping", is_contact_person=True)


@pytest.fixture
def officer_koping_colleague(make_user):
    return make_user(Role.OFFICER, "Köping", username="colleague_koping")


@pytest.fixture
def contact_sala(make_user):
    return make_user(Role.OFFICER, "Sala", username="contact_sala", is_contact_person=True)


@pytest.fixture
def contact_arboga(make_user):
    return make_user(Role.OFFICER, "Arboga", username="contact_arboga", is_contact_person=True)


@pytest.fixture
def supervisor_sala_adult(make_user):
    return make_user(Role.SUPERVISOR, "Sala", username="supervisor_sala_adult", unit=Unit.ADULT)


@pytest.fixture
def supervisor_sala_children(make_user):
    return make_user(Role.SUPERVISOR, "Sala", username="supervisor_sala_children", unit=Unit.CHILDREN_FAMILY)


@pytest.fixture
def officer_vasteras(make_user):
    """An officer of a municipality unrelated to the case."""
    return make_user(Role.OFFICER, "Västerås", username="officer_vasteras", is_contact_person=True)


@pytest.fixture
def county_staff(make_user):
    return make_user(Role.COUNTY, username="county_staff")


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMIN, username="administrator")


def verified_client(user) -> Client:
    """Return a client signed in as ``user`` with the second factor done."""
    client = Client()
    client.force_login(user)
    device = user.totpdevice_set.get()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def password_only_client(user) -> Client:
    """Return a client signed in with the password only (second factor not done)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    return verified_client
