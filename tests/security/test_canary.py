"""A canary identity number sent to a failing page reaches no log line and no error page."""

import io
import logging

import pytest
from django.conf import settings

from lanskompott.identifiers import MASK
from tests.conftest import verified_client

CANARY = "19850215-1239"
CANARY_DIGITS = "8502151239"


def _console_handler() -> logging.StreamHandler:
    return next(h for h in logging.getLogger().handlers if h.name == "console")


@pytest.fixture
def console_output():
    """Collect what the configured console handler writes."""
    handler = _console_handler()
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def _assert_no_canary(text: str) -> None:
    assert CANARY not in text
    assert CANARY_DIGITS not in text
    assert "850215" not in text


def test_every_configured_handler_scrubs():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "scrub_identifiers" in handler.get("filters", []), name
    for name in ("django.request", "django.server", "django.security", "celery"):
        assert "scrub_identifiers" in settings.LOGGING["loggers"][name].get("filters", []), name


@pytest.mark.urls("tests.security.canary_urls")
def test_canary_posted_to_a_failing_page(officer_koping, caplog, console_output):
    client = verified_client(officer_koping)
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        response = client.post("/test-fails/", {"text": f"Hon har personnummer {CANARY}"})
    assert response.status_code == 500
    _assert_no_canary(response.content.decode())
    assert caplog.records, "the failure is logged"
    for record in caplog.records:
        _assert_no_canary(record.getMessage())
        _assert_no_canary(record.exc_text or "")
    _assert_no_canary(caplog.text)
    written = console_output.getvalue()
    assert "RuntimeError" in written
    assert MASK in written
    _assert_no_canary(written)


@pytest.mark.urls("tests.security.canary_urls")
def test_canary_in_the_debug_error_page(officer_koping, settings, caplog):
    settings.DEBUG = True
    client = verified_client(officer_koping)
    client.raise_request_exception = False
    response = client.post("/test-fails/?text=" + CANARY_DIGITS, {"text": CANARY, "other": "x"})
    assert response.status_code == 500
    page = response.content.decode()
    assert "RuntimeError" in page
    _assert_no_canary(page)
    _assert_no_canary(caplog.text)


def test_canary_in_a_missing_page_address(officer_koping, caplog, console_output):
    client = verified_client(officer_koping)
    with caplog.at_level(logging.INFO):
        response = client.get(f"/arenden/{CANARY}/")
    assert response.status_code == 404
    _assert_no_canary(response.content.decode())
    _assert_no_canary(caplog.text)
    _assert_no_canary(console_output.getvalue())


def test_tasks_get_ids_only(db, monkeypatch, django_capture_on_commit_callbacks):
    """The timeline hands the notification task an event id, never text of the case."""
    from cases.events import EventKind, record_event
    from tests.factories import CaseFactory

    calls = []
    monkeypatch.setattr("notifications.tasks.notify_case_event.delay", lambda *a, **k: calls.append((a, k)))
    case = CaseFactory(closing_note=f"Hon har personnummer {CANARY}")
    with django_capture_on_commit_callbacks(execute=True):
        event = record_event(case=case, kind=EventKind.CASE_CREATED)
    assert calls == [((event.pk,), {})]


def test_canary_typed_into_a_case_form_is_refused_and_never_logged(officer_koping, caplog, console_output):
    """The real preparation page: the note is refused with a message, nothing is saved or logged."""
    from cases.models import CaseEvent, Preparation
    from cases.workflow import case_create

    case = case_create(
        actor=officer_koping,
        gender="woman",
        adult_confirmed=True,
        new_partner=False,
        outpatient_manageable=True,
        children_ages=[],
        excluded_municipalities=[],
    )
    events_before = CaseEvent.objects.filter(case=case).count()
    client = verified_client(officer_koping)
    with caplog.at_level(logging.DEBUG):
        response = client.post(f"/arenden/{case.pk}/forberedelse/", {"prep-notes": f"Hennes personnummer är {CANARY}."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "personnummer" in page
    assert Preparation.objects.get(case=case).notes == ""
    assert CaseEvent.objects.filter(case=case).count() == events_before
    _assert_no_canary(caplog.text)
    _assert_no_canary(console_output.getvalue())
    for record in caplog.records:
        _assert_no_canary(record.getMessage())
