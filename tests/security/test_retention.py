"""Retention: free text of a case closed over CASE_RETENTION_MONTHS ago is erased; records and dates stay."""

import datetime
import io

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from cases.events import EventKind
from cases.models import (
    Case,
    CaseEvent,
    Collaboration,
    CostItem,
    Decision,
    LusamRecord,
    Meeting,
    MovePlan,
    Preparation,
    Request,
    RequestFormDraft,
    RequestFormSection,
)
from cases.retention import ERASED_MOTIVATION, erase_expired_cases, months_before
from cases.tasks import erase_expired_cases_task
from tests.factories import CaseFactory, DecisionFactory, MovePlanFactory, RequestFactory

UTC = datetime.UTC
CLOSED_AT = datetime.datetime(2024, 1, 15, 10, 0, tzinfo=UTC)
TEXT = "Fri text om hushållet"


def closed_case(closed_at: datetime.datetime = CLOSED_AT) -> Case:
    """A closed case with text in every free-text field."""
    case = CaseFactory(status="closed", closed_at=closed_at, outcome="moved", closing_note=TEXT)
    Preparation.objects.create(
        case=case, notes=TEXT, risk_method_other=TEXT, risk_assessed_on=datetime.date(2023, 5, 1)
    )
    RequestFormDraft.objects.create(case=case, **{section.value: TEXT for section in RequestFormSection})
    declined = RequestFactory(case=case, form={"applicant": TEXT}, status="declined", close_reason=TEXT)
    DecisionFactory(
        request=declined,
        outcome="decline",
        ground="insufficient_resources",
        motivation=TEXT,
        resources_description=TEXT,
    )
    accepted = RequestFactory(case=case, form={"applicant": TEXT}, status="accepted")
    DecisionFactory(request=accepted, outcome="accept", motivation=TEXT)
    Meeting.objects.create(
        case=case, round=1, kind="pre_meeting", date=datetime.date(2023, 6, 1), notes=TEXT, recorded_by=case.created_by
    )
    Collaboration.objects.create(case=case, round=1, authority_agreements=TEXT)
    plan = MovePlanFactory(
        case=case,
        who_packs=TEXT,
        what_goes=TEXT,
        access_before_move=TEXT,
        economic_agreement_note=TEXT,
        moved_on=datetime.date(2023, 8, 1),
    )
    CostItem.objects.create(move_plan=plan, description=TEXT, amount=12500, payer="sending")
    LusamRecord.objects.create(
        case=case,
        sending_municipality=case.sending_municipality,
        target_group="woman_no_children",
        outcome="moved",
        destination=accepted.recipient,
        moved_on=datetime.date(2023, 8, 1),
        closed_on=closed_at.date(),
    )
    return case


def rows_of_the_case(case: Case):
    """Yield every row of every model of the cases app that belongs to ``case``."""
    for model in apps.get_app_config("cases").get_models():
        if model is Case:
            yield case
            continue
        names = {field.name for field in model._meta.get_fields()}
        for path in ("case", "request__case", "move_plan__case", "consent__request__case"):
            if path.split("__")[0] in names:
                yield from model.objects.filter(**{path: case})
                break


def assert_no_text_left(case: Case) -> None:
    case.refresh_from_db()
    # Whatever model or field holds it, the text is nowhere any more.
    left = [
        f"{row._meta.label}.{field.attname}"
        for row in rows_of_the_case(case)
        for field in row._meta.concrete_fields
        if TEXT in str(getattr(row, field.attname))
    ]
    assert not left, left
    assert case.closing_note == ""
    assert Preparation.objects.get(case=case).notes == ""
    draft = RequestFormDraft.objects.get(case=case)
    assert all(getattr(draft, section.value) == "" for section in RequestFormSection)
    for request in Request.objects.filter(case=case):
        assert request.form == {}
        assert request.close_reason == ""
    for decision in Decision.objects.filter(request__case=case):
        assert decision.motivation in ("", ERASED_MOTIVATION)
        assert decision.resources_description == ""
    assert Meeting.objects.get(case=case).notes == ""
    assert Collaboration.objects.get(case=case).authority_agreements == ""
    plan = MovePlan.objects.get(case=case)
    assert (plan.who_packs, plan.what_goes, plan.access_before_move, plan.economic_agreement_note) == ("",) * 4
    assert CostItem.objects.get(move_plan=plan).description == ""


