"""Selectors: what each persona may see, filtered in the database, with every read audited."""

import datetime

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditAction, AuditEvent
from cases import workflow
from cases.access import case_access_grant, case_access_revoke, case_role, grant, has_case_grant
from cases.events import EventKind
from cases.models import CaseEvent
from cases.selectors import (
    case_access_holders,
    case_collaboration_for_user,
    case_events_for_user,
    case_get_for_user,
    case_list_for_user,
    case_lusam_record_for_user,
    case_preparation_for_user,
    case_requests_for_user,
    colleagues_for_user,
    consent_get_for_user,
    consents_for_user,
    inbox_for_user,
    recipient_options_for_case,
    request_get_for_user,
    supervised_units,
)
from cases.workflow import WorkflowError
from tests.cases.conftest import complete_preparation, create_case, fill_form
from tests.conftest import municipality

# --- cases ---------------------------------------------------------------------------------------------------------


def test_case_get_for_creator_writes_audit_read(new_case, officer_koping):
    case = case_get_for_user(user=officer_koping, pk=new_case.pk)
    assert case == new_case
    row = AuditEvent.objects.get(action=AuditAction.READ)
    assert (row.user, row.case_id, row.object_type) == (officer_koping, new_case.pk, "cases.Case")


@pytest.mark.parametrize(
    "persona",
    [
        "officer_koping_colleague",
        "contact_sala",
        "supervisor_sala_adult",
        "officer_vasteras",
        "county_staff",
        "administrator",
    ],
)
def test_case_get_404_for_everyone_else_before_agreement(sent_case, request, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        case_get_for_user(user=user, pk=sent_case.case.pk)
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()
    assert list(case_list_for_user(user=user)) == []


def test_case_list_for_user_only_own_grants(new_case, officer_koping, officer_koping_colleague):
    other = create_case(officer_koping_colleague)
    assert list(case_list_for_user(user=officer_koping)) == [new_case]
    assert list(case_list_for_user(user=officer_koping_colleague)) == [other]


def test_case_list_annotates_open_requests(sent_case, officer_koping, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(case_list_for_user(user=officer_koping))
    assert rows[0].open_request_count == 2


def test_receiving_contact_person_sees_case_after_agreement(agreed_case, contact_sala, make_user):
    assert case_get_for_user(user=contact_sala, pk=agreed_case.case.pk) == agreed_case.case
    assert case_role(agreed_case.case, contact_sala) == "receiving"
    officer_sala = make_user(Role.OFFICER, "Sala", username="officer_sala")
    with pytest.raises(Http404):
        case_get_for_user(user=officer_sala, pk=agreed_case.case.pk)
    # The contact person grants an officer of their own municipality, who then sees the shared parts.
    case_access_grant(case=agreed_case.case, actor=contact_sala, user=officer_sala)
    assert case_get_for_user(user=officer_sala, pk=agreed_case.case.pk) == agreed_case.case
    assert case_preparation_for_user(case=agreed_case.case, user=officer_sala) is None
    assert workflow.allowed_actions(agreed_case.case, officer_sala)


def test_receiving_side_never_sees_preparation_or_other_requests(agreed_case, contact_sala, officer_koping):
    case = agreed_case.case
    assert case_preparation_for_user(case=case, user=contact_sala) is None
    prep = case_preparation_for_user(case=case, user=officer_koping)
    assert prep is not None and prep.notes
    assert list(case_requests_for_user(case=case, user=contact_sala)) == [agreed_case.sala]
    assert set(case_requests_for_user(case=case, user=officer_koping)) == {agreed_case.sala, agreed_case.arboga}
    receiving_kinds = set(case_events_for_user(case=case, user=contact_sala).values_list("kind", flat=True))
    assert EventKind.PREPARATION_UPDATED not in receiving_kinds
    assert EventKind.FORM_UPDATED not in receiving_kinds
    assert EventKind.REQUEST_SUPERSEDED not in receiving_kinds  # Arboga's request is not Sala's business
    assert EventKind.REQUEST_ACCEPTED in receiving_kinds
    assert case_events_for_user(case=case, user=officer_koping).count() == CaseEvent.objects.filter(case=case).count()


def test_old_receiving_side_loses_sight_in_new_round(moved_case, contact_sala):
    workflow.case_revealed(case=moved_case.case, actor=contact_sala, on=timezone.localdate())
    with pytest.raises(Http404):
        case_get_for_user(user=contact_sala, pk=moved_case.case.pk)


# --- requests ------------------------------------------------------------------------------------------------------


def test_request_get_for_recipient_and_sender(sent_case, contact_sala, officer_koping, contact_arboga):
    assert request_get_for_user(user=contact_sala, pk=sent_case.sala.pk) == sent_case.sala
    assert request_get_for_user(user=officer_koping, pk=sent_case.sala.pk) == sent_case.sala
    row = AuditEvent.objects.filter(action=AuditAction.READ, user=contact_sala).get()
    assert (row.object_type, row.case_id) == ("cases.Request", sent_case.case.pk)
    with pytest.raises(Http404):
        request_get_for_user(user=contact_arboga, pk=sent_case.sala.pk)


@pytest.mark.parametrize("persona", ["officer_koping_colleague", "officer_vasteras", "county_staff", "administrator"])
def test_request_get_404_for_others(sent_case, request, persona):
    with pytest.raises(Http404):
        request_get_for_user(user=request.getfixturevalue(persona), pk=sent_case.sala.pk)


def test_supervisor_sees_only_requests_of_their_unit(
    sent_case, contact_sala, supervisor_sala_adult, supervisor_sala_children
):
    with pytest.raises(Http404):
        request_get_for_user(user=supervisor_sala_adult, pk=sent_case.sala.pk)
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult"])
    assert request_get_for_user(user=supervisor_sala_adult, pk=sent_case.sala.pk) == sent_case.sala
    with pytest.raises(Http404):
        request_get_for_user(user=supervisor_sala_children, pk=sent_case.sala.pk)


def test_inbox_for_user_days_left_and_order(ready_case, officer_koping, contact_sala, contact_arboga):
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, tzinfo=datetime.UTC), tick=False):
        workflow.requests_send(case=ready_case, actor=officer_koping, recipients=[municipality("Sala")])
    other = create_case(officer_koping)
    complete_preparation(other, officer_koping)
    fill_form(other, officer_koping)
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, tzinfo=datetime.UTC), tick=False):
        [later] = workflow.requests_send(case=other, actor=officer_koping, recipients=[municipality("Sala")])
    with time_machine.travel(datetime.datetime(2026, 2, 27, 9, tzinfo=datetime.UTC), tick=False):
        rows = list(inbox_for_user(user=contact_sala))
    assert [r.reply_by for r in rows] == [datetime.date(2026, 2, 23), datetime.date(2026, 3, 3)]
    assert [r.days_left for r in rows] == [-4, 4]
    assert all(r.is_open for r in rows)
    assert list(inbox_for_user(user=contact_arboga)) == []
    assert later in rows


