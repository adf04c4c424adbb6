"""The workflow up to the decision: rules 1–8, each transition's allowed path, wrong state and wrong person."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditAction, AuditEvent
from cases import workflow
from cases.access import has_case_grant
from cases.events import EventKind
from cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Decision,
    DeclineGround,
    PoliceAssessment,
    RequestStatus,
    RiskMethod,
    UnitConsent,
)
from cases.workflow import Action, WorkflowError
from municipalities.models import QuotaOverride
from tests.cases.conftest import FORM, complete_preparation, create_case, fill_form, update_children
from tests.conftest import municipality
from tests.factories import DecisionFactory, RequestFactory


def kinds(case):
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


# --- rule 1: target group, case_create and case_update_target_group ------------------------------------------


def test_rule_1_case_create_records_target_group_and_grants_creator(officer_koping):
    """Rule 1: the target group is recorded (woman/man, children and ages, new partner); the creator gets the case."""
    case = create_case(officer_koping, children_ages=[4, 15], excluded=[municipality("Arboga")])
    assert case.sending_municipality == officer_koping.municipality
    assert case.status == CaseStatus.PREPARATION
    assert sorted(case.children.values_list("age", flat=True)) == [4, 15]
    assert case.target_group == "woman_children"
    assert list(case.excluded_municipalities.all()) == [municipality("Arboga")]
    assert case.preparation and case.form_draft
    assert has_case_grant(officer_koping, case)
    assert kinds(case) == [EventKind.CASE_CREATED]
    assert AuditEvent.objects.filter(action=AuditAction.GRANT, case_id=case.pk, user=officer_koping).exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [("adult_confirmed", workflow.MSG_NOT_ADULT), ("outpatient_manageable", workflow.MSG_NOT_OUTPATIENT)],
)
def test_rule_1_case_create_refuses_outside_target_group(officer_koping, field, message):
    kwargs = {
        "actor": officer_koping,
        "gender": "man",
        "adult_confirmed": True,
        "new_partner": True,
        "outpatient_manageable": True,
        "children_ages": [],
        "excluded_municipalities": [],
    }
    kwargs[field] = False
    with pytest.raises(WorkflowError) as error:
        workflow.case_create(**kwargs)
    assert error.value.message == str(message)
    assert not Case.objects.exists()


def test_rule_1_case_create_refuses_adult_child_age(officer_koping):
    with pytest.raises(WorkflowError, match="0 och 17"):
        create_case(officer_koping, children_ages=[18])


@pytest.mark.parametrize("persona", ["supervisor_sala_adult", "county_staff", "administrator"])
def test_case_create_wrong_person(request, persona):
    with pytest.raises(WorkflowError):
        create_case(request.getfixturevalue(persona))


def test_rule_1_update_target_group_keeps_marks_of_unchanged_children(case_with_children, officer_koping):
    child_7 = case_with_children.children.get(age=7)
    workflow.child_update(child=child_7, actor=officer_koping, informed=True, heard=True)
    workflow.case_update_target_group(
        case=case_with_children,
        actor=officer_koping,
        gender="woman",
        adult_confirmed=True,
        new_partner=True,
        outpatient_manageable=True,
        children_ages=[7, 2],
        excluded_municipalities=[municipality("Sala")],
    )
    case_with_children.refresh_from_db()
    assert case_with_children.new_partner is True
    assert sorted(case_with_children.children.values_list("age", "informed")) == [(2, False), (7, True)]
    assert list(case_with_children.excluded_municipalities.all()) == [municipality("Sala")]
    event = CaseEvent.objects.filter(case=case_with_children, kind=EventKind.TARGET_GROUP_UPDATED).get()
    assert event.data == {"fields": ["children", "excluded_municipalities", "new_partner"]}


def test_update_target_group_wrong_person(new_case, officer_koping_colleague, officer_vasteras):
    for actor in (officer_koping_colleague, officer_vasteras):
        with pytest.raises(WorkflowError) as error:
            workflow.case_update_target_group(
                case=new_case,
                actor=actor,
                gender="man",
                adult_confirmed=True,
                new_partner=False,
                outpatient_manageable=True,
                children_ages=[],
                excluded_municipalities=[],
            )
        assert error.value.message == str(workflow.MSG_NOT_ALLOWED)
    new_case.refresh_from_db()
    assert new_case.gender == "woman"


def test_update_target_group_wrong_state(agreed_case, officer_koping):
    with pytest.raises(WorkflowError, match="status"):
        workflow.case_update_target_group(
            case=agreed_case.case,
            actor=officer_koping,
            gender="man",
            adult_confirmed=True,
            new_partner=False,
            outpatient_manageable=True,
            children_ages=[],
            excluded_municipalities=[],
        )


def test_rule_3_excluding_a_municipality_with_open_request_is_refused(sent_case, officer_koping):
    with pytest.raises(WorkflowError, match="Sala"):
        workflow.case_update_target_group(
            case=sent_case.case,
            actor=officer_koping,
            gender="woman",
            adult_confirmed=True,
            new_partner=False,
            outpatient_manageable=True,
            children_ages=[],
            excluded_municipalities=[municipality("Sala")],
        )


# --- rule 2: preparation ------------------------------------------------------------------------------------------


def test_rule_2_preparation_missing_lists_every_item_without_children(new_case):
    missing = workflow.preparation_missing(new_case)
    assert len(missing) == 9
    text = " ".join(missing)
    for word in ("riskbedömning", "polisens", "samtycke", "utredning", "vuxna", "socialnämndens"):
        assert word in text
    assert "barn" not in text
    assert "vårdnad" not in text


def test_rule_2_preparation_missing_asks_child_items_only_with_children(case_with_children):
    missing = workflow.preparation_missing(case_with_children)
    text = " ".join(missing)
    assert "barn 1 (16 år) har informerats" in text
    assert "barn 2 (7 år) har fått lämna synpunkter" in text
    assert "separat analys för barn" in text
    assert "vårdnad och umgänge" in text
    assert len(missing) == 9 + 4 + 2


def test_rule_2_preparation_complete_gives_empty_list(case_with_children, officer_koping):
    complete_preparation(case_with_children, officer_koping)
    assert workflow.preparation_missing(case_with_children) == []


def test_rule_2_other_risk_method_needs_its_name_and_obtained_police_needs_date(new_case, officer_koping):
    complete_preparation(new_case, officer_koping)
    workflow.preparation_update(
        case=new_case,
        actor=officer_koping,
        data={"risk_method": RiskMethod.OTHER, "police_assessment": PoliceAssessment.OBTAINED},
    )
    missing = workflow.preparation_missing(new_case)
    assert missing == ["namnet på den andra metoden för riskbedömning", "datum för polisens bedömning"]


def test_rule_2_sending_refused_until_preparation_complete(new_case, officer_koping):
    fill_form(new_case, officer_koping)
    with pytest.raises(WorkflowError) as error:
        workflow.requests_send(case=new_case, actor=officer_koping, recipients=[municipality("Sala")])
    assert "Det saknas" in error.value.message
    assert "socialnämndens" in error.value.message
    assert not new_case.requests.exists()


def test_preparation_update_records_field_names_only(new_case, officer_koping):
    workflow.preparation_update(case=new_case, actor=officer_koping, data={"notes": "Hemlig anteckning"})
    event = CaseEvent.objects.get(case=new_case, kind=EventKind.PREPARATION_UPDATED)
    assert event.data == {"fields": ["notes"]}


def test_preparation_update_refuses_unknown_field_bad_choice_and_future_date(new_case, officer_koping):
    with pytest.raises(WorkflowError) as error:
        workflow.preparation_update(case=new_case, actor=officer_koping, data={"case": 1})
    assert error.value.field is None
    with pytest.raises(WorkflowError) as error:
        workflow.preparation_update(case=new_case, actor=officer_koping, data={"risk_method": "gissning"})
    assert error.value.field == "risk_method"
    with pytest.raises(WorkflowError) as error:
        workflow.preparation_update(
            case=new_case,
            actor=officer_koping,
            data={"consent_given_on": timezone.localdate() + datetime.timedelta(days=1)},
        )
    assert error.value.message == str(workflow.MSG_FUTURE_DATE)
    assert error.value.field == "consent_given_on"  # pages show it at that field


def test_preparation_update_wrong_person(new_case, officer_koping_colleague, contact_sala):
    for actor in (officer_koping_colleague, contact_sala):
        with pytest.raises(WorkflowError):
            workflow.preparation_update(case=new_case, actor=actor, data={"needs_investigated": True})
    new_case.preparation.refresh_from_db()
    assert new_case.preparation.needs_investigated is False


def test_preparation_update_wrong_state(agreed_case, officer_koping):
    with pytest.raises(WorkflowError):
        workflow.preparation_update(case=agreed_case.case, actor=officer_koping, data={"needs_investigated": False})


def test_rule_2_child_update_allowed_wrong_person_wrong_state(case_with_children, officer_koping, contact_sala):
    child = case_with_children.children.first()
    workflow.child_update(child=child, actor=officer_koping, informed=True, heard=False)
    child.refresh_from_db()
    assert (child.informed, child.heard) == (True, False)
    with pytest.raises(WorkflowError):
        workflow.child_update(child=child, actor=contact_sala, informed=True, heard=True)
    complete_preparation(case_with_children, officer_koping)
    fill_form(case_with_children, officer_koping)
    workflow.requests_send(case=case_with_children, actor=officer_koping, recipients=[municipality("Sala")])
    workflow.case_close(case=case_with_children, actor=officer_koping, outcome="national")
    with pytest.raises(WorkflowError):
        workflow.child_update(child=child, actor=officer_koping, informed=False, heard=False)


def test_rule_2_child_update_after_the_child_was_removed_is_refused_with_a_message(case_with_children, officer_koping):
    """The preparation page was open while the target group page removed a child: a clear refusal, no crash."""
    stale = case_with_children.children.get(age=16)
    update_children(case_with_children, officer_koping, [7])
    events_before = kinds(case_with_children)
    with pytest.raises(WorkflowError) as error:
        workflow.child_update(child=stale, actor=officer_koping, informed=True, heard=True)
    assert error.value.message == str(workflow.MSG_CHILD_GONE)
    assert kinds(case_with_children) == events_before


def test_form_draft_update_allowed_wrong_person_wrong_state(officer_koping, contact_sala, agreed_case):
    new_case = create_case(officer_koping)
    workflow.form_draft_update(case=new_case, actor=officer_koping, sections={"economy": "Försörjningsstöd."})
    new_case.form_draft.refresh_from_db()
    assert new_case.form_draft.economy == "Försörjningsstöd."
    assert CaseEvent.objects.get(case=new_case, kind=EventKind.FORM_UPDATED).data == {"sections": ["economy"]}
    with pytest.raises(WorkflowError):
        workflow.form_draft_update(case=new_case, actor=contact_sala, sections={"economy": "x"})
    with pytest.raises(WorkflowError):
        workflow.form_draft_update(case=new_case, actor=officer_koping, sections={"name": "x"})
    with pytest.raises(WorkflowError):
        workflow.form_draft_update(case=agreed_case.case, actor=officer_koping, sections={"economy": "x"})


# --- rules 3 and 4: sending ----------------------------------------------------------------------------------------


def test_rule_3_rule_4_send_freezes_form_and_sets_reply_by(ready_case, officer_koping):
    """Rule 3: the request carries the form frozen when sent. Rule 4: the reply is due 21 days after sending."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        requests = workflow.requests_send(
            case=ready_case, actor=officer_koping, recipients=[municipality("Sala"), municipality("Arboga")]
        )
    ready_case.refresh_from_db()
    assert ready_case.status == CaseStatus.REQUESTING
    assert [r.recipient.name for r in requests] == ["Arboga", "Sala"]
    for request in requests:
        assert request.status == RequestStatus.SENT
        assert request.reply_by == datetime.date(2026, 3, 23)
        assert request.form == ready_case.form_draft.as_sections()
        assert request.form["applicant"] == FORM["applicant"]
        assert request.round == 1
    # Later edits of the draft do not change what was sent.
    workflow.form_draft_update(case=ready_case, actor=officer_koping, sections={"applicant": "Ändrad text."})
    requests[0].refresh_from_db()
    assert requests[0].form["applicant"] == FORM["applicant"]
    assert kinds(ready_case).count(EventKind.REQUEST_SENT) == 2


