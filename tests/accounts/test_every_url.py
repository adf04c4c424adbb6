"""Every page needs a password and a second factor: walk every URL of the project."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.regex_helper import normalize

from accounts.middleware import ANONYMOUS_ALLOWED, PASSWORD_ONLY_ALLOWED
from tests.conftest import password_only_client

CANDIDATES = ["1", "accounts", "00000000-0000-0000-0000-000000000001"]


def _fill(pattern) -> str:
    """Return one path segment matching ``pattern``: 1 for ids, a valid value where 1 does not match."""
    format_string, params = normalize(pattern.regex.pattern)[0]
    for value in CANDIDATES:
        text = format_string % dict.fromkeys(params, value)
        if pattern.regex.match(text):
            return text
    return format_string % dict.fromkeys(params, "1")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + _fill(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield "/" + prefix + _fill(entry.pattern), name


ALL_URLS = sorted(set(_walk(get_resolver())))
# The sign-in pages themselves are what these users are sent to; every other page is checked.
SIGNED_OUT_URLS = [(path, name) for path, name in ALL_URLS if name not in ANONYMOUS_ALLOWED]
PASSWORD_ONLY_URLS = [(path, name) for path, name in ALL_URLS if name not in PASSWORD_ONLY_ALLOWED]


def test_the_walk_finds_the_pages_of_every_area():
    names = {name for _path, name in ALL_URLS}
    assert {"home", "accounts:login", "accounts:verify", "municipalities:directory", "admin:index"} <= names
    assert len(ALL_URLS) > 30


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name"), SIGNED_OUT_URLS, ids=[path for path, _name in SIGNED_OUT_URLS])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_user_is_sent_to_sign_in(client, path, name, method):
    response = getattr(client, method)(path)
    assert response.status_code == 302, path
    assert response["Location"].startswith(reverse("accounts:login")), path


@pytest.mark.parametrize(("path", "name"), PASSWORD_ONLY_URLS, ids=[path for path, _name in PASSWORD_ONLY_URLS])
@pytest.mark.parametrize("method", ["get", "post"])
def test_password_only_user_is_sent_to_the_second_step(administrator, path, name, method):
    # A superuser: if anyone could slip past the second step, it would matter most here.
    response = getattr(password_only_client(administrator), method)(path)
    assert response.status_code == 302, path
    assert response["Location"].startswith(reverse("accounts:verify")), path