def test_inbox_puts_closed_requests_last(sent_case, officer_koping, contact_sala):
    workflow.request_withdraw(request=sent_case.sala, actor=officer_koping, reason="Skäl.")
    [row] = inbox_for_user(user=contact_sala)
    assert row.is_open is False


def test_inbox_is_empty_for_county_staff_and_sending_side(sent_case, county_staff, officer_koping):
    assert list(inbox_for_user(user=county_staff)) == []
    assert list(inbox_for_user(user=officer_koping)) == []


def test_consents_for_user(sent_case, contact_sala, supervisor_sala_adult, supervisor_sala_children, officer_koping):
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult"])
    [consent] = consents_for_user(user=supervisor_sala_adult)
    assert consent.request == sent_case.sala
    assert list(consents_for_user(user=supervisor_sala_children)) == []
    assert list(consents_for_user(user=officer_koping)) == []
    assert consent_get_for_user(user=supervisor_sala_adult, pk=consent.pk) == consent
    with pytest.raises(Http404):
        consent_get_for_user(user=supervisor_sala_children, pk=consent.pk)
    workflow.consent_give(consent=consent, actor=supervisor_sala_adult)
    assert list(consents_for_user(user=supervisor_sala_adult)) == []


# --- recipient options (rules 3 and 8) ------------------------------------------------------------------------------