def test_rule_3_never_own_municipality(ready_case, officer_koping):
    with pytest.raises(WorkflowError) as error:
        workflow.requests_send(case=ready_case, actor=officer_koping, recipients=[municipality("Köping")])
    assert "egen kommun" in error.value.message


def test_rule_3_never_excluded_municipality(officer_koping):
    case = create_case(officer_koping, excluded=[municipality("Sala")])
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    with pytest.raises(WorkflowError) as error:
        workflow.requests_send(case=case, actor=officer_koping, recipients=[municipality("Sala")])
    assert "spärrad" in error.value.message
    assert workflow.recipient_refusal(case, municipality("Sala")) == error.value.message
    assert workflow.recipient_refusal(case, municipality("Arboga")) is None


def test_rule_3_never_twice_while_open(sent_case, officer_koping):
    with pytest.raises(WorkflowError) as error:
        workflow.requests_send(case=sent_case.case, actor=officer_koping, recipients=[municipality("Sala")])
    assert "öppen förfrågan" in error.value.message


def test_rule_3_same_municipality_again_after_decline(sent_case, officer_koping, contact_arboga):
    workflow.request_decline(
        request=sent_case.arboga,
        actor=contact_arboga,
        ground=DeclineGround.INSUFFICIENT_RESOURCES,
        motivation="Vi saknar stödboende.",
        resources_description="Ett stödboende med fem platser, alla upptagna.",
    )
    [again] = workflow.requests_send(case=sent_case.case, actor=officer_koping, recipients=[municipality("Arboga")])
    assert again.status == RequestStatus.SENT


