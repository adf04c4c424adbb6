"""Nothing lost: the database refuses what the workflow must never do, and nothing is deleted."""

import contextlib
import datetime

import pytest
from django.contrib import admin
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError
from django.test import RequestFactory as HttpRequestFactory

from audit.models import AuditAction
from audit.services import audit_record
from cases.events import EventKind, record_event
from cases.models import Case, CaseEvent, Decision, LusamRecord, MovePlan, Request, UnitConsent
from tests.factories import CaseFactory, DecisionFactory, MovePlanFactory, MunicipalityFactory, RequestFactory


@contextlib.contextmanager
def refused():
    """Expect the database to refuse the write, inside a savepoint so that the test goes on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


def test_one_acceptance_per_case_round(db):
    first = RequestFactory(status="accepted")
    with refused():
        RequestFactory(case=first.case, status="accepted")
    second = RequestFactory(case=first.case, status="sent")
    with refused():
        Request.objects.filter(pk=second.pk).update(status="accepted")
    # A new round may be accepted again.
    RequestFactory(case=first.case, round=first.round + 1, status="accepted")


def test_one_open_request_per_municipality_and_case(db):
    first = RequestFactory(status="sent")
    with refused():
        RequestFactory(case=first.case, recipient=first.recipient, status="consenting")
    Request.objects.filter(pk=first.pk).update(status="declined")
    RequestFactory(case=first.case, recipient=first.recipient, status="sent")


def test_no_request_to_the_own_municipality(db):
    case = CaseFactory(status="requesting")
    with refused():
        RequestFactory(case=case, recipient=case.sending_municipality)


def test_the_receiving_municipality_is_not_the_sending_one(db):
    case = CaseFactory()
    with refused():
        Case.objects.filter(pk=case.pk).update(receiving_municipality=case.sending_municipality)


@pytest.mark.parametrize(
    ("outcome", "ground", "motivation"),
    [
        ("decline", "", "Vi saknar resurser."),
        ("decline", "insufficient_resources", ""),
        ("decline", "", ""),
        ("accept", "insufficient_resources", ""),
    ],
)
def test_a_decline_needs_ground_and_motivation(db, outcome, ground, motivation):
    request = RequestFactory()
    with refused():
        DecisionFactory(request=request, outcome=outcome, ground=ground, motivation=motivation)


def test_no_move_before_the_tax_agency_decision(db):
    with refused():
        MovePlanFactory(protected_data_applied=True, protected_data_decided_on=None, moved_on=datetime.date(2026, 3, 1))
    plan = MovePlanFactory(protected_data_applied=True)
    with refused():
        MovePlan.objects.filter(pk=plan.pk).update(moved_on=datetime.date(2026, 3, 1))
    MovePlan.objects.filter(pk=plan.pk).update(
        protected_data_decided_on=datetime.date(2026, 2, 20), moved_on=datetime.date(2026, 3, 1)
    )


def test_a_closed_case_has_a_closing_time(db):
    case = CaseFactory()
    with refused():
        Case.objects.filter(pk=case.pk).update(status="closed")


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Request, "case"),
        (Decision, "request"),
        (UnitConsent, "request"),
        (CaseEvent, "case"),
        (CaseEvent, "request"),
        (LusamRecord, "case"),
    ],
)
def test_the_records_of_a_case_protect_it(model, field):
    assert model._meta.get_field(field).remote_field.on_delete is models.PROTECT


def test_a_case_with_a_history_cannot_be_deleted(db):
    request = RequestFactory()
    DecisionFactory(request=request)
    record_event(case=request.case, kind=EventKind.CASE_CREATED)
    with pytest.raises(ProtectedError):
        request.case.delete()
    with pytest.raises(ProtectedError):
        request.delete()
    assert Case.objects.filter(pk=request.case.pk).exists()


def test_a_user_with_audit_events_cannot_be_deleted(officer_koping):
    audit_record(action=AuditAction.SIGN_IN, user=officer_koping)
    with pytest.raises(ProtectedError):
        officer_koping.delete()


def test_the_admin_deletes_nothing_of_a_case(administrator):
    request = HttpRequestFactory().get("/admin/")
    request.user = administrator
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("cases", "audit"):
            assert not model_admin.has_delete_permission(request), model
            assert "delete_selected" not in model_admin.get_actions(request), model


def test_municipalities_with_cases_cannot_be_deleted(db):
    municipality = MunicipalityFactory()
    CaseFactory(sending_municipality=municipality)
    with pytest.raises(ProtectedError):
        municipality.delete()


def test_the_admin_shows_no_case_content():
    """Cases are handled in the app's own pages, never in the admin (which would show their text)."""
    registered = [model._meta.label for model in admin.site._registry if model._meta.app_label == "cases"]
    assert registered == []
