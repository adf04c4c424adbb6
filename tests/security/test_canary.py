"""A canary identity number sent to a failing page reaches no log line and no error page."""

import io
import logging
from html.parser import HTMLParser

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
    from tests.builders import create_case

    case = create_case(officer_koping)
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


class _Forms(HTMLParser):
    """Collect the POST forms of a page: action and fields (text fields filled with the canary)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self.forms.append((attrs.get("action") or "", []))
            return
        if not self.forms or "name" not in attrs:
            if tag == "option" and self._select and "value" in attrs:
                self.forms[-1][1].append((self._select, attrs["value"]))
                self._select = None
            return
        fields = self.forms[-1][1]
        kind = attrs.get("type", "text")
        if tag == "textarea" or (tag == "input" and kind in ("text", "search", "")):
            fields.append((attrs["name"], f"Hennes personnummer är {CANARY}"))
        elif tag == "input" and kind in ("hidden", "date", "number", "submit") and "value" in attrs:
            fields.append((attrs["name"], attrs["value"]))
        elif tag == "input" and kind in ("checkbox", "radio"):
            fields.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "select":
            self._select = attrs["name"]


def _every_table_without_the_canary() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    assert CANARY_DIGITS not in str(value).replace("-", ""), f"{table}.{column}"


def test_canary_in_every_field_of_every_case_page_is_stored_and_logged_nowhere(
    officer_koping, contact_sala, supervisor_sala_adult, caplog, console_output
):
    """Every POST form of the case pages, each text field holding the canary: no 500, no log line, no row."""
    from django.urls import reverse

    from tests.builders import build_agreed_case, build_sent_case, complete_preparation, create_case, fill_form

    new = create_case(officer_koping)
    ready = create_case(officer_koping)
    complete_preparation(ready, officer_koping)
    fill_form(ready, officer_koping)
    sent = build_sent_case(ready, officer_koping, ("Sala",))
    agreed_base = create_case(officer_koping)
    complete_preparation(agreed_base, officer_koping)
    fill_form(agreed_base, officer_koping)
    agreed = build_agreed_case(
        build_sent_case(agreed_base, officer_koping, ("Sala",)), contact_sala, supervisor_sala_adult, "Sala"
    )
    koping, sala = verified_client(officer_koping), verified_client(contact_sala)
    pages = [
        (koping, reverse(name, args=[new.pk]))
        for name in ("cases:target_group", "cases:preparation", "cases:form_draft", "cases:access")
    ]
    pages += [(koping, reverse("cases:create")), (koping, reverse("cases:withdraw", args=[sent.sala.pk]))]
    pages += [(sala, reverse("cases:decide", args=[sent.sala.pk]))]
    pages += [
        (client, reverse(name, args=[agreed.case.pk]))
        for client in (koping, sala)
        for name in ("cases:collaboration", "cases:move_plan", "cases:after_move")
    ]
    pages += [(koping, reverse("cases:close", args=[agreed.case.pk]))]
    posted = 0
    with caplog.at_level(logging.DEBUG):
        for client, url in pages:
            page = client.get(url)
            assert page.status_code == 200, url
            parser = _Forms()
            parser.feed(page.content.decode())
            for action, fields in parser.forms:
                if not any(CANARY in value for _name, value in fields):
                    continue
                response = client.post(action or url, dict_of_lists(fields))
                assert response.status_code < 500, (url, action)
                posted += 1
    assert posted >= 15
    _assert_no_canary(caplog.text)
    _assert_no_canary(console_output.getvalue())
    _every_table_without_the_canary()


def dict_of_lists(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data