def test_rule_3_one_to_three_recipients_and_at_most_three_open(sent_case, officer_koping):
    with pytest.raises(WorkflowError) as error:
        workflow.requests_send(case=sent_case.case, actor=officer_koping, recipients=[])
    assert error.value.message == str(workflow.MSG_RECIPIENT_COUNT)
    names = ["Västerås", "Fagersta", "Hallstahammar", "Surahammar"]
    with pytest.raises(WorkflowError):
        workflow.requests_send(case=sent_case.case, actor=officer_koping, recipients=[municipality(n) for n in names])
    with pytest.raises(WorkflowError) as error:
        workflow.requests_send(
            case=sent_case.case, actor=officer_koping, recipients=[municipality(n) for n in names[:2]]
        )
    assert "högst tre" in error.value.message
    workflow.requests_send(case=sent_case.case, actor=officer_koping, recipients=[municipality("Västerås")])
    assert sent_case.case.requests.filter(status=RequestStatus.SENT).count() == 3


def test_rule_3_same_recipient_twice_in_one_send(ready_case, officer_koping):
    with pytest.raises(WorkflowError):
        workflow.requests_send(
            case=ready_case, actor=officer_koping, recipients=[municipality("Sala"), municipality("Sala")]
        )


def test_send_refused_with_empty_form(new_case, officer_koping):
    complete_preparation(new_case, officer_koping)
    with pytest.raises(WorkflowError) as error:
        workflow.requests_send(case=new_case, actor=officer_koping, recipients=[municipality("Sala")])
    assert error.value.message == str(workflow.MSG_FORM_EMPTY)


