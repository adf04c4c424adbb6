"""Fixtures of the notification tests: a case between Köping (sending) and Sala (receiving) at every stage."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from guardian.shortcuts import assign_perm

from tests.conftest import municipality
from tests.factories import CaseFactory, MovePlanFactory, RequestFactory
from tests.notifications import mail

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SENT_ON = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def neutral_mail(settings):
    """Every e-mail sent by a test here is checked for what it must never say; the link is neutral too."""
    settings.SITE_URL = "https://arendestod.example"
    settings.EMAIL_BACKEND = "tests.notifications.mail.NeutralCheckingBackend"
    mail.VIOLATIONS.clear()
    yield
    assert mail.VIOLATIONS == [], "an e-mail named the network, a case, a municipality or a person"


def at(day: datetime.date, hour: int = 10, minute: int = 0):
    """Freeze time at ``hour:minute`` in Stockholm on ``day``."""
    moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def case_koping(vastmanland, officer_koping, officer_koping_colleague):
    """A case of Köping worked by its creator (a contact person); the colleague has no grant."""
    case = CaseFactory(sending_municipality=municipality("Köping"), created_by=officer_koping, status="requesting")
    assign_perm("cases.work_on_case", officer_koping, case)
    return case


@pytest.fixture
def request_to_sala(case_koping, contact_sala):
    """A request sent to Sala on SENT_ON, open; reply by 21 days later."""
    sent_at = datetime.datetime.combine(SENT_ON, datetime.time(9), tzinfo=STOCKHOLM)
    return RequestFactory(
        case=case_koping,
        recipient=municipality("Sala"),
        sent_at=sent_at,
        sent_by=case_koping.created_by,
        reply_by=SENT_ON + datetime.timedelta(days=21),
    )


@pytest.fixture
def agreed_case(request_to_sala):
    """The case agreed with Sala: request accepted, case agreed, a move plan of the round."""
    case = request_to_sala.case
    request_to_sala.status = "accepted"
    request_to_sala.save(update_fields=["status"])
    case.status = "agreed"
    case.receiving_municipality = municipality("Sala")
    case.save(update_fields=["status", "receiving_municipality"])
    MovePlanFactory(case=case, round=case.round)
    return case


def move(case, moved_on: datetime.date) -> None:
    """Record the move of ``case`` on ``moved_on`` directly in the rows (the workflow is built elsewhere)."""
    plan = case.move_plans.get(round=case.round)
    plan.moved_on = moved_on
    plan.move_confirmed_at = datetime.datetime.combine(moved_on, datetime.time(12), tzinfo=STOCKHOLM)
    plan.save(update_fields=["moved_on", "move_confirmed_at"])
    case.status = "moved"
    case.save(update_fields=["status"])