def test_rule_3_rule_8_recipient_options_ranked_and_explained(sent_case, officer_koping, contact_sala):
    options = recipient_options_for_case(case=sent_case.case, user=officer_koping)
    names = [o.municipality.name for o in options]
    assert "Köping" not in names
    refused = {o.municipality.name: o.refusal for o in options if o.refusal}
    assert set(refused) == {"Sala", "Arboga"}
    choosable = [o for o in options if o.refusal is None]
    assert [o.quota_left for o in choosable] == sorted((o.quota_left for o in choosable), reverse=True)
    assert next(o for o in options if o.municipality.name == "Sala").earlier == [sent_case.sala]
    assert recipient_options_for_case(case=sent_case.case, user=contact_sala) == []


# --- access grants --------------------------------------------------------------------------------------------------


def test_grant_and_revoke_colleague(new_case, officer_koping, officer_koping_colleague):
    case_access_grant(case=new_case, actor=officer_koping, user=officer_koping_colleague)
    assert has_case_grant(officer_koping_colleague, new_case)
    assert case_get_for_user(user=officer_koping_colleague, pk=new_case.pk) == new_case
    with pytest.raises(WorkflowError):
        case_access_grant(case=new_case, actor=officer_koping, user=officer_koping_colleague)
    case_access_revoke(case=new_case, actor=officer_koping_colleague, user=officer_koping)
    with pytest.raises(Http404):
        case_get_for_user(user=officer_koping, pk=new_case.pk)
    events = CaseEvent.objects.filter(case=new_case, kind__in=[EventKind.ACCESS_GRANTED, EventKind.ACCESS_REVOKED])
    assert [(e.kind, e.data) for e in events] == [
        (EventKind.ACCESS_GRANTED, {"user_id": officer_koping_colleague.pk}),
        (EventKind.ACCESS_REVOKED, {"user_id": officer_koping.pk}),
    ]
    audit = AuditEvent.objects.filter(case_id=new_case.pk, action__in=[AuditAction.GRANT, AuditAction.REVOKE])
    assert sorted(audit.values_list("action", "object_id")) == sorted(
        [
            (AuditAction.GRANT, str(officer_koping.pk)),  # the creator, at creation
            (AuditAction.GRANT, str(officer_koping_colleague.pk)),
            (AuditAction.REVOKE, str(officer_koping.pk)),
        ]
    )


def test_grant_refused_outside_own_municipality_and_without_access(
    new_case, officer_koping, officer_koping_colleague, officer_vasteras, contact_sala
):
    with pytest.raises(WorkflowError):
        case_access_grant(case=new_case, actor=officer_koping, user=officer_vasteras)
    with pytest.raises(WorkflowError):
        case_access_grant(case=new_case, actor=officer_koping_colleague, user=officer_koping_colleague)
    with pytest.raises(WorkflowError):
        case_access_grant(case=new_case, actor=contact_sala, user=contact_sala)
    assert not has_case_grant(officer_vasteras, new_case)


def test_last_sending_officer_cannot_be_revoked(new_case, officer_koping):
    with pytest.raises(WorkflowError):
        case_access_revoke(case=new_case, actor=officer_koping, user=officer_koping)
    assert has_case_grant(officer_koping, new_case)