def test_send_wrong_person(ready_case, officer_koping_colleague, contact_sala):
    for actor in (officer_koping_colleague, contact_sala):
        with pytest.raises(WorkflowError):
            workflow.requests_send(case=ready_case, actor=actor, recipients=[municipality("Arboga")])
    assert not ready_case.requests.exists()


def test_send_wrong_state(agreed_case, officer_koping):
    with pytest.raises(WorkflowError, match="status"):
        workflow.requests_send(case=agreed_case.case, actor=officer_koping, recipients=[municipality("Västerås")])


def test_granted_colleague_may_send(ready_case, officer_koping, officer_koping_colleague):
    from cases.access import case_access_grant

    case_access_grant(case=ready_case, actor=officer_koping, user=officer_koping_colleague)
    [request] = workflow.requests_send(
        case=ready_case, actor=officer_koping_colleague, recipients=[municipality("Sala")]
    )
    assert request.sent_by == officer_koping_colleague


# --- rule 7: withdraw ---------------------------------------------------------------------------------------------


def test_rule_7_sending_side_withdraws_open_request_with_reason(sent_case, officer_koping):
    request = workflow.request_withdraw(request=sent_case.sala, actor=officer_koping, reason="Ny information.")
    assert request.status == RequestStatus.WITHDRAWN
    assert request.closed_at is not None
    assert request.close_reason == "Ny information."
    event = CaseEvent.objects.get(case=sent_case.case, kind=EventKind.REQUEST_WITHDRAWN)
    assert event.request == request
    assert event.data == {"recipient_id": municipality("Sala").pk}


