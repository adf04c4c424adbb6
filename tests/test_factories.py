"""The shared factories build valid rows (a guard for every test that uses them)."""

from cases.models import Case, Request
from tests.factories import DecisionFactory, MovePlanFactory


def test_factories_build_a_decided_request_and_a_move_plan(db):
    decision = DecisionFactory()
    MovePlanFactory(case=decision.request.case)
    assert Case.objects.count() == 1
    request = Request.objects.get()
    assert request.sender == request.case.sending_municipality
    assert request.recipient != request.sender
    assert (request.reply_by - request.sent_at.date()).days in (20, 21, 22)
