"""Every HTML page carries the hardened headers; every cookie is Secure, SameSite and HttpOnly."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tests.conftest import PASSWORD, password_only_client, verified_client
from tests.factories import UserFactory
from tests.security.matrix import walk_urls

TWO_YEARS = 2 * 365 * 24 * 3600


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_hardened(response, *, signed_in: bool) -> None:
    where = response.wsgi_request.path
    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"], where
    assert csp["script-src"] == ["'self'"], where
    assert csp["style-src"] == ["'self'"], where
    assert csp["form-action"] == ["'self'"], where
    assert csp["frame-ancestors"] == ["'none'"], where
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, where
    hsts = dict((item.strip().split("=", 1) + [""])[:2] for item in response["Strict-Transport-Security"].split(";"))
    assert int(hsts["max-age"]) >= TWO_YEARS, where
    assert "includeSubDomains" in hsts, where
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin"), where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    assert response["Cross-Origin-Resource-Policy"] == "same-origin", where
    if response.status_code // 100 != 3:
        # Redirects of the sign-in middleware come before XFrameOptionsMiddleware; CSP covers them.
        assert response["X-Frame-Options"] == "DENY", where
    if signed_in:
        assert "no-store" in response["Cache-Control"], where


def assert_cookies_hardened(response) -> None:
    for name, morsel in response.cookies.items():
        if morsel.value == "" and morsel["max-age"] == 0:
            continue  # a deletion
        assert morsel["secure"], name
        assert morsel["samesite"] in ("Lax", "Strict"), name
        assert morsel["httponly"], name


@pytest.fixture
def personas(officer_koping, supervisor_sala_adult, county_staff, administrator):
    return {
        "officer": officer_koping,
        "supervisor": supervisor_sala_adult,
        "county": county_staff,
        "admin": administrator,
    }


SIGNED_IN_PAGES = {
    "officer": ["home", "accounts:backup_codes"],
    "supervisor": ["home", "audit:case_log", "accounts:backup_codes"],
    "county": ["home"],
    "admin": ["home", "admin:index", "admin:audit_auditevent_changelist"],
}


def test_signed_in_pages(personas):
    seen = 0
    for role, names in SIGNED_IN_PAGES.items():
        client = verified_client(personas[role])
        for name in names:
            response = client.get(reverse(name), secure=True)
            assert response.status_code == 200, (role, name)
            assert response["Content-Type"].startswith("text/html")
            assert_hardened(response, signed_in=True)
            assert_cookies_hardened(response)
            seen += 1
    assert seen == sum(len(names) for names in SIGNED_IN_PAGES.values())


def test_anonymous_and_password_only_pages(officer_koping, vastmanland):
    anonymous = Client()
    response = anonymous.get(reverse("accounts:login"), secure=True)
    assert response.status_code == 200
    assert_hardened(response, signed_in=False)
    assert_cookies_hardened(response)

    response = password_only_client(officer_koping).get(reverse("accounts:verify"), secure=True)
    assert response.status_code == 200
    assert_hardened(response, signed_in=True)

    new_user = UserFactory(role=Role.ADMIN)
    response = password_only_client(new_user).get(reverse("accounts:enrol"), secure=True)
    assert response.status_code == 200
    assert_hardened(response, signed_in=True)


def test_every_cookie_of_a_sign_in_journey(officer_koping):
    client = Client()
    responses = [
        client.get(reverse("accounts:login"), secure=True),
        client.post(
            reverse("accounts:login"), {"username": officer_koping.username, "password": PASSWORD}, secure=True
        ),
        # Swedish: choosing English here would load the English catalogue before the suite compiles it.
        client.post(reverse("set_language"), {"language": "sv", "next": "/"}, secure=True),
        client.post(reverse("accounts:logout"), secure=True),
    ]
    names = set()
    for response in responses:
        assert_cookies_hardened(response)
        names |= set(response.cookies)
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME} <= names


def test_missing_page_is_hardened_too(officer_koping):
    response = verified_client(officer_koping).get("/arenden/finns-inte/", secure=True)
    assert response.status_code == 404
    assert_hardened(response, signed_in=True)


def test_check_deploy_is_clean(settings, monkeypatch):
    settings.SECURE_SSL_REDIRECT = True
    # The browser tests allow the ORM beside Playwright's event loop in this process; a deployment never does.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    call_command("check", deploy=True, fail_level="WARNING")


@pytest.mark.parametrize("persona", ["anonymous", "officer", "supervisor", "county", "admin"])
def test_every_page_without_an_object(persona, personas):
    """Walk every URL without arguments (pages added later included) and check each HTML answer."""
    client = Client() if persona == "anonymous" else verified_client(personas[persona])
    checked = 0
    for url in walk_urls():
        if url.has_object or url.name in ("accounts:logout", "admin:logout"):
            continue
        response = client.get(url.path(), secure=True)
        if response["Content-Type"].startswith("text/html"):
            assert_hardened(response, signed_in=persona != "anonymous")
            assert_cookies_hardened(response)
            checked += 1
    assert checked >= 5