def test_rule_7_withdraw_during_consenting(sent_case, officer_koping, contact_sala):
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult"])
    request = workflow.request_withdraw(request=sent_case.sala, actor=officer_koping, reason="Flyttar själv.")
    assert request.status == RequestStatus.WITHDRAWN


def test_withdraw_needs_reason(sent_case, officer_koping):
    with pytest.raises(WorkflowError):
        workflow.request_withdraw(request=sent_case.sala, actor=officer_koping, reason="  ")


def test_withdraw_wrong_person(sent_case, contact_sala, officer_koping_colleague):
    for actor in (contact_sala, officer_koping_colleague):
        with pytest.raises(WorkflowError) as error:
            workflow.request_withdraw(request=sent_case.sala, actor=actor, reason="x")
        assert error.value.message == str(workflow.MSG_NOT_ALLOWED)


def test_withdraw_wrong_state(sent_case, officer_koping):
    workflow.request_withdraw(request=sent_case.sala, actor=officer_koping, reason="Ett.")
    with pytest.raises(WorkflowError) as error:
        workflow.request_withdraw(request=sent_case.sala, actor=officer_koping, reason="Två.")
    assert "inte längre öppen" in error.value.message


# --- rule 5: acceptance needs every affected unit's consent --------------------------------------------------------


def test_rule_5_start_acceptance_creates_one_consent_per_unit(sent_case, contact_sala):
    request = workflow.request_start_acceptance(
        request=sent_case.sala, actor=contact_sala, units=["adult", "children_family", "adult"]
    )
    assert request.status == RequestStatus.CONSENTING
    assert sorted(request.consents.values_list("unit", flat=True)) == ["adult", "children_family"]
    event = CaseEvent.objects.get(kind=EventKind.ACCEPTANCE_STARTED)
    assert event.data["units"] == ["adult", "children_family"]


def test_rule_5_start_acceptance_needs_units(sent_case, contact_sala):
    with pytest.raises(WorkflowError):
        workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=[])
    with pytest.raises(WorkflowError):
        workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["kitchen"])


def test_start_acceptance_wrong_person(sent_case, contact_arboga, officer_koping, supervisor_sala_adult):
    for actor in (contact_arboga, officer_koping, supervisor_sala_adult):
        with pytest.raises(WorkflowError):
            workflow.request_start_acceptance(request=sent_case.sala, actor=actor, units=["adult"])


