"""The two-step sign-in: password, then an authenticator code or a backup code; enrolment; lock-out."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCodeDevice, Role
from audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, verified_client
from tests.factories import UserFactory

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
ENROL = reverse("accounts:enrol")


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_with_password(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_full_sign_in_with_a_totp_code_reaches_the_start_page_and_rotates_the_session(officer_koping):
    client = Client()
    response = sign_in_with_password(client, "officer_koping")
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    password_only_key = client.session.session_key
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)

    device = officer_koping.totpdevice_set.get()
    response = client.post(VERIFY, {"token": code_of(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session.session_key != password_only_key
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(user=officer_koping, action=AuditAction.SECOND_FACTOR).exists()


def test_sign_in_keeps_the_page_asked_for(officer_koping):
    client = Client()
    response = client.get(reverse("municipalities:directory"))
    assert response["Location"] == f"{LOGIN}?next=%2Fkommuner%2F"
    response = client.post(f"{LOGIN}?next=/kommuner/", {"username": "officer_koping", "password": PASSWORD})
    assert response["Location"] == f"{VERIFY}?next=%2Fkommuner%2F"
    response = client.post(response["Location"], {"token": code_of(officer_koping.totpdevice_set.get())})
    assert response["Location"] == "/kommuner/"


def test_next_to_another_site_is_ignored(officer_koping):
    client = Client()
    sign_in_with_password(client, "officer_koping")
    code = code_of(officer_koping.totpdevice_set.get())
    response = client.post(VERIFY, {"token": code, "next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("home")


def test_a_wrong_code_is_refused_and_logged(officer_koping):
    client = Client()
    sign_in_with_password(client, "officer_koping")
    response = client.post(
        VERIFY, {"token": "000000" if code_of(officer_koping.totpdevice_set.get()) != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)
    assert AuditEvent.objects.filter(user=officer_koping, action=AuditAction.SECOND_FACTOR_FAILED).count() == 1


def test_a_totp_code_is_accepted_once(officer_koping):
    code = code_of(officer_koping.totpdevice_set.get())
    first, second = Client(), Client()
    sign_in_with_password(first, "officer_koping")
    sign_in_with_password(second, "officer_koping")
    assert first.post(VERIFY, {"token": code})["Location"] == reverse("home")
    assert second.post(VERIFY, {"token": code}).status_code == 200
    assert second.get(reverse("home"))["Location"].startswith(VERIFY)


@pytest.fixture
def new_user(vastmanland):
    """A user an administrator just created: a password, no authenticator yet."""
    return UserFactory(username="new_user", role=Role.OFFICER, municipality=vastmanland.municipalities.get(name="Sala"))


def enrol(client: Client, user) -> list[str]:
    """Enrol ``user``'s authenticator through the pages; return the backup codes shown."""
    assert client.get(ENROL).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"token": code_of(device)})
    assert response.status_code == 200
    return response.context["codes"]


def test_first_sign_in_without_a_device_goes_to_enrolment(new_user):
    client = Client()
    sign_in_with_password(client, "new_user")
    assert client.get(VERIFY)["Location"] == ENROL
    response = client.get(ENROL)
    assert response.status_code == 200
    assert 'src="/konto/aktivera/qr.svg"' in response.content.decode()

    qr = client.get(reverse("accounts:enrol_qr"))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    assert qr["Cache-Control"] == "no-store"

    codes = enrol(client, new_user)
    assert len(codes) == BackupCodeDevice.CODE_COUNT
    assert len(set(codes)) == len(codes)
    assert TOTPDevice.objects.get(user=new_user).confirmed
    assert client.get(reverse("home")).status_code == 200
    # Stored as hashes only.
    stored = set(BackupCodeDevice.objects.get(user=new_user).codes.values_list("code_hash", flat=True))
    assert not stored & {code.replace("-", "") for code in codes}


def test_enrolment_keeps_the_page_asked_for(new_user):
    client = Client()
    response = client.post(f"{LOGIN}?next=/kommuner/", {"username": "new_user", "password": PASSWORD})
    response = client.get(response["Location"])
    assert response["Location"] == f"{ENROL}?next=%2Fkommuner%2F"
    response = client.get(response["Location"])
    assert '<input type="hidden" name="next" value="/kommuner/">' in response.content.decode()
    device = TOTPDevice.objects.get(user=new_user, confirmed=False)
    response = client.post(ENROL, {"token": code_of(device), "next": "/kommuner/"})
    assert response.status_code == 200
    assert 'href="/kommuner/"' in response.content.decode()


