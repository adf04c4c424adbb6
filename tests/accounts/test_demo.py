"""The demo users: reproducible, working second factor, and no demo shortcut outside demo mode."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_PASSWORD, DEMO_USERS, current_code
from accounts.models import Role, Unit, User
from municipalities.models import LusamMeeting


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@override_settings(DEMO_MODE=False)
@pytest.mark.parametrize("command", [["seed_demo"], ["demo_code", "admin"]])
def test_demo_commands_refuse_outside_demo_mode(vastmanland, command):
    with pytest.raises(CommandError, match="only on a development machine"):
        run(*command)
    assert not User.objects.exists()


@override_settings(DEMO_MODE=True)
def test_seed_demo_creates_working_users_and_is_idempotent(vastmanland):
    output = run("seed_demo")
    users = {user.username: user for user in User.objects.all()}
    assert set(users) == {spec.username for spec in DEMO_USERS}
    keys = dict(TOTPDevice.objects.values_list("user__username", "key"))

    assert users["admin"].is_superuser and users["admin"].is_staff and users["admin"].role == Role.ADMIN
    assert users["lansstyrelsen"].role == Role.COUNTY and users["lansstyrelsen"].network == vastmanland
    for place in ("koping", "sala", "arboga"):
        assert users[f"{place}.kontakt"].is_contact_person
        units = {u.unit for u in users.values() if u.username.startswith(place) and u.role == Role.SUPERVISOR}
        assert units == {Unit.CHILDREN_FAMILY, Unit.ADULT, Unit.ECONOMIC_AID, Unit.HOUSING}
    assert users["koping.handlaggare"].role == Role.OFFICER
    assert LusamMeeting.objects.filter(network=vastmanland).count() == 3
    for username, user in users.items():
        assert user.check_password(DEMO_PASSWORD)
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed
        assert username in output
        assert device.config_url in output
    assert DEMO_PASSWORD in output
    assert "python manage.py demo_code USER" in output

    run("seed_demo")
    assert User.objects.count() == len(DEMO_USERS)
    assert TOTPDevice.objects.count() == len(DEMO_USERS)
    assert dict(TOTPDevice.objects.values_list("user__username", "key")) == keys
    assert LusamMeeting.objects.filter(network=vastmanland).count() == 3


@override_settings(DEMO_MODE=True)
def test_a_demo_user_signs_in_with_demo_code(vastmanland):
    run("seed_demo")
    code = run("demo_code", "sala.kontakt").strip()
    assert code == current_code(TOTPDevice.objects.get(user__username="sala.kontakt"))
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "sala.kontakt", "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("accounts:verify")
    assert client.post(reverse("accounts:verify"), {"token": code})["Location"] == reverse("home")
    assert client.get(reverse("municipalities:directory")).status_code == 200


@override_settings(DEMO_MODE=True)
def test_demo_code_prints_nothing_for_a_real_user(officer_koping):
    with pytest.raises(CommandError, match="not a demo user"):
        run("demo_code", "officer_koping")