def test_start_acceptance_by_any_officer_of_recipient(sent_case, make_user):
    officer = make_user(Role.OFFICER, "Sala", username="officer_sala")
    request = workflow.request_start_acceptance(request=sent_case.sala, actor=officer, units=["adult"])
    assert request.status == RequestStatus.CONSENTING


def test_start_acceptance_wrong_state(sent_case, contact_sala):
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult"])
    with pytest.raises(WorkflowError):
        workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult"])


def test_rule_5_accepted_only_when_every_unit_consented(
    sent_case, contact_sala, supervisor_sala_adult, supervisor_sala_children
):
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult", "children_family"])
    adult = UnitConsent.objects.get(unit="adult")
    children = UnitConsent.objects.get(unit="children_family")
    workflow.consent_give(consent=adult, actor=supervisor_sala_adult)
    sent_case.sala.refresh_from_db()
    sent_case.case.refresh_from_db()
    assert sent_case.sala.status == RequestStatus.CONSENTING
    assert sent_case.case.status == CaseStatus.REQUESTING
    assert not Decision.objects.exists()
    workflow.consent_give(consent=children, actor=supervisor_sala_children)
    sent_case.sala.refresh_from_db()
    assert sent_case.sala.status == RequestStatus.ACCEPTED


def test_rule_5_rule_7_acceptance_effects(agreed_case, contact_sala, supervisor_sala_adult):
    case, sala, arboga = agreed_case.case, agreed_case.sala, agreed_case.arboga
    assert sala.status == RequestStatus.ACCEPTED
    assert sala.decision.outcome == "accept"
    assert sala.decision.decided_by == supervisor_sala_adult
    assert arboga.status == RequestStatus.SUPERSEDED
    assert arboga.closed_at is not None
    assert case.status == CaseStatus.AGREED
    assert case.receiving_municipality == municipality("Sala")
    assert case.collaborations.get().round == 1
    assert case.move_plans.get().round == 1
    superseded = CaseEvent.objects.get(case=case, kind=EventKind.REQUEST_SUPERSEDED)
    assert superseded.request == arboga
    assert superseded.data == {"recipient_id": municipality("Arboga").pk, "accepted_request_id": sala.pk}
    # The contact person sees the case through their office, without a grant.
    assert not has_case_grant(contact_sala, case)
    assert workflow.allowed_actions(case, contact_sala)


def test_rule_5_officer_who_started_acceptance_keeps_working_on_the_case(
    sent_case, make_user, supervisor_sala_adult, contact_sala
):
    officer_sala = make_user(Role.OFFICER, "Sala", username="officer_sala")
    workflow.request_start_acceptance(request=sent_case.sala, actor=officer_sala, units=["adult"])
    workflow.consent_give(consent=sent_case.sala.consents.get(), actor=supervisor_sala_adult)
    assert has_case_grant(officer_sala, sent_case.case)
    event = CaseEvent.objects.get(case=sent_case.case, kind=EventKind.ACCESS_GRANTED)
    assert event.data == {"user_id": officer_sala.pk, "automatic": True}


def test_consent_wrong_person(sent_case, contact_sala, supervisor_sala_children, make_user, officer_koping):
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult"])
    consent = UnitConsent.objects.get()
    other_municipality = make_user(Role.SUPERVISOR, "Arboga", username="supervisor_arboga_adult", unit="adult")
    for actor in (supervisor_sala_children, other_municipality, contact_sala, officer_koping):
        with pytest.raises(WorkflowError) as error:
            workflow.consent_give(consent=consent, actor=actor)
        assert error.value.message == str(workflow.MSG_NOT_ALLOWED)
    assert not workflow.can_consent_give(consent, supervisor_sala_children)


def test_consent_wrong_state(sent_case, contact_sala, supervisor_sala_adult, supervisor_sala_children):
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult", "children_family"])
    consent = UnitConsent.objects.get(unit="adult")
    assert workflow.can_consent_give(consent, supervisor_sala_adult)
    workflow.consent_give(consent=consent, actor=supervisor_sala_adult)
    with pytest.raises(WorkflowError) as error:
        workflow.consent_give(consent=consent, actor=supervisor_sala_adult)
    assert error.value.message == str(workflow.MSG_CONSENT_DONE)


