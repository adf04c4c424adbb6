"""A whole case carried through every step of the plan in the browser (the test client).

Köping sends; Sala accepts with the consent of its adult and children units; Arboga declines.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.events import EventKind
from cases.models import (
    Case,
    CaseStatus,
    CostItem,
    DeclineGround,
    Outcome,
    ReceivingChecklistItem,
    Request,
    RequestStatus,
    SendingChecklistItem,
)
from tests.conftest import municipality, verified_client

pytestmark = pytest.mark.django_db


def _ok(response, expected_url=None):
    """Assert a successful POST (a redirect), not a page with errors."""
    if response.status_code != 302:
        body = response.content.decode()
        start = body.find("error-summary")
        raise AssertionError(f"expected a redirect, got {response.status_code}: {body[start : start + 800]}")
    if expected_url:
        assert response.url == expected_url
    return response


def test_a_case_through_every_step(
    officer_koping, contact_sala, supervisor_sala_adult, supervisor_sala_children, contact_arboga
):
    today = timezone.localdate()
    koping = verified_client(officer_koping)
    sala = verified_client(contact_sala)
    arboga = verified_client(contact_arboga)

    # 1. New case: target group and the municipality that must never be asked.
    vasteras = municipality("Västerås")
    response = koping.post(
        reverse("cases:create"),
        {
            "gender": "woman",
            "adult_confirmed": "on",
            "outpatient_manageable": "on",
            "children_ages": "7, 16",
            "excluded_municipalities": [vasteras.pk],
        },
    )
    case = Case.objects.get()
    _ok(response, reverse("cases:preparation", args=[case.pk]))
    assert case.status == CaseStatus.PREPARATION
    assert sorted(child.age for child in case.children.all()) == [7, 16]

    # 2. Preparation (rule 2): the page lists what is missing, then everything is recorded.
    body = koping.get(reverse("cases:preparation", args=[case.pk])).content.decode()
    assert "Det här saknas innan en förfrågan kan skickas" in body
    assert "för sin egen talan" in body  # the child of 16
    data = {
        "prep-risk_method": "freda",
        "prep-risk_assessed_on": today.isoformat(),
        "prep-police_assessment": "not_relevant",
        "prep-consent_given_on": today.isoformat(),
        "prep-needs_investigated": "on",
        "prep-adult_analysis_done": "on",
        "prep-children_analysis_done": "on",
        "prep-custody_assessed": "on",
        "prep-committee_assessed_on": today.isoformat(),
        "prep-committee_move_necessary": "on",
        "prep-committee_within_county": "on",
        "prep-notes": "Arbetsanteckning: bara för Köping.",
    }
    for child in case.children.all():
        data[f"child-{child.pk}-informed"] = "on"
        data[f"child-{child.pk}-heard"] = "on"
    _ok(koping.post(reverse("cases:preparation", args=[case.pk]), data))
    assert "Förberedelsen är klar" in koping.get(reverse("cases:preparation", args=[case.pk])).content.decode()

    # 3. The request form: nine sections with the plan's guiding questions.
    body = koping.get(reverse("cases:form_draft", args=[case.pk])).content.decode()
    assert "Var befinner sig personen i dagsläget?" in body
    _ok(
        koping.post(
            reverse("cases:form_draft", args=[case.pk]),
            {"applicant": "Kvinna i 30-årsåldern med två barn.", "housing": "Tre rum, bottenvåning."},
        )
    )

    # 4. Recipients (rule 3): the excluded municipality is shown with why it cannot be chosen.
    body = koping.get(reverse("cases:send", args=[case.pk])).content.decode()
    assert "Västerås är spärrad i det här ärendet" in body
    assert "Köping är ärendets egen kommun" in body
    sala_m, arboga_m = municipality("Sala"), municipality("Arboga")
    _ok(koping.post(reverse("cases:send", args=[case.pk]), {"recipients": [sala_m.pk, arboga_m.pk]}))
    to_sala = Request.objects.get(case=case, recipient=sala_m)
    to_arboga = Request.objects.get(case=case, recipient=arboga_m)
    assert to_sala.reply_by == today + datetime.timedelta(days=21)
    body = koping.get(reverse("cases:list")).content.decode()
    assert "Väntar på svar från Sala, 21 dagar kvar" in body
    assert "Väntar på svar från Arboga, 21 dagar kvar" in body

    # 5. The receiving side reads the frozen form, never the working notes.
    body = sala.get(reverse("cases:request", args=[to_sala.pk])).content.decode()
    assert "Kvinna i 30-årsåldern med två barn." in body
    assert "Arbetsanteckning" not in body
    assert "Er tur: besvara förfrågan, 21 dagar kvar" in body

    # 6. Arboga declines (rule 6): the quota ground is refused while below quota, then resources.
    decide_arboga = reverse("cases:decide", args=[to_arboga.pk])
    body = arboga.get(decide_arboga).content.decode()
    assert "Bostadsbrist i kommunen är aldrig en grund" in body
    response = arboga.post(
        decide_arboga,
        {"decision": "decline", "decline-ground": DeclineGround.QUOTA_RECEIVED, "decline-motivation": "Fullt."},
    )
    assert response.status_code == 200
    assert "kan inte användas: Arboga har tagit emot 0 av 2 ärenden" in response.content.decode()
    to_arboga.refresh_from_db()
    assert to_arboga.status == RequestStatus.SENT
    _ok(
        arboga.post(
            decide_arboga,
            {
                "decision": "decline",
                "decline-ground": DeclineGround.INSUFFICIENT_RESOURCES,
                "decline-motivation": "Behovet av stöd kan inte tillgodoses i dag.",
                "decline-resources_description": "En socialsekreterare på vuxenenheten, ingen samtalskontakt.",
            },
        )
    )
    to_arboga.refresh_from_db()
    assert to_arboga.status == RequestStatus.DECLINED

    # 7. Sala accepts (rule 5): two affected units, each supervisor consents.
    _ok(
        sala.post(
            reverse("cases:decide", args=[to_sala.pk]),
            {"decision": "accept", "accept-units": ["adult", "children_family"]},
        )
    )
    to_sala.refresh_from_db()
    assert to_sala.status == RequestStatus.CONSENTING
    body = sala.get(reverse("cases:request", args=[to_sala.pk])).content.decode()
    assert "Samtycken från berörda enheter" in body and "Väntar" in body
    adult_consent = to_sala.consents.get(unit="adult")
    children_consent = to_sala.consents.get(unit="children_family")
    _ok(verified_client(supervisor_sala_adult).post(reverse("cases:consent_give", args=[adult_consent.pk])))
    to_sala.refresh_from_db()
    assert to_sala.status == RequestStatus.CONSENTING
    _ok(verified_client(supervisor_sala_children).post(reverse("cases:consent_give", args=[children_consent.pk])))
    to_sala.refresh_from_db()
    case.refresh_from_db()
    assert to_sala.status == RequestStatus.ACCEPTED
    assert case.status == CaseStatus.AGREED
    assert case.receiving_municipality == sala_m

    assert "Er tur: förmöte med berörda enheter" in sala.get(reverse("cases:list")).content.decode()

    # 8. Collaboration (rule 9): pre-meeting with both sides' units, consent and investigation dates.
    collab = reverse("cases:collaboration", args=[case.pk])
    _ok(
        koping.post(
            collab,
            {
                "form": "meeting",
                "meeting-date": today.isoformat(),
                "meeting-sending_units": ["adult", "children_family"],
                "meeting-receiving_units": ["adult", "economic_aid"],
            },
        )
    )
    _ok(
        sala.post(
            collab,
            {
                "form": "collaboration",
                "written_consent_on": today.isoformat(),
                "investigation_started_on": today.isoformat(),
                "authority_agreements": "Inskrivning på Arbetsförmedlingen ordnas av Sala.",
            },
        )
    )
    body = sala.get(collab).content.decode()
    assert "Ekonomiskt bistånd" in body  # the meeting's units by their names
    assert "Er tur: flyttplan och flytt" in koping.get(reverse("cases:list")).content.decode()

    # 9. Move plan (rules 10–11): each side's checklist, costs, Tax Agency gate, the move.
    plan_url = reverse("cases:move_plan", args=[case.pk])
    _ok(
        koping.post(
            plan_url,
            {
                "form": "plan",
                "plan-sending_checklist": [item.value for item in SendingChecklistItem],
                "plan-who_packs": "Flyttfirma från annan ort.",
                "plan-protected_data_applied": "on",
                "plan-planned_move_date": today.isoformat(),
            },
        )
    )
    _ok(
        sala.post(
            plan_url,
            {
                "form": "plan",
                "plan-receiving_checklist": [item.value for item in ReceivingChecklistItem],
                "plan-who_packs": "Flyttfirma från annan ort.",
                "plan-protected_data_applied": "on",
                "plan-planned_move_date": today.isoformat(),
            },
        )
    )
    plan = case.move_plans.get()
    assert all(plan.sending_checklist.values()) and all(plan.receiving_checklist.values())
    _ok(
        koping.post(
            plan_url,
            {"form": "cost", "cost-description": "Flyttfirma", "cost-amount": "12000", "cost-payer": "sending"},
        )
    )
    _ok(koping.post(plan_url, {"form": "cost", "cost-description": "Hemutrustning", "cost-payer": "sending"}))
    extra = CostItem.objects.get(description="Hemutrustning")
    _ok(koping.post(reverse("cases:cost_remove", args=[case.pk, extra.pk])))
    assert list(plan.cost_items.values_list("description", flat=True)) == ["Flyttfirma"]

    # The move cannot be confirmed while the Tax Agency's decision is missing.
    response = koping.post(plan_url, {"form": "move", "move-moved_on": today.isoformat()})
    assert response.status_code == 200
    assert "flytten kan inte bekräftas förrän Skatteverkets beslut är registrerat" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    _ok(sala.post(plan_url, {"form": "tax", "tax-decided_on": today.isoformat()}))
    _ok(koping.post(plan_url, {"form": "move", "move-moved_on": today.isoformat()}))
    case.refresh_from_db()
    assert case.status == CaseStatus.MOVED
    body = koping.get(plan_url).content.decode()
    economic = (today.replace(day=1) + datetime.timedelta(days=62)).replace(day=1)
    assert economic.isoformat() in body  # move month plus one month

    due = koping.get(reverse("cases:list")).content.decode()
    assert "Er tur: gemensamt uppföljningsmöte senast" in due

    # 10. After the move (rule 13): the joint follow-up meeting.
    after = reverse("cases:after_move", args=[case.pk])
    _ok(
        sala.post(
            after,
            {
                "form": "meeting",
                "meeting-date": today.isoformat(),
                "meeting-sending_units": ["adult"],
                "meeting-receiving_units": ["adult"],
            },
        )
    )

    # 11. Closing (rule 14): the LUSAM record is shown read-only, filled from the case.
    _ok(koping.post(reverse("cases:close", args=[case.pk]), {"outcome": Outcome.MOVED}))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    body = koping.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "LUSAM-redovisning" in body
    assert "Kvinna med barn" in body
    assert "Arboga, Sala" in body
    assert "Flyttade till" in body

    # The timeline holds every step, with who and when.
    kinds = set(case.events.values_list("kind", flat=True))
    for kind in (
        EventKind.CASE_CREATED,
        EventKind.REQUEST_SENT,
        EventKind.REQUEST_DECLINED,
        EventKind.CONSENT_GIVEN,
        EventKind.REQUEST_ACCEPTED,
        EventKind.MEETING_RECORDED,
        EventKind.TAX_AGENCY_DECISION,
        EventKind.MOVE_CONFIRMED,
        EventKind.CASE_CLOSED,
    ):
        assert kind in kinds
    assert str(EventKind.MOVE_CONFIRMED.label) in body
    assert "Förfrågan nekad</strong> – Arboga: Kommunens interna resurser kan inte tillgodose behovet" in body
    assert "Vuxen, Barn och familj" in body  # the units chosen when Sala started accepting
    assert officer_koping.get_full_name() in body


def test_withdraw_a_request_with_a_reason(sent_case, officer_koping, contact_sala):
    url = reverse("cases:withdraw", args=[sent_case.arboga.pk])
    client = verified_client(officer_koping)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Detta fält måste fyllas i" in response.content.decode() or "måste" in response.content.decode()
    _ok(client.post(url, {"reason": "Den enskilde vill inte flytta dit."}))
    sent_case.arboga.refresh_from_db()
    assert sent_case.arboga.status == RequestStatus.WITHDRAWN
    # The recipient cannot withdraw.
    response = verified_client(contact_sala).post(
        reverse("cases:withdraw", args=[sent_case.sala.pk]), {"reason": "Nej."}
    )
    assert response.status_code == 200
    assert "Du har inte behörighet" in response.content.decode()
    sent_case.sala.refresh_from_db()
    assert sent_case.sala.status == RequestStatus.SENT


def test_close_as_not_moved_before_the_move(agreed_case, officer_koping):
    url = reverse("cases:close", args=[agreed_case.case.pk])
    client = verified_client(officer_koping)
    response = client.post(url, {"outcome": Outcome.NOT_MOVED})
    assert response.status_code == 200
    assert "Välj varför flytten inte blev av." in response.content.decode()
    _ok(
        client.post(
            url, {"outcome": Outcome.NOT_MOVED, "not_moved_reason": "consent_withdrawn", "note": "Ångrade sig."}
        )
    )
    agreed_case.case.refresh_from_db()
    assert agreed_case.case.status == CaseStatus.CLOSED
    body = client.get(reverse("cases:detail", args=[agreed_case.case.pk])).content.decode()
    assert "Ja, av Sala" in body  # Sala had accepted first
    assert "Den enskilde återkallade sitt samtycke" in body


def test_revealed_within_two_months_starts_a_new_round(moved_case, officer_koping):
    url = reverse("cases:after_move", args=[moved_case.case.pk])
    _ok(
        verified_client(officer_koping).post(url, {"form": "revealed", "revealed-on": timezone.localdate().isoformat()})
    )
    moved_case.case.refresh_from_db()
    assert moved_case.case.status == CaseStatus.PREPARATION
    assert moved_case.case.round == 2
    # The new round keeps the history and never asks the revealed home town again.
    client = verified_client(officer_koping)
    body = client.get(reverse("cases:send", args=[moved_case.case.pk])).content.decode()
    assert "Sala är spärrad i det här ärendet och får aldrig tillfrågas." in body
    body = client.get(reverse("cases:detail", args=[moved_case.case.pk])).content.decode()
    assert "Omgång 2" in body
    assert "Flytt bekräftad" in body  # the first round's history is still on the timeline


def test_access_grant_and_revoke(new_case, officer_koping, officer_koping_colleague):
    url = reverse("cases:access", args=[new_case.pk])
    client = verified_client(officer_koping)
    colleague_client = verified_client(officer_koping_colleague)
    assert colleague_client.get(reverse("cases:detail", args=[new_case.pk])).status_code == 404
    _ok(client.post(url, {"form": "grant", "user": officer_koping_colleague.pk}))
    assert colleague_client.get(reverse("cases:detail", args=[new_case.pk])).status_code == 200
    _ok(client.post(url, {"form": "revoke", "user": officer_koping_colleague.pk}))
    assert colleague_client.get(reverse("cases:detail", args=[new_case.pk])).status_code == 404