def test_enrolment_drops_a_next_to_another_site(new_user):
    client = Client()
    sign_in_with_password(client, "new_user")
    assert client.get(f"{VERIFY}?next=https://elsewhere.example/")["Location"] == ENROL
    response = client.get(f"{ENROL}?next=https://elsewhere.example/")
    assert '<input type="hidden" name="next" value="/">' in response.content.decode()


def test_a_wrong_enrolment_code_confirms_nothing(new_user):
    client = Client()
    sign_in_with_password(client, "new_user")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=new_user)
    wrong = "123456" if code_of(device) != "123456" else "654321"
    response = client.post(ENROL, {"token": wrong})
    assert response.status_code == 200
    assert not TOTPDevice.objects.get(user=new_user).confirmed
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_enrolment_is_closed_once_a_device_is_confirmed(officer_koping):
    client = Client()
    sign_in_with_password(client, "officer_koping")
    assert client.get(ENROL)["Location"] == VERIFY
    assert client.get(f"{ENROL}?next=/kommuner/")["Location"] == f"{VERIFY}?next=%2Fkommuner%2F"
    assert client.get(reverse("accounts:enrol_qr")).status_code == 404


def test_a_backup_code_works_once(new_user):
    enrolling = Client()
    sign_in_with_password(enrolling, "new_user")
    codes = enrol(enrolling, new_user)
    first = Client()
    sign_in_with_password(first, "new_user")
    assert first.post(VERIFY, {"token": codes[0].lower()})["Location"] == reverse("home")
    assert first.get(reverse("home")).status_code == 200

    second = Client()
    sign_in_with_password(second, "new_user")
    response = second.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 200
    assert second.get(reverse("home"))["Location"].startswith(VERIFY)
    assert BackupCodeDevice.objects.get(user=new_user).remaining == BackupCodeDevice.CODE_COUNT - 1


def test_new_backup_codes_replace_the_old_ones(officer_koping):
    client = verified_client(officer_koping)
    first = client.post(reverse("accounts:backup_codes")).context["codes"]
    second = client.post(reverse("accounts:backup_codes")).context["codes"]
    other = Client()
    sign_in_with_password(other, "officer_koping")
    assert other.post(VERIFY, {"token": first[0]}).status_code == 200
    assert other.post(VERIFY, {"token": second[0]})["Location"] == reverse("home")


def test_lock_out_after_five_failed_sign_ins(officer_koping):
    client = Client()
    for _attempt in range(5):
        response = sign_in_with_password(client, "officer_koping", "fel-losenord-igen")
        assert response.status_code in (200, 429)
    # Even the right password is refused now.
    response = sign_in_with_password(client, "officer_koping")
    assert response.status_code == 429
    assert "tillfälligt spärrad" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(user=officer_koping, action=AuditAction.SIGN_IN_FAILED).count() >= 5


def test_a_locked_out_name_from_one_address_does_not_lock_others(officer_koping, contact_sala):
    client = Client()
    for _attempt in range(5):
        sign_in_with_password(client, "officer_koping", "fel-losenord-igen")
    assert sign_in_with_password(Client(), "contact_sala")["Location"] == VERIFY


def test_the_session_ends_after_30_minutes_idle(officer_koping):
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))
    with time_machine.travel(start, tick=False) as traveller:
        client = verified_client(officer_koping)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_the_session_ends_after_12_hours_however_active(officer_koping):
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 7, 0))
    with time_machine.travel(start, tick=False) as traveller:
        client = verified_client(officer_koping)
        for _step in range(24):  # 24 × 29 minutes = 11 h 36 min
            traveller.shift(dt.timedelta(minutes=29))
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))  # 12 h 5 min after sign-in
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert client.get(reverse("home"))["Location"].startswith(LOGIN)


def test_sign_out_ends_the_session(officer_koping):
    client = verified_client(officer_koping)
    assert client.post(reverse("accounts:logout"))["Location"] == LOGIN
    assert client.get(reverse("home"))["Location"].startswith(LOGIN)


def test_the_sign_in_page_names_itself_neutrally(client):
    content = client.get(LOGIN).content.decode()
    assert "<title>Logga in – Ärendestöd</title>" in content
    # Open pages never name the network (security routines of the plan).
    assert "Länskompott" not in content
    assert "Västmanland" not in content


def test_english_can_be_chosen_before_signing_in(client, compiled_messages):
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert response["Location"] == LOGIN
    content = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in content
    assert "<title>Sign in – Case support</title>" in content
    assert "Step 1 of 2" in content
