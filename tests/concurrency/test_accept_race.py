"""Issue 8, part 6: 50 accept attempts at the same moment over three requests of one case.

The case is sent to Sala, Arboga and Fagersta; each recipient's contact person has started the acceptance
with one unit (adult), so the supervisor's consent is the last one and accepts. Fifty threads, each with
its own PostgreSQL connection, are released together by a barrier and give those consents, spread over
the three requests (several threads per supervisor). Exactly one wins: one accepted request, the other
two superseded, one accept decision, and the timeline holds exactly the events of that one acceptance
(nothing lost, nothing twice). Every other thread gets a ``WorkflowError`` and changes nothing.

``tests/cases/test_concurrency.py`` covers two last consents and withdraw-versus-consent with two threads;
this test is the load version over three requests.
"""

from collections import Counter

import pytest

from accounts.models import Role
from cases import workflow
from cases.events import EventKind
from cases.models import CaseEvent, CaseStatus, Decision, RequestStatus, UnitConsent
from cases.workflow import WorkflowError
from tests.builders import complete_preparation, create_case, fill_form
from tests.conftest import municipality
from tests.threads import run_together

THREADS = 50
RECIPIENTS = ("Sala", "Arboga", "Fagersta")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_accept_attempts_over_three_requests_give_one_agreement(officer_koping, make_user):
    case = create_case(officer_koping)
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    requests = workflow.requests_send(
        case=case, actor=officer_koping, recipients=[municipality(name) for name in RECIPIENTS]
    )
    assert len(requests) == 3
    supervisors = {}
    for request in requests:
        name = request.recipient.name
        contact = make_user(Role.OFFICER, name, username=f"race_contact_{name}", is_contact_person=True)
        supervisors[request.pk] = make_user(Role.SUPERVISOR, name, username=f"race_adult_{name}", unit="adult")
        workflow.request_start_acceptance(request=request, actor=contact, units=["adult"])
    consents = list(UnitConsent.objects.filter(request__case=case).select_related("request").order_by("pk"))
    assert len(consents) == 3
    events_before = CaseEvent.objects.filter(case=case).count()

    def attempt(consent):
        return lambda: workflow.consent_give(consent=consent, actor=supervisors[consent.request_id])

    results = run_together([attempt(consents[i % 3]) for i in range(THREADS)])

    winners = [r for r in results if isinstance(r, UnitConsent)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert len(errors) == THREADS - 1
    unexpected = [e for e in errors if not isinstance(e, WorkflowError)]
    assert not unexpected, unexpected
    # Every loser was told the case is agreed elsewhere (or, on the winner's own request, that it is done).
    assert {e.message for e in errors} <= {
        str(workflow.MSG_CASE_AGREED_ELSEWHERE),
        str(workflow.MSG_CONSENT_DONE),
    }, {e.message for e in errors}

    winning_request_id = winners[0].request_id
    statuses = dict(case.requests.values_list("pk", "status"))
    assert statuses.pop(winning_request_id) == RequestStatus.ACCEPTED
    assert sorted(statuses.values()) == [RequestStatus.SUPERSEDED, RequestStatus.SUPERSEDED]
    assert Decision.objects.filter(request__case=case).count() == 1
    assert Decision.objects.get(request__case=case).request_id == winning_request_id
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    assert case.receiving_municipality_id == case.requests.get(pk=winning_request_id).recipient_id
    # Only the winning consent was recorded.
    assert list(UnitConsent.objects.filter(request__case=case, consented_at__isnull=False)) == [winners[0]]
    assert UnitConsent.objects.get(pk=winners[0].pk).supervisor_id == supervisors[winning_request_id].pk

    # No lost and no doubled event: exactly one consent, one acceptance and two supersessions were added.
    new_events = CaseEvent.objects.filter(case=case).order_by("pk")[events_before:]
    kinds = Counter(event.kind for event in new_events)
    assert kinds == Counter(
        {EventKind.CONSENT_GIVEN: 1, EventKind.REQUEST_ACCEPTED: 1, EventKind.REQUEST_SUPERSEDED: 2}
    ), kinds
    by_kind = {event.kind: event for event in new_events if event.kind != EventKind.REQUEST_SUPERSEDED}
    assert by_kind[EventKind.CONSENT_GIVEN].request_id == winning_request_id
    assert by_kind[EventKind.REQUEST_ACCEPTED].request_id == winning_request_id
    superseded = {e.request_id for e in new_events if e.kind == EventKind.REQUEST_SUPERSEDED}
    assert superseded == set(statuses)