def test_rule_7_consent_on_superseded_request_is_refused(
    sent_case, contact_sala, contact_arboga, supervisor_sala_adult, make_user
):
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult"])
    workflow.request_start_acceptance(request=sent_case.arboga, actor=contact_arboga, units=["adult"])
    arboga_supervisor = make_user(Role.SUPERVISOR, "Arboga", username="supervisor_arboga", unit="adult")
    workflow.consent_give(consent=sent_case.sala.consents.get(), actor=supervisor_sala_adult)
    with pytest.raises(WorkflowError) as error:
        workflow.consent_give(consent=sent_case.arboga.consents.get(), actor=arboga_supervisor)
    assert error.value.message == str(workflow.MSG_CASE_AGREED_ELSEWHERE)
    sent_case.arboga.refresh_from_db()
    assert sent_case.arboga.status == RequestStatus.SUPERSEDED


# --- rule 6: decline ----------------------------------------------------------------------------------------------


def test_rule_6_decline_insufficient_resources_needs_description(sent_case, contact_sala):
    with pytest.raises(WorkflowError) as error:
        workflow.request_decline(
            request=sent_case.sala,
            actor=contact_sala,
            ground=DeclineGround.INSUFFICIENT_RESOURCES,
            motivation="Vi kan inte.",
            resources_description="",
        )
    assert error.value.message == str(workflow.MSG_RESOURCES_REQUIRED)
    request = workflow.request_decline(
        request=sent_case.sala,
        actor=contact_sala,
        ground=DeclineGround.INSUFFICIENT_RESOURCES,
        motivation="Behovet av dygnet-runt-stöd kan inte mötas.",
        resources_description="Öppenvårdsteam med två socionomer.",
    )
    assert request.status == RequestStatus.DECLINED
    assert request.decision.ground == DeclineGround.INSUFFICIENT_RESOURCES
    assert request.decision.decided_by == contact_sala
    event = CaseEvent.objects.get(kind=EventKind.REQUEST_DECLINED)
    assert event.data == {"recipient_id": municipality("Sala").pk, "ground": "insufficient_resources"}


def test_rule_6_decline_needs_motivation(sent_case, contact_sala):
    with pytest.raises(WorkflowError) as error:
        workflow.request_decline(
            request=sent_case.sala,
            actor=contact_sala,
            ground=DeclineGround.INSUFFICIENT_RESOURCES,
            motivation=" ",
            resources_description="Resurser.",
        )
    assert error.value.message == str(workflow.MSG_MOTIVATION_REQUIRED)


@pytest.mark.parametrize("ground", ["housing_shortage", "", "other"])
def test_rule_6_housing_shortage_is_never_a_ground(sent_case, contact_sala, ground):
    with pytest.raises(WorkflowError) as error:
        workflow.request_decline(request=sent_case.sala, actor=contact_sala, ground=ground, motivation="Bostadsbrist.")
    assert "Bostadsbrist är aldrig en grund" in error.value.message
    sent_case.sala.refresh_from_db()
    assert sent_case.sala.status == RequestStatus.SENT


def test_rule_6_rule_8_quota_ground_refused_below_quota(sent_case, contact_sala):
    year = timezone.localdate().year
    sala = municipality("Sala")
    quota = sala.quota_for(year)
    with pytest.raises(WorkflowError) as error:
        workflow.request_decline(
            request=sent_case.sala, actor=contact_sala, ground=DeclineGround.QUOTA_RECEIVED, motivation="Fullt."
        )
    assert error.value.message == str(
        workflow.MSG_QUOTA_NOT_REACHED % {"name": "Sala", "received": 0, "quota": quota, "year": year}
    )
    assert workflow.quota_used(sala, year) == {"received": 0, "handed_over": 0}


