"""Sign-in to AAL2: one-time codes, backup codes, session rotation and limits, lock-out."""

import datetime
import threading
import time

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCode, BackupCodeDevice, normalise_backup_code
from audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, verified_client
from tests.factories import TOTPDeviceFactory, UserFactory

START = datetime.datetime(2026, 3, 2, 9, 0, 5, tzinfo=datetime.UTC)
LOGIN, VERIFY, LOGOUT = reverse("accounts:login"), reverse("accounts:verify"), reverse("accounts:logout")


def current_code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def session_key(client: Client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def sign_in_with_password(client: Client, user) -> None:
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert response["Location"].startswith(VERIFY)


def test_a_used_totp_code_is_refused_and_logged(officer_koping):
    device = officer_koping.totpdevice_set.get()
    with time_machine.travel(START, tick=False):
        client = Client()
        sign_in_with_password(client, officer_koping)
        code = current_code(device)
        assert client.post(VERIFY, {"token": code}).status_code == 302
        client.post(LOGOUT)

        sign_in_with_password(client, officer_koping)
        response = client.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert "har redan använts" in response.content.decode()
    assert not response.wsgi_request.user.is_verified()
    failures = AuditEvent.objects.filter(user=officer_koping, action=AuditAction.SECOND_FACTOR_FAILED)
    assert failures.count() == 1
    assert failures.get().path_name == "accounts:verify"


def test_session_key_rotates_at_sign_in_and_after_the_second_step(officer_koping):
    device = officer_koping.totpdevice_set.get()
    client = Client()
    client.session  # noqa: B018 - creates an anonymous session
    anonymous_key = session_key(client)
    assert anonymous_key
    sign_in_with_password(client, officer_koping)
    password_key = session_key(client)
    assert password_key not in (None, anonymous_key)
    assert client.post(VERIFY, {"token": current_code(device)}).status_code == 302
    verified_key = session_key(client)
    assert verified_key not in (None, anonymous_key, password_key)
    assert not Session.objects.filter(session_key__in=[anonymous_key, password_key]).exists()
    assert client.get("/").status_code == 200


def test_backup_codes_have_80_bits_are_stored_hashed_and_work_once(officer_koping):
    device = BackupCodeDevice.objects.create(user=officer_koping, name="backup", confirmed=True)
    codes = device.generate_codes()
    assert len(codes) == BackupCodeDevice.CODE_COUNT
    assert all(len(normalise_backup_code(code)) * 5 >= 80 for code in codes)
    stored = set(BackupCode.objects.filter(device=device).values_list("code_hash", flat=True))
    assert len(stored) == len(codes)
    assert not stored & {normalise_backup_code(code) for code in codes}

    client = Client()
    sign_in_with_password(client, officer_koping)
    assert client.post(VERIFY, {"token": codes[0].lower()}).status_code == 302
    client.post(LOGOUT)
    sign_in_with_password(client, officer_koping)
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 200
    assert device.remaining == len(codes) - 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_code_submitted_twice_at_once_works_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    user = UserFactory(role="admin")
    device = BackupCodeDevice.objects.create(user=user, name="backup", confirmed=True)
    code = device.generate_codes()[0]
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def submit() -> None:
        try:
            with transaction.atomic():
                mine = BackupCodeDevice.objects.get(pk=device.pk)
                barrier.wait(timeout=10)
                results.append(mine.verify_token(code))
                # Hold the transaction open, so that the other submission runs into it.
                time.sleep(0.3)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    assert device.remaining == BackupCodeDevice.CODE_COUNT - 1


def test_disabling_a_user_ends_all_their_sessions(officer_koping, contact_sala):
    first, second = verified_client(officer_koping), verified_client(officer_koping)
    other = verified_client(contact_sala)
    assert first.get("/").status_code == 200
    officer_koping.is_active = False
    officer_koping.save(update_fields=["is_active"])
    remaining_users = {s.get_decoded().get("_auth_user_id") for s in Session.objects.all()}
    assert str(officer_koping.pk) not in remaining_users
    for client in (first, second):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    assert other.get("/").status_code == 200


def test_sessions_end_after_30_minutes_idle(officer_koping):
    with time_machine.travel(START, tick=False) as traveller:
        client = verified_client(officer_koping)
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=31))
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_sessions_end_12_hours_after_sign_in_however_active(officer_koping):
    with time_machine.travel(START, tick=False) as traveller:
        client = verified_client(officer_koping)
        for _ in range(35):
            traveller.shift(datetime.timedelta(minutes=20))
            assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=21))  # 12 h 1 min after sign-in
        response = client.get("/")
        assert response.status_code == 302
        assert client.get("/").status_code == 302


def test_lock_out_after_five_failed_sign_ins(officer_koping):
    client = Client()
    statuses = [
        client.post(LOGIN, {"username": officer_koping.username, "password": "fel-losenord"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = client.post(LOGIN, {"username": officer_koping.username, "password": PASSWORD})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    failures = AuditEvent.objects.filter(user=officer_koping, action=AuditAction.SIGN_IN_FAILED)
    assert failures.count() >= settings.AXES_FAILURE_LIMIT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_totp_code_submitted_twice_at_once_works_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from accounts.views import _match

    user = UserFactory(role="admin")
    device = TOTPDeviceFactory(user=user)
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def submit(code: str) -> None:
        try:
            mine = TOTPDevice.objects.get(pk=device.pk)
            barrier.wait(timeout=10)
            results.append(_match(user, mine, code) is not None)
        finally:
            connections.close_all()

    with time_machine.travel(START, tick=False):
        code = current_code(device)
        threads = [threading.Thread(target=submit, args=(code,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(results) == [False, True]


def test_wrong_codes_throttle_the_second_step_so_six_digits_cannot_be_guessed(officer_koping):
    """After wrong codes even the right one is refused for a growing while (django-otp's throttle, 2^(n-1) s)."""
    device = officer_koping.totpdevice_set.get()
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in_with_password(client, officer_koping)
        right = current_code(device)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        for wait in (0, 1.5, 2.5):  # each failure counts once its wait (1 s, then 2 s) is over
            traveller.shift(datetime.timedelta(seconds=wait))
            assert client.post(VERIFY, {"token": wrong}).status_code == 200
        device.refresh_from_db()
        assert device.throttling_failure_count == 3

        # Three failures: 4 s to wait. The right code now is still refused.
        traveller.shift(datetime.timedelta(seconds=2))
        response = client.post(VERIFY, {"token": current_code(device)})
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_verified()

        traveller.shift(datetime.timedelta(seconds=30))
        response = client.post(VERIFY, {"token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    failures = AuditEvent.objects.filter(user=officer_koping, action=AuditAction.SECOND_FACTOR_FAILED)
    assert failures.count() == 4
