"""Keyboard use (WCAG 2.1.1, 2.4.1, 2.4.7): signing in and starting a case without a mouse, focus always visible."""

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from accounts.demo import current_code
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 40


def tab_to(page: Page, target: Locator) -> int:
    """Press Tab until ``target`` has the focus; return how many presses it took."""
    handle = target.element_handle()
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if handle.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{target} was not reached in {MAX_TABS} presses of Tab")


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def assert_focus_visible(target: Locator) -> None:
    """The focused element draws an outline of at least 2 px with a contrast of at least 3:1 against what is
    around it (WCAG 2.4.7 and 1.4.11): the ``:focus-visible`` rules of app.css."""
    style = target.evaluate(
        """el => {
            const s = getComputedStyle(el);
            const rgb = (value) => (value.match(/[0-9.]+/g) || []).slice(0, 4).map(Number);
            let around = el.parentElement, background = [255, 255, 255];
            for (; around; around = around.parentElement) {
                const colour = rgb(getComputedStyle(around).backgroundColor);
                if (colour.length === 3 || colour[3] > 0) { background = colour.slice(0, 3); break; }
            }
            const visible = el.matches(':focus-visible');
            return {
                focusVisible: visible, style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                colour: rgb(s.outlineColor).slice(0, 3), background: background,
            };
        }"""
    )
    assert style["focusVisible"], style
    assert style["style"] != "none" and style["width"] >= 2, f"no visible focus indicator: {style}"
    ratio = contrast(style["colour"], style["background"])
    assert ratio >= 3, f"focus indicator contrast {ratio:.2f} < 3: {style}"


def assert_focus_visible_in_header(page: Page) -> None:
    for link in (
        page.get_by_role("link", name="Ärendestöd"),
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina ärenden"),
    ):
        link.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        assert_focus_visible(link)
    page.locator("main").focus()


def test_sign_in_and_start_a_case_with_the_keyboard_only(visitor, officer_koping):
    person = visitor(officer_koping)
    page = person.page
    page.goto(person.url("home"))

    # Password step: the user name field has the focus; Tab between the fields, Enter on the button.
    username = page.get_by_label("Användarnamn")
    expect(username).to_be_focused()
    page.keyboard.type(officer_koping.username)
    assert tab_to(page, page.get_by_label("Lösenord")) == 1
    page.keyboard.type(PASSWORD)
    button = page.get_by_role("button", name="Fortsätt")
    assert tab_to(page, button) == 1
    assert_focus_visible(button)
    person.visit.screenshot(page, "keyboard-focus-on-continue")
    page.keyboard.press("Enter")

    # Code step: the code field has the focus already; Enter submits.
    token = page.get_by_label("Kod från autentiseringsappen eller en reservkod")
    expect(token).to_be_focused()
    page.keyboard.type(current_code(officer_koping.totpdevice_set.get()))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")

    # On the start page the first Tab reaches the skip link, which shows itself and moves the focus to the
    # main content; from there Tab reaches the page's main action, "Nytt ärende", and Enter follows it.
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    assert tab_to(page, skip) == 1
    expect(skip).to_be_in_viewport()
    assert_focus_visible(skip)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # (The header's links, on the dark header, take a focus indicator that stands out there too.)
    assert_focus_visible_in_header(page)
    new_case = page.get_by_role("main").get_by_role("link", name="Nytt ärende")
    tab_to(page, new_case)
    assert_focus_visible(new_case)
    person.visit.screenshot(page, "keyboard-focus-on-new-case")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Nytt ärende", level=1)).to_be_visible()
    assert page.url == person.url("cases:create")

    # A radio button and the submit button of a form take a visible focus as well.
    woman = page.get_by_label("Kvinna", exact=True)
    tab_to(page, woman)
    assert_focus_visible(woman)
    page.keyboard.press("Space")
    expect(woman).to_be_checked()
    submit = page.get_by_role("button", name="Skapa ärendet")
    tab_to(page, submit)
    assert_focus_visible(submit)
    page.keyboard.press("Enter")
    # The form comes back with its errors (age and outpatient care not confirmed), announced at the top.
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.url == person.base_url + reverse("cases:create")
    person.check("case-create-errors")