def test_rule_6_rule_8_quota_ground_allowed_when_quota_received(sent_case, contact_sala):
    year = timezone.localdate().year
    sala = municipality("Sala")
    QuotaOverride.objects.create(municipality=sala, year=year, quota=1)
    DecisionFactory(request=RequestFactory(recipient=sala, status="accepted"))
    assert workflow.quota_used(sala, year)["received"] == 1
    request = workflow.request_decline(
        request=sent_case.sala,
        actor=contact_sala,
        ground=DeclineGround.QUOTA_RECEIVED,
        motivation="Vi har tagit emot vårt ärende för året.",
        resources_description="ignoreras",
    )
    assert request.decision.ground == DeclineGround.QUOTA_RECEIVED
    assert request.decision.resources_description == ""


def test_decline_wrong_person(sent_case, contact_arboga, officer_koping, supervisor_sala_adult):
    for actor in (contact_arboga, officer_koping, supervisor_sala_adult):
        with pytest.raises(WorkflowError):
            workflow.request_decline(
                request=sent_case.sala,
                actor=actor,
                ground=DeclineGround.INSUFFICIENT_RESOURCES,
                motivation="x",
                resources_description="y",
            )


def test_decline_wrong_state(agreed_case, contact_arboga):
    with pytest.raises(WorkflowError):
        workflow.request_decline(
            request=agreed_case.arboga,
            actor=contact_arboga,
            ground=DeclineGround.INSUFFICIENT_RESOURCES,
            motivation="x",
            resources_description="y",
        )


# --- allowed_actions: the same guards drive the buttons -------------------------------------------------------------


def test_allowed_actions_follow_side_and_state(sent_case, officer_koping, contact_sala, county_staff, contact_arboga):
    case = sent_case.case
    assert Action.REQUESTS_SEND in workflow.allowed_actions(case, officer_koping)
    assert Action.CASE_CLOSE in workflow.allowed_actions(case, officer_koping)
    assert Action.MOVE_CONFIRM not in workflow.allowed_actions(case, officer_koping)
    assert workflow.allowed_actions(case, contact_sala) == set()
    assert workflow.allowed_actions(case, county_staff) == set()
    assert workflow.allowed_request_actions(sent_case.sala, officer_koping) == {Action.REQUEST_WITHDRAW}
    assert workflow.allowed_request_actions(sent_case.sala, contact_sala) == {
        Action.REQUEST_START_ACCEPTANCE,
        Action.REQUEST_DECLINE,
    }
    assert workflow.allowed_request_actions(sent_case.sala, contact_arboga) == set()


def test_allowed_actions_after_agreement(agreed_case, officer_koping, contact_sala):
    case = agreed_case.case
    sending = workflow.allowed_actions(case, officer_koping)
    receiving = workflow.allowed_actions(case, contact_sala)
    assert Action.SENDING_CHECKLIST_UPDATE in sending
    assert Action.RECEIVING_CHECKLIST_UPDATE not in sending
    assert Action.RECEIVING_CHECKLIST_UPDATE in receiving
    assert Action.CASE_CLOSE not in receiving
    assert Action.REQUESTS_SEND not in sending
    assert workflow.allowed_request_actions(agreed_case.arboga, officer_koping) == set()


def test_events_never_hold_free_text(moved_case, officer_koping, contact_sala):
    workflow.meeting_record(
        case=moved_case.case,
        actor=contact_sala,
        kind="follow_up",
        date=timezone.localdate(),
        sending_units=["adult"],
        receiving_units=["adult"],
        notes="Hemlig mötesanteckning",
    )
    workflow.case_close(case=moved_case.case, actor=officer_koping, outcome="moved", note="Hemlig kommentar")
    texts = [*FORM.values(), "Hemlig mötesanteckning", "Hemlig kommentar", "Arbetsanteckning"]
    for data in CaseEvent.objects.values_list("data", flat=True):
        dumped = str(data)
        assert not any(text in dumped for text in texts)