def test_receiving_officer_cannot_grant_only_contact_person(agreed_case, contact_sala, make_user):
    officer_sala = make_user(Role.OFFICER, "Sala", username="officer_sala")
    another = make_user(Role.OFFICER, "Sala", username="officer_sala_2")
    case_access_grant(case=agreed_case.case, actor=contact_sala, user=officer_sala)
    with pytest.raises(WorkflowError):
        case_access_grant(case=agreed_case.case, actor=officer_sala, user=another)
    case_access_revoke(case=agreed_case.case, actor=contact_sala, user=officer_sala)
    assert not has_case_grant(officer_sala, agreed_case.case)


def test_inbox_and_consents_in_one_query(sent_case, contact_sala, supervisor_sala_adult, django_assert_num_queries):
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult"])
    with django_assert_num_queries(1):
        rows = list(inbox_for_user(user=contact_sala))
        assert [r.case.reference for r in rows] == [sent_case.case.reference]
        assert rows[0].sender.name == "Köping"
    with django_assert_num_queries(1):
        consents = list(consents_for_user(user=supervisor_sala_adult))
        assert consents[0].request.recipient.name == "Sala"


def test_grant_refused_for_supervisor(new_case, officer_koping, make_user):
    supervisor = make_user(Role.SUPERVISOR, "Köping", username="supervisor_koping", unit="adult")
    with pytest.raises(WorkflowError):
        case_access_grant(case=new_case, actor=officer_koping, user=supervisor)


def test_rule_5_supervised_units(supervisor_sala_adult, supervisor_sala_children, officer_koping):
    assert supervised_units(municipality_id=municipality("Sala").pk) == {"adult", "children_family"}
    assert supervised_units(municipality_id=municipality("Köping").pk) == set()


# --- access, collaboration and LUSAM record --------------------------------------------------------------------------


def test_case_access_holders_per_side_in_one_query(
    agreed_case,
    officer_koping,
    officer_koping_colleague,
    contact_sala,
    officer_vasteras,
    make_user,
    django_assert_num_queries,
):
    case = agreed_case.case
    officer_sala = make_user(Role.OFFICER, "Sala", username="officer_sala")
    case_access_grant(case=case, actor=officer_koping, user=officer_koping_colleague)
    case_access_grant(case=case, actor=contact_sala, user=officer_sala)
    grant(case=case, user=officer_vasteras)  # a left-over grant outside both sides gives nothing
    with django_assert_num_queries(1):
        holders = case_access_holders(case=case)
    assert set(holders["sending"]) == {officer_koping, officer_koping_colleague}
    assert holders["receiving"] == [officer_sala]  # the contact person sees it by office, holds no grant


def test_colleagues_are_the_active_officers_of_the_own_municipality(
    officer_koping, officer_koping_colleague, officer_vasteras, county_staff, make_user
):
    make_user(Role.SUPERVISOR, "Köping", username="supervisor_koping", unit="adult")
    make_user(Role.OFFICER, "Köping", username="former_koping", is_active=False)
    assert set(colleagues_for_user(user=officer_koping)) == {officer_koping, officer_koping_colleague}
    assert list(colleagues_for_user(user=county_staff)) == []


def test_collaboration_for_the_sides_working_on_the_case(
    agreed_case, officer_koping, contact_sala, officer_koping_colleague
):
    case = agreed_case.case
    collaboration = case_collaboration_for_user(case=case, user=officer_koping)
    assert collaboration is not None and collaboration.round == case.round
    assert case_collaboration_for_user(case=case, user=contact_sala) == collaboration
    assert case_collaboration_for_user(case=case, user=officer_koping_colleague) is None


def test_lusam_record_for_the_sending_side_once_closed(agreed_case, officer_koping, contact_sala):
    case = agreed_case.case
    assert case_lusam_record_for_user(case=case, user=officer_koping) is None
    workflow.case_close(case=case, actor=officer_koping, outcome="not_moved", not_moved_reason="consent_withdrawn")
    case.refresh_from_db()
    record = case_lusam_record_for_user(case=case, user=officer_koping)
    assert record is not None and record.first_accepted_by.name == "Sala"
    assert case_lusam_record_for_user(case=case, user=contact_sala) is None
