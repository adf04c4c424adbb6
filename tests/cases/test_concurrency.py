"""Rule 7 under concurrency on PostgreSQL: two last consents at the same moment give exactly one agreement.

Each thread has its own database connection, so the row locks of ``consent_give`` really compete.
"""

import pytest

from accounts.models import Role
from cases import workflow
from cases.access import case_access_grant
from cases.models import CaseStatus, Decision, RequestStatus
from cases.workflow import WorkflowError
from notifications.models import Notification, NotificationKind
from tests.cases.conftest import complete_preparation, create_case, fill_form
from tests.conftest import municipality
from tests.threads import run_together


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rule_7_two_last_consents_at_the_same_moment_give_one_agreement(
    officer_koping, contact_sala, contact_arboga, supervisor_sala_adult, make_user
):
    supervisor_arboga = make_user(Role.SUPERVISOR, "Arboga", username="supervisor_arboga_adult", unit="adult")
    case = create_case(officer_koping)
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    requests = workflow.requests_send(
        case=case, actor=officer_koping, recipients=[municipality("Sala"), municipality("Arboga")]
    )
    by_name = {r.recipient.name: r for r in requests}
    workflow.request_start_acceptance(request=by_name["Sala"], actor=contact_sala, units=["adult"])
    workflow.request_start_acceptance(request=by_name["Arboga"], actor=contact_arboga, units=["adult"])
    sala_consent = by_name["Sala"].consents.get()
    arboga_consent = by_name["Arboga"].consents.get()

    results = run_together(
        [
            lambda: workflow.consent_give(consent=sala_consent, actor=supervisor_sala_adult),
            lambda: workflow.consent_give(consent=arboga_consent, actor=supervisor_arboga),
        ]
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], WorkflowError)
    assert errors[0].message == str(workflow.MSG_CASE_AGREED_ELSEWHERE)
    statuses = sorted(case.requests.values_list("status", flat=True))
    assert statuses == sorted([RequestStatus.ACCEPTED, RequestStatus.SUPERSEDED])
    assert Decision.objects.filter(request__case=case, outcome="accept").count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    accepted = case.requests.get(status=RequestStatus.ACCEPTED)
    assert case.receiving_municipality_id == accepted.recipient_id
    # The losing consent was not recorded: nothing changed for it.
    loser = case.requests.get(status=RequestStatus.SUPERSEDED)
    assert loser.consents.get().consented_at is None
    # The other municipality is told that the agreement was reached elsewhere (after the commit).
    told_by_name = {"Sala": {contact_sala, supervisor_sala_adult}, "Arboga": {contact_arboga, supervisor_arboga}}
    told = Notification.objects.filter(request=loser, kind=NotificationKind.REQUEST_SUPERSEDED)
    assert {n.user for n in told} == told_by_name[loser.recipient.name]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rule_7_withdraw_and_last_consent_at_the_same_moment(officer_koping, contact_sala, supervisor_sala_adult):
    case = create_case(officer_koping)
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    [request] = workflow.requests_send(case=case, actor=officer_koping, recipients=[municipality("Sala")])
    workflow.request_start_acceptance(request=request, actor=contact_sala, units=["adult"])
    consent = request.consents.get()

    results = run_together(
        [
            lambda: workflow.consent_give(consent=consent, actor=supervisor_sala_adult),
            lambda: workflow.request_withdraw(
                request=request, actor=officer_koping, reason="Den enskilde ångrade sig."
            ),
        ]
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], WorkflowError)
    request.refresh_from_db()
    case.refresh_from_db()
    if request.status == RequestStatus.ACCEPTED:
        assert case.status == CaseStatus.AGREED
    else:
        assert request.status == RequestStatus.WITHDRAWN
        assert case.status == CaseStatus.REQUESTING
        assert not Decision.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rule_3_two_sends_at_the_same_moment_never_exceed_three_open(officer_koping, officer_koping_colleague):
    case = create_case(officer_koping)
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    case_access_grant(case=case, actor=officer_koping, user=officer_koping_colleague)

    results = run_together(
        [
            lambda: workflow.requests_send(
                case=case, actor=officer_koping, recipients=[municipality("Sala"), municipality("Arboga")]
            ),
            lambda: workflow.requests_send(
                case=case,
                actor=officer_koping_colleague,
                recipients=[municipality("Västerås"), municipality("Fagersta")],
            ),
        ]
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert "högst tre" in errors[0].message
    assert case.requests.filter(status=RequestStatus.SENT).count() == 2
