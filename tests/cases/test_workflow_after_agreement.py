"""The workflow after agreement: rules 9–15 (collaboration, move plan, move, after the move, closing)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from cases import workflow
from cases.access import has_case_grant
from cases.events import EventKind
from cases.models import (
    CaseEvent,
    CaseStatus,
    CostItem,
    LusamRecord,
    MeetingKind,
    RequestStatus,
)
from cases.workflow import WorkflowError
from tests.cases.conftest import complete_preparation, create_case, fill_form
from tests.conftest import municipality

# --- rule 9: pre-meeting and collaboration ------------------------------------------------------------------------


def test_rule_9_pre_meeting_recorded_by_either_side(agreed_case, officer_koping, contact_sala):
    meeting = workflow.meeting_record(
        case=agreed_case.case,
        actor=contact_sala,
        kind=MeetingKind.PRE_MEETING,
        date=timezone.localdate() + datetime.timedelta(days=3),
        sending_units=["adult", "economic_aid"],
        receiving_units=["adult"],
        notes="Förmöte på neutral plats.",
    )
    assert meeting.round == 1
    assert meeting.sending_units == ["adult", "economic_aid"]
    event = CaseEvent.objects.get(kind=EventKind.MEETING_RECORDED)
    assert event.data == {"meeting_id": meeting.pk, "kind": "pre_meeting", "date": meeting.date.isoformat()}
    workflow.meeting_record(
        case=agreed_case.case,
        actor=officer_koping,
        kind=MeetingKind.PRE_MEETING,
        date=timezone.localdate(),
        sending_units=[],
        receiving_units=[],
    )
    assert agreed_case.case.meetings.count() == 2


def test_pre_meeting_wrong_person_and_wrong_state(agreed_case, sent_case, contact_arboga, officer_koping):
    with pytest.raises(WorkflowError):
        workflow.meeting_record(
            case=agreed_case.case,
            actor=contact_arboga,
            kind="pre_meeting",
            date=timezone.localdate(),
            sending_units=[],
            receiving_units=[],
        )
    other = create_case(officer_koping)
    with pytest.raises(WorkflowError, match="status"):
        workflow.meeting_record(
            case=other,
            actor=officer_koping,
            kind="pre_meeting",
            date=timezone.localdate(),
            sending_units=[],
            receiving_units=[],
        )
    with pytest.raises(WorkflowError):
        workflow.meeting_record(
            case=agreed_case.case,
            actor=officer_koping,
            kind="coffee",
            date=timezone.localdate(),
            sending_units=[],
            receiving_units=[],
        )


def test_rule_9_investigation_only_after_written_consent(agreed_case, contact_sala):
    today = timezone.localdate()
    with pytest.raises(WorkflowError) as error:
        workflow.collaboration_update(
            case=agreed_case.case,
            actor=contact_sala,
            written_consent_on=None,
            investigation_started_on=today,
            authority_agreements="",
        )
    assert error.value.message == str(workflow.MSG_INVESTIGATION_BEFORE_CONSENT)
    with pytest.raises(WorkflowError):
        workflow.collaboration_update(
            case=agreed_case.case,
            actor=contact_sala,
            written_consent_on=today,
            investigation_started_on=today - datetime.timedelta(days=1),
            authority_agreements="",
        )
    workflow.collaboration_update(
        case=agreed_case.case,
        actor=contact_sala,
        written_consent_on=today - datetime.timedelta(days=1),
        investigation_started_on=today,
        authority_agreements="Arbetsförmedlingen och sfi kontaktade.",
    )
    collaboration = agreed_case.case.collaborations.get()
    assert collaboration.investigation_started_on == today
    event = CaseEvent.objects.get(kind=EventKind.COLLABORATION_UPDATED)
    assert event.data == {"fields": ["authority_agreements", "investigation_started_on", "written_consent_on"]}


def test_collaboration_wrong_person_and_wrong_state(agreed_case, officer_vasteras, officer_koping):
    kwargs = {"written_consent_on": None, "investigation_started_on": None, "authority_agreements": "x"}
    with pytest.raises(WorkflowError):
        workflow.collaboration_update(case=agreed_case.case, actor=officer_vasteras, **kwargs)
    workflow.case_close(case=agreed_case.case, actor=officer_koping, outcome="not_moved", not_moved_reason="returned")
    with pytest.raises(WorkflowError, match="status"):
        workflow.collaboration_update(case=agreed_case.case, actor=officer_koping, **kwargs)


# --- rule 10: move plan, checklists, costs, Tax Agency gate --------------------------------------------------------


def test_rule_10_move_plan_checklists_belong_to_each_side(agreed_case, officer_koping, contact_sala):
    plan = workflow.move_plan_update(
        case=agreed_case.case,
        actor=officer_koping,
        data={"sending_checklist": {"tax_agency": True, "moving_firm": True}, "who_packs": "Flyttfirma."},
    )
    assert plan.sending_checklist["tax_agency"] is True
    assert plan.sending_checklist["care_providers"] is False
    plan = workflow.move_plan_update(
        case=agreed_case.case, actor=contact_sala, data={"receiving_checklist": {"police": True}}
    )
    assert plan.receiving_checklist["police"] is True
    with pytest.raises(WorkflowError) as error:
        workflow.move_plan_update(case=agreed_case.case, actor=contact_sala, data={"sending_checklist": {}})
    assert error.value.message == str(workflow.MSG_CHECKLIST_SIDE)
    with pytest.raises(WorkflowError):
        workflow.move_plan_update(
            case=agreed_case.case, actor=officer_koping, data={"receiving_checklist": {"police": False}}
        )
    with pytest.raises(WorkflowError):
        workflow.move_plan_update(case=agreed_case.case, actor=officer_koping, data={"moved_on": timezone.localdate()})
    with pytest.raises(WorkflowError):
        workflow.move_plan_update(
            case=agreed_case.case, actor=officer_koping, data={"sending_checklist": {"unknown": True}}
        )
    fields = [e.data["fields"] for e in CaseEvent.objects.filter(kind=EventKind.MOVE_PLAN_UPDATED)]
    assert fields == [["sending_checklist", "who_packs"], ["receiving_checklist"]]


def test_move_plan_wrong_person_and_wrong_state(moved_case, contact_arboga, officer_koping):
    with pytest.raises(WorkflowError):
        workflow.move_plan_update(case=moved_case.case, actor=contact_arboga, data={"who_packs": "x"})
    with pytest.raises(WorkflowError, match="status"):
        workflow.move_plan_update(case=moved_case.case, actor=officer_koping, data={"who_packs": "x"})


def test_rule_10_rule_11_cost_items_with_payer(agreed_case, officer_koping, contact_sala, officer_vasteras):
    item = workflow.cost_item_add(
        case=agreed_case.case, actor=officer_koping, description="Dubbel hyra", amount=Decimal("7400"), payer="sending"
    )
    assert item.move_plan == agreed_case.case.move_plans.get()
    with pytest.raises(WorkflowError):
        workflow.cost_item_add(case=agreed_case.case, actor=contact_sala, description="", amount=None, payer="sending")
    with pytest.raises(WorkflowError):
        workflow.cost_item_add(case=agreed_case.case, actor=contact_sala, description="x", amount=None, payer="both")
    with pytest.raises(WorkflowError):
        workflow.cost_item_add(
            case=agreed_case.case, actor=contact_sala, description="x", amount=Decimal("-1"), payer="sending"
        )
    with pytest.raises(WorkflowError):
        workflow.cost_item_remove(cost_item=item, actor=officer_vasteras)
    workflow.cost_item_remove(cost_item=item, actor=contact_sala)
    assert not CostItem.objects.exists()
    data = [e.data for e in CaseEvent.objects.filter(kind=EventKind.MOVE_PLAN_UPDATED)]
    assert data == [{"cost_item_added": item.pk, "payer": "sending"}, {"cost_item_removed": item.pk}]


def test_cost_item_wrong_state(sent_case, officer_koping):
    with pytest.raises(WorkflowError, match="status"):
        workflow.cost_item_add(
            case=sent_case.case, actor=officer_koping, description="Flytt", amount=None, payer="sending"
        )


def test_rule_10_move_not_confirmed_before_tax_agency_decision(agreed_case, officer_koping, contact_sala):
    case = agreed_case.case
    workflow.move_plan_update(case=case, actor=officer_koping, data={"protected_data_applied": True})
    moved_on = timezone.localdate()
    with pytest.raises(WorkflowError) as error:
        workflow.move_confirm(case=case, actor=officer_koping, moved_on=moved_on)
    assert error.value.message == str(workflow.MSG_TAX_AGENCY_PENDING)
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    workflow.tax_agency_decision_record(case=case, actor=contact_sala, decided_on=moved_on)
    plan = workflow.move_confirm(case=case, actor=contact_sala, moved_on=moved_on)
    assert plan.moved_on == moved_on
    assert plan.move_confirmed_at is not None
    case.refresh_from_db()
    assert case.status == CaseStatus.MOVED


def test_rule_10_tax_agency_decision_wrong_person_and_state(agreed_case, sent_case, officer_vasteras, officer_koping):
    with pytest.raises(WorkflowError):
        workflow.tax_agency_decision_record(
            case=agreed_case.case, actor=officer_vasteras, decided_on=timezone.localdate()
        )
    with pytest.raises(WorkflowError):
        workflow.tax_agency_decision_record(
            case=agreed_case.case, actor=officer_koping, decided_on=timezone.localdate() + datetime.timedelta(days=1)
        )


def test_move_confirm_wrong_person_and_wrong_state(agreed_case, contact_arboga, officer_koping):
    with pytest.raises(WorkflowError):
        workflow.move_confirm(case=agreed_case.case, actor=contact_arboga, moved_on=timezone.localdate())
    with pytest.raises(WorkflowError):
        workflow.move_confirm(
            case=agreed_case.case, actor=officer_koping, moved_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    workflow.move_confirm(case=agreed_case.case, actor=officer_koping, moved_on=timezone.localdate())
    with pytest.raises(WorkflowError, match="status"):
        workflow.move_confirm(case=agreed_case.case, actor=officer_koping, moved_on=timezone.localdate())


# --- rule 11: economic responsibility -----------------------------------------------------------------------------


def test_rule_11_economic_responsibility_move_month_plus_one(agreed_case, officer_koping):
    """Rule 11: economic responsibility passes after the move month plus one month; the date is shown on the case."""
    with time_machine.travel(datetime.datetime(2026, 5, 20, 10, tzinfo=datetime.UTC), tick=False):
        plan = workflow.move_confirm(case=agreed_case.case, actor=officer_koping, moved_on=datetime.date(2026, 5, 14))
    assert workflow.economic_responsibility_date(plan) == datetime.date(2026, 7, 1)
    event = CaseEvent.objects.get(kind=EventKind.MOVE_CONFIRMED)
    assert event.data["economic_responsibility_date"] == "2026-07-01"
    assert event.data["follow_up_due"] == "2026-06-14"
    assert workflow.follow_up_due(plan) == datetime.date(2026, 6, 14)
    assert workflow.two_month_end(plan) == datetime.date(2026, 7, 14)


def test_rule_11_agreed_other_date_wins(agreed_case, contact_sala, officer_vasteras):
    plan = workflow.economic_agreement_record(
        case=agreed_case.case, actor=contact_sala, agreed_date=datetime.date(2026, 9, 1), note="Enligt avtal."
    )
    assert workflow.economic_responsibility_date(plan) == datetime.date(2026, 9, 1)
    assert plan.economic_agreement_recorded_on == timezone.localdate()
    assert CaseEvent.objects.get(kind=EventKind.ECONOMIC_AGREEMENT).data["agreed_date"] == "2026-09-01"
    with pytest.raises(WorkflowError):
        workflow.economic_agreement_record(
            case=agreed_case.case, actor=officer_vasteras, agreed_date=datetime.date(2026, 9, 1)
        )


def test_economic_agreement_wrong_state(sent_case, officer_koping):
    with pytest.raises(WorkflowError, match="status"):
        workflow.economic_agreement_record(
            case=sent_case.case, actor=officer_koping, agreed_date=datetime.date(2026, 9, 1)
        )


# --- rule 12: revealed within two months → new round ---------------------------------------------------------------


def test_rule_12_revealed_within_two_months_starts_new_round(moved_case, officer_koping, contact_sala):
    """Rule 12: revealed within two months of the move, the sending side starts a new round on the same history."""
    case = moved_case.case
    workflow.case_revealed(case=case, actor=contact_sala, on=timezone.localdate())
    case.refresh_from_db()
    assert case.round == 2
    assert case.status == CaseStatus.PREPARATION
    assert case.receiving_municipality is None
    assert municipality("Sala") in case.excluded_municipalities.all()
    # History is kept: the first round's requests, plan and events are all still there.
    assert case.requests.filter(round=1, status=RequestStatus.ACCEPTED).count() == 1
    assert case.move_plans.get(round=1).moved_on == moved_case.moved_on
    event = CaseEvent.objects.get(kind=EventKind.REVEALED)
    assert event.data["previous_round"] == 1 and event.data["round"] == 2
    # The receiving side of the ended round loses its access.
    assert not has_case_grant(contact_sala, case)
    assert workflow.allowed_actions(case, contact_sala) == set()
    # A new round of requests, on the same case.
    [request] = workflow.requests_send(case=case, actor=officer_koping, recipients=[municipality("Västerås")])
    assert request.round == 2


def test_rule_12_after_two_months_it_is_the_receiving_municipality_s_matter(agreed_case, officer_koping):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        workflow.move_confirm(case=agreed_case.case, actor=officer_koping, moved_on=datetime.date(2026, 3, 1))
    with (
        time_machine.travel(datetime.datetime(2026, 5, 2, 10, tzinfo=datetime.UTC), tick=False),
        pytest.raises(WorkflowError) as error,
    ):
        workflow.case_revealed(case=agreed_case.case, actor=officer_koping, on=datetime.date(2026, 5, 2))
    assert "mottagande kommuns" in error.value.message
    agreed_case.case.refresh_from_db()
    assert agreed_case.case.status == CaseStatus.MOVED
    with time_machine.travel(datetime.datetime(2026, 5, 2, 10, tzinfo=datetime.UTC), tick=False):
        workflow.case_revealed(case=agreed_case.case, actor=officer_koping, on=datetime.date(2026, 5, 1))
    agreed_case.case.refresh_from_db()
    assert agreed_case.case.round == 2


def test_revealed_wrong_person_and_wrong_state(moved_case, agreed_case, contact_arboga, officer_koping):
    with pytest.raises(WorkflowError):
        workflow.case_revealed(case=moved_case.case, actor=contact_arboga, on=timezone.localdate())
    with pytest.raises(WorkflowError):
        workflow.case_revealed(
            case=moved_case.case, actor=officer_koping, on=moved_case.moved_on - datetime.timedelta(days=1)
        )
    other = create_case(officer_koping)
    with pytest.raises(WorkflowError, match="status"):
        workflow.case_revealed(case=other, actor=officer_koping, on=timezone.localdate())


# --- rule 13: follow-up meeting -------------------------------------------------------------------------------------


def test_rule_13_follow_up_meeting_after_the_move(moved_case, contact_sala):
    """Rule 13: the joint follow-up meeting after the move, due within one month."""
    meeting = workflow.meeting_record(
        case=moved_case.case,
        actor=contact_sala,
        kind=MeetingKind.FOLLOW_UP,
        date=timezone.localdate(),
        sending_units=["adult"],
        receiving_units=["adult"],
    )
    assert meeting.kind == MeetingKind.FOLLOW_UP
    with pytest.raises(WorkflowError) as error:
        workflow.meeting_record(
            case=moved_case.case,
            actor=contact_sala,
            kind=MeetingKind.FOLLOW_UP,
            date=moved_case.moved_on - datetime.timedelta(days=1),
            sending_units=[],
            receiving_units=[],
        )
    assert error.value.message == str(workflow.MSG_FOLLOW_UP_BEFORE_MOVE)


def test_rule_13_follow_up_refused_before_move(agreed_case, contact_sala):
    with pytest.raises(WorkflowError, match="status"):
        workflow.meeting_record(
            case=agreed_case.case,
            actor=contact_sala,
            kind=MeetingKind.FOLLOW_UP,
            date=timezone.localdate(),
            sending_units=[],
            receiving_units=[],
        )


# --- rule 14: closing and the LUSAM record ----------------------------------------------------------------------------


def test_rule_14_close_moved_fills_lusam_record(moved_case, officer_koping):
    case = workflow.case_close(case=moved_case.case, actor=officer_koping, outcome="moved", note="Allt gick bra.")
    assert case.status == CaseStatus.CLOSED
    assert case.closed_at is not None
    record = LusamRecord.objects.get(case=case)
    assert record.outcome == "moved"
    assert record.sending_municipality == municipality("Köping")
    assert set(record.asked.values_list("name", flat=True)) == {"Sala", "Arboga"}
    assert record.target_group == "woman_no_children"
    assert record.destination == municipality("Sala")
    assert record.first_accepted_by == municipality("Sala")
    assert record.first_sent_on == timezone.localdate()
    assert record.first_accepted_on == timezone.localdate()
    assert record.moved_on == moved_case.moved_on
    assert record.closed_on == timezone.localdate()
    assert CaseEvent.objects.get(kind=EventKind.CASE_CLOSED).data["outcome"] == "moved"


def test_rule_14_not_moved_from_any_step_before_the_move(officer_koping, sent_case):
    prepared = create_case(officer_koping)
    workflow.case_close(case=prepared, actor=officer_koping, outcome="not_moved", not_moved_reason="consent_withdrawn")
    prepared.refresh_from_db()
    assert prepared.status == CaseStatus.CLOSED
    assert prepared.lusam_record.asked.count() == 0
    # With requests open: they are withdrawn and their municipalities told.
    workflow.case_close(
        case=sent_case.case, actor=officer_koping, outcome="not_moved", not_moved_reason="circumstances_changed"
    )
    assert set(sent_case.case.requests.values_list("status", flat=True)) == {RequestStatus.WITHDRAWN}
    assert CaseEvent.objects.filter(case=sent_case.case, kind=EventKind.REQUEST_WITHDRAWN).count() == 2
    record = sent_case.case.lusam_record
    assert record.not_moved_reason == "circumstances_changed"
    assert record.destination is None


def test_rule_14_not_moved_after_acceptance_names_who_accepted_first(agreed_case, officer_koping):
    workflow.case_close(case=agreed_case.case, actor=officer_koping, outcome="not_moved", not_moved_reason="returned")
    record = agreed_case.case.lusam_record
    assert record.first_accepted_by == municipality("Sala")
    assert record.destination is None
    assert record.moved_on is None


def test_rule_14_asked_covers_all_rounds(moved_case, officer_koping, contact_sala):
    workflow.case_revealed(case=moved_case.case, actor=contact_sala, on=timezone.localdate())
    workflow.requests_send(case=moved_case.case, actor=officer_koping, recipients=[municipality("Västerås")])
    workflow.case_close(case=moved_case.case, actor=officer_koping, outcome="national")
    record = moved_case.case.lusam_record
    assert set(record.asked.values_list("name", flat=True)) == {"Sala", "Arboga", "Västerås"}
    assert record.first_accepted_by == municipality("Sala")
    assert record.outcome == "national"


def test_rule_14_close_rules_by_outcome(agreed_case, moved_case, officer_koping):
    case = moved_case.case
    with pytest.raises(WorkflowError) as error:
        workflow.case_close(case=case, actor=officer_koping, outcome="not_moved", not_moved_reason="returned")
    assert error.value.message == str(workflow.MSG_CLOSE_NOT_MOVED_AFTER_MOVE)
    with pytest.raises(WorkflowError):
        workflow.case_close(case=case, actor=officer_koping, outcome="not_moved")
    with pytest.raises(WorkflowError):
        workflow.case_close(case=case, actor=officer_koping, outcome="forgotten")
    other = create_case(officer_koping)
    with pytest.raises(WorkflowError) as error:
        workflow.case_close(case=other, actor=officer_koping, outcome="moved")
    assert error.value.message == str(workflow.MSG_CLOSE_MOVED_BEFORE_MOVE)


def test_close_wrong_person_and_wrong_state(moved_case, contact_sala, officer_koping):
    with pytest.raises(WorkflowError):
        workflow.case_close(case=moved_case.case, actor=contact_sala, outcome="moved")
    workflow.case_close(case=moved_case.case, actor=officer_koping, outcome="moved")
    with pytest.raises(WorkflowError, match="status"):
        workflow.case_close(case=moved_case.case, actor=officer_koping, outcome="moved")


# --- rule 15: a normal case takes two to four months ------------------------------------------------------------------


def test_rule_15_takeover_window_is_informational(officer_koping):
    """Rule 15: two to four months from request to takeover is shown for information; nothing is an emergency."""
    case = create_case(officer_koping)
    assert workflow.takeover_window(case) is None
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    with time_machine.travel(datetime.datetime(2026, 1, 15, 10, tzinfo=datetime.UTC), tick=False):
        [request] = workflow.requests_send(case=case, actor=officer_koping, recipients=[municipality("Sala")])
    assert workflow.takeover_window(case) == (datetime.date(2026, 3, 15), datetime.date(2026, 5, 15))
    # Nothing is an emergency service: the shortest deadline is the three-week reply.
    assert request.reply_by - datetime.date(2026, 1, 15) == datetime.timedelta(days=21)


def test_cost_item_add_wrong_person_and_remove_wrong_state(moved_case, officer_vasteras, officer_koping):
    with pytest.raises(WorkflowError) as error:
        workflow.cost_item_add(
            case=moved_case.case, actor=officer_vasteras, description="Flytt", amount=None, payer="sending"
        )
    assert error.value.message == str(workflow.MSG_NOT_ALLOWED)
    item = workflow.cost_item_add(
        case=moved_case.case, actor=officer_koping, description="Slutfaktura el", amount=None, payer="sending"
    )
    workflow.case_close(case=moved_case.case, actor=officer_koping, outcome="moved")
    with pytest.raises(WorkflowError, match="status"):
        workflow.cost_item_remove(cost_item=item, actor=officer_koping)
    assert CostItem.objects.filter(pk=item.pk).exists()


def test_tax_agency_decision_wrong_state(moved_case, sent_case, officer_koping):
    with pytest.raises(WorkflowError, match="status"):
        workflow.tax_agency_decision_record(case=moved_case.case, actor=officer_koping, decided_on=timezone.localdate())
