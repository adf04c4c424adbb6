"""A small hand-built year (2025) of the Västmanland network with known answers.

Requests sent in 2025 (K = Köping, S = Sala, A = Arboga, V = Västerås, F = Fagersta):
  r1 K→S accepted after 14 days       r2 K→A superseded
  r3 K→V declined (quota), 29 days     r4 K→S declined (resources), 9 days
  r5 K→A withdrawn                     r6 S→K open, past its deadline on 2025-12-31
  r7 A→K consenting, within deadline   r8 V→K accepted after 24 days (late)
  r10 F→A accepted after 17 days
and one case of 2024 (r9 K→S) that must not count. Cases closed in 2025:
  case 1 K: moved to S (accepted 03-17, moved 05-17, first sent 03-03, closed 06-30), woman with children
  case 2 K: not moved, no municipality could take it (first sent 04-01, closed 07-15), woman without children
  case 5 V: moved to K (accepted 08-25, moved 10-01, first sent 08-01, closed 11-20), man without children
  case 7 F: not moved, consent withdrawn after A accepted (first sent 02-03, closed 04-01), man with children
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from cases.models import LusamRecord
from municipalities.models import Municipality, QuotaOverride
from tests.factories import CaseFactory, DecisionFactory, RequestFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = datetime.datetime(2025, 12, 31, 12, 0, tzinfo=STOCKHOLM)


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def make_request(case, recipient, sent: str, status: str, *, decided: str | None = None, ground: str = "", closed=None):
    sent_on = d(sent)
    request = RequestFactory(
        case=case,
        recipient=recipient,
        status=status,
        sent_at=at(sent_on),
        reply_by=sent_on + datetime.timedelta(days=21),
        closed_at=at(d(closed)) if closed else None,
    )
    if decided:
        DecisionFactory(
            request=request,
            outcome="decline" if ground else "accept",
            ground=ground,
            motivation="Motivering." if ground else "",
            # Just after midnight local time (the day before in UTC): the local date is the decision day.
            decided_at=at(d(decided), hour=0, minute=30),
        )
    return request


def close_case(
    case,
    *,
    asked,
    target_group,
    outcome,
    closed,
    first_sent,
    destination=None,
    first_accepted=None,
    accepted_on=None,
    moved_on=None,
    reason="",
):
    case.status = "closed"
    case.closed_at = at(d(closed))
    case.outcome = outcome
    case.not_moved_reason = reason
    case.receiving_municipality = destination
    case.save()
    record = LusamRecord.objects.create(
        case=case,
        sending_municipality=case.sending_municipality,
        target_group=target_group,
        outcome=outcome,
        destination=destination,
        first_accepted_by=first_accepted,
        not_moved_reason=reason,
        first_sent_on=d(first_sent),
        first_accepted_on=d(accepted_on) if accepted_on else None,
        moved_on=d(moved_on) if moved_on else None,
        closed_on=d(closed),
    )
    record.asked.set(asked)
    return record


@dataclass
class Dataset:
    K: Municipality
    S: Municipality
    A: Municipality
    V: Municipality
    F: Municipality


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def dataset(vastmanland, frozen) -> Dataset:
    m = {x.name: x for x in Municipality.objects.filter(network=vastmanland)}
    K, S, A, V, F = m["Köping"], m["Sala"], m["Arboga"], m["Västerås"], m["Fagersta"]
    QuotaOverride.objects.create(municipality=S, year=2025, quota=5, reason="Överenskommet i LUSAM.")

    case1 = CaseFactory(sending_municipality=K, status="requesting")
    make_request(case1, S, "2025-03-03", "accepted", decided="2025-03-17")
    make_request(case1, A, "2025-03-03", "superseded", closed="2025-03-17")
    close_case(
        case1,
        asked=[S, A],
        target_group="woman_children",
        outcome="moved",
        closed="2025-06-30",
        first_sent="2025-03-03",
        destination=S,
        first_accepted=S,
        accepted_on="2025-03-17",
        moved_on="2025-05-17",
    )

    case2 = CaseFactory(sending_municipality=K, status="requesting")
    make_request(case2, V, "2025-04-01", "declined", decided="2025-04-30", ground="quota_received")
    make_request(case2, S, "2025-04-01", "declined", decided="2025-04-10", ground="insufficient_resources")
    make_request(case2, A, "2025-05-05", "withdrawn", closed="2025-05-20")
    close_case(
        case2,
        asked=[V, S, A],
        target_group="woman_no_children",
        outcome="not_moved",
        closed="2025-07-15",
        first_sent="2025-04-01",
        reason="no_municipality",
    )

    case3 = CaseFactory(sending_municipality=S, status="requesting")
    make_request(case3, K, "2025-12-01", "sent")

    case4 = CaseFactory(sending_municipality=A, status="requesting")
    make_request(case4, K, "2025-12-20", "consenting")

    case5 = CaseFactory(sending_municipality=V, status="requesting")
    make_request(case5, K, "2025-08-01", "accepted", decided="2025-08-25")
    close_case(
        case5,
        asked=[K],
        target_group="man_no_children",
        outcome="moved",
        closed="2025-11-20",
        first_sent="2025-08-01",
        destination=K,
        first_accepted=K,
        accepted_on="2025-08-25",
        moved_on="2025-10-01",
    )

    case6 = CaseFactory(sending_municipality=K, status="requesting")
    make_request(case6, S, "2024-05-01", "accepted", decided="2024-05-10")
    close_case(
        case6,
        asked=[S],
        target_group="woman_children",
        outcome="moved",
        closed="2024-09-01",
        first_sent="2024-05-01",
        destination=S,
        first_accepted=S,
        accepted_on="2024-05-10",
        moved_on="2024-07-01",
    )

    case7 = CaseFactory(sending_municipality=F, status="requesting")
    make_request(case7, A, "2025-02-03", "accepted", decided="2025-02-20")
    close_case(
        case7,
        asked=[A],
        target_group="man_children",
        outcome="not_moved",
        closed="2025-04-01",
        first_sent="2025-02-03",
        first_accepted=A,
        accepted_on="2025-02-20",
        reason="consent_withdrawn",
    )
    return Dataset(K=K, S=S, A=A, V=V, F=F)
