"""Signing in with a real browser: password, then the code the authenticator shows."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo import current_code
from audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_password_and_totp_code(visitor, officer_koping):
    koping = visitor(officer_koping)
    page = koping.sign_in()
    assert page.url == koping.base_url + reverse("home")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    assert AuditEvent.objects.filter(user=officer_koping, action=AuditAction.SECOND_FACTOR).exists()
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["__Host-sessionid"]["httpOnly"]


def test_a_used_code_is_refused_on_the_page(visitor, officer_koping):
    """After signing out, the code just used does not sign the same user in again."""
    koping = visitor(officer_koping)
    page = koping.sign_in()
    device = officer_koping.totpdevice_set.get()
    used = current_code(device)
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
    page.get_by_label("Användarnamn").fill(officer_koping.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Kod från autentiseringsappen eller en reservkod").fill(used)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Koden stämmer inte, har redan använts eller är för gammal.")).to_be_visible()
    koping.check("verify-code-refused")
    page.goto(koping.url("cases:list"))
    expect(page.get_by_role("heading", name="Tvåstegsverifiering")).to_be_visible()


def test_the_accessibility_check_finds_violations(visitor, officer_koping):
    """The checker itself: a page with an unlabelled field and unreadable text fails it."""
    page = visitor(officer_koping).page
    page.set_content(
        '<html lang="sv"><head><title>Prov</title></head><body><main><h1>Prov</h1>'
        '<input type="text"><p style="color:#bbb;background:#fff">Svag text</p></main></body></html>'
    )
    violations = visitor.visit.axe(page)
    assert {violation["id"] for violation in violations} >= {"label", "color-contrast"}
    with pytest.raises(AssertionError, match=r"\[critical\] label: .*\n\s+at input"):
        visitor.visit.check(page, "bad-page")