def test_text_is_kept_until_the_retention_time_has_passed(db):
    case = closed_case()
    with time_machine.travel(datetime.datetime(2026, 1, 15, 9, 0, tzinfo=UTC), tick=False):
        assert erase_expired_cases() == 0
    case.refresh_from_db()
    assert case.closing_note == TEXT
    assert case.erased_at is None


def test_text_is_erased_after_the_retention_time_keeping_record_and_dates(db):
    case = closed_case()
    recent = closed_case(closed_at=datetime.datetime(2025, 6, 1, tzinfo=UTC))
    open_case = CaseFactory(closing_note=TEXT)
    now = datetime.datetime(2026, 1, 15, 11, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        assert erase_expired_cases() == 1
    assert_no_text_left(case)
    assert case.erased_at == now
    assert case.closed_at == CLOSED_AT
    assert Decision.objects.get(request__case=case, outcome="decline").motivation == ERASED_MOTIVATION
    plan = MovePlan.objects.get(case=case)
    assert plan.moved_on == datetime.date(2023, 8, 1)
    assert CostItem.objects.get(move_plan=plan).amount == 12500
    assert Preparation.objects.get(case=case).risk_assessed_on == datetime.date(2023, 5, 1)
    record = LusamRecord.objects.get(case=case)
    assert (record.outcome, record.moved_on, record.closed_on) == ("moved", datetime.date(2023, 8, 1), CLOSED_AT.date())
    event = CaseEvent.objects.get(case=case, kind=EventKind.TEXT_ERASED)
    assert event.at == now
    assert event.data == {"retention_months": settings.CASE_RETENTION_MONTHS}

    recent.refresh_from_db()
    open_case.refresh_from_db()
    assert recent.closing_note == TEXT and recent.erased_at is None
    assert open_case.closing_note == TEXT and open_case.erased_at is None

    with time_machine.travel(now + datetime.timedelta(days=1), tick=False):
        assert erase_expired_cases() == 0
    assert CaseEvent.objects.filter(case=case, kind=EventKind.TEXT_ERASED).count() == 1


def test_the_erased_motivation_is_shown_in_the_reader_s_language(db, compiled_messages):
    case = closed_case()
    with time_machine.travel(datetime.datetime(2026, 1, 15, 11, 0, tzinfo=UTC), tick=False):
        erase_expired_cases()
    declined = Decision.objects.get(request__case=case, outcome="decline")
    accepted = Decision.objects.get(request__case=case, outcome="accept")
    with translation.override("sv"):
        assert declined.shown_motivation == "[Raderad enligt gallringsregel]"
    with translation.override("en"):
        assert declined.shown_motivation == "[Erased under the retention rules]"
        assert accepted.shown_motivation == ""
    # Text a user wrote is shown as written, whatever the language.
    DecisionFactory(
        request=RequestFactory(case=case, status="declined"),
        outcome="decline",
        ground="insufficient_resources",
        motivation=TEXT,
    )
    with translation.override("en"):
        assert Decision.objects.get(motivation=TEXT).shown_motivation == TEXT


def test_retention_months_is_configurable(db, settings):
    settings.CASE_RETENTION_MONTHS = 6
    case = closed_case()
    with time_machine.travel(datetime.datetime(2024, 7, 16, tzinfo=UTC), tick=False):
        assert erase_expired_cases() == 1
    assert_no_text_left(case)


def test_command_and_beat_task(db):
    first, second = closed_case(), closed_case()
    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=UTC), tick=False):
        call_command("erase_expired_cases", stdout=out)
        assert "2 case(s)" in out.getvalue()
        assert erase_expired_cases_task.delay().get() == 0
    assert_no_text_left(first)
    assert_no_text_left(second)


def test_beat_runs_the_task_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["cases-erase-expired"]
    assert entry["task"] == "cases.tasks.erase_expired_cases_task"
    assert entry["task"] == erase_expired_cases_task.name


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime.datetime(2026, 3, 31, 12, tzinfo=UTC), 1, (2026, 2, 28)),
        (datetime.datetime(2026, 1, 15, 12, tzinfo=UTC), 24, (2024, 1, 15)),
        (datetime.datetime(2024, 2, 29, 12, tzinfo=UTC), 12, (2023, 2, 28)),
    ],
)
def test_months_before(moment, months, expected):
    result = months_before(moment, months)
    assert (result.year, result.month, result.day) == expected
