"""Issue 3's "done when": the demo users of two municipalities carry a case through all ten steps.

Each demo user signs in through the real sign-in pages (password, then the six-digit code of their demo
device), exactly as a new user of the demo would; then every step is one form of the case pages. The
municipality that is not part of the case sees nothing of it at any point.
"""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_PASSWORD, current_code
from cases.models import Case, CaseStatus, Outcome, ReceivingChecklistItem, Request, RequestStatus, SendingChecklistItem
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vastmanland")]


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, username
    code = current_code(TOTPDevice.objects.get(user__username=username))
    assert client.post(reverse("accounts:verify"), {"token": code}).status_code == 302, username
    return client


def ok(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


@override_settings(DEMO_MODE=True)
def test_demo_users_of_koping_and_sala_carry_a_case_through_all_ten_steps():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    today = timezone.localdate().isoformat()
    koping = sign_in("koping.handlaggare")
    sala = sign_in("sala.kontakt")
    sala_adult = sign_in("sala.vuxen")
    arboga = sign_in("arboga.kontakt")

    # 1. New case and preparation.
    ok(
        koping.post(
            reverse("cases:create"), {"gender": "woman", "adult_confirmed": "on", "outpatient_manageable": "on"}
        )
    )
    case = Case.objects.get()
    ok(
        koping.post(
            reverse("cases:preparation", args=[case.pk]),
            {
                "prep-risk_method": "sara",
                "prep-risk_assessed_on": today,
                "prep-police_assessment": "not_relevant",
                "prep-consent_given_on": today,
                "prep-needs_investigated": "on",
                "prep-adult_analysis_done": "on",
                "prep-custody_assessed": "on",
                "prep-committee_assessed_on": today,
                "prep-committee_move_necessary": "on",
                "prep-committee_within_county": "on",
            },
        )
    )
    # 2. Request form.
    ok(koping.post(reverse("cases:form_draft", args=[case.pk]), {"applicant": "Kvinna i 40-årsåldern."}))
    # 3. Recipients and send.
    ok(koping.post(reverse("cases:send", args=[case.pk]), {"recipients": [municipality("Sala").pk]}))
    request = Request.objects.get(case=case)
    # 4. Sala's inbox.
    assert "Er tur: besvara förfrågan, 21 dagar kvar" in sala.get(reverse("cases:inbox")).content.decode()
    assert case.reference not in arboga.get(reverse("cases:inbox")).content.decode()
    # 5. Decision: the adult unit's supervisor consents on their own page.
    ok(sala.post(reverse("cases:decide", args=[request.pk]), {"decision": "accept", "accept-units": ["adult"]}))
    consent = request.consents.get()
    assert case.reference in sala_adult.get(reverse("cases:consents")).content.decode()
    ok(sala_adult.post(reverse("cases:consent_give", args=[consent.pk])))
    # 6. Agreement.
    request.refresh_from_db()
    case.refresh_from_db()
    assert (request.status, case.status) == (RequestStatus.ACCEPTED, CaseStatus.AGREED)
    # 7. Collaboration.
    collaboration = reverse("cases:collaboration", args=[case.pk])
    ok(
        sala.post(
            collaboration,
            {
                "form": "meeting",
                "meeting-date": today,
                "meeting-sending_units": ["adult"],
                "meeting-receiving_units": ["adult"],
            },
        )
    )
    ok(
        sala.post(
            collaboration, {"form": "collaboration", "written_consent_on": today, "investigation_started_on": today}
        )
    )
    # 8. Move plan and the move.
    plan = reverse("cases:move_plan", args=[case.pk])
    ok(
        koping.post(
            plan,
            {"form": "plan", "plan-sending_checklist": [SendingChecklistItem.MOVING_FIRM], "plan-who_packs": "Firma"},
        )
    )
    ok(
        sala.post(
            plan,
            {"form": "plan", "plan-receiving_checklist": [ReceivingChecklistItem.POLICE], "plan-who_packs": "Firma"},
        )
    )
    ok(
        koping.post(
            plan, {"form": "cost", "cost-description": "Flyttfirma", "cost-amount": "9000", "cost-payer": "sending"}
        )
    )
    ok(koping.post(plan, {"form": "move", "move-moved_on": today}))
    # 9. After the move: the joint follow-up meeting.
    ok(
        sala.post(
            reverse("cases:after_move", args=[case.pk]),
            {
                "form": "meeting",
                "meeting-date": today,
                "meeting-sending_units": ["adult"],
                "meeting-receiving_units": ["adult"],
            },
        )
    )
    # 10. Closing, with the LUSAM record filled from the case.
    ok(koping.post(reverse("cases:close", args=[case.pk]), {"outcome": Outcome.MOVED}))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.lusam_record.destination == municipality("Sala")
    assert list(case.lusam_record.asked.all()) == [municipality("Sala")]

    # Arboga, never asked, saw none of it.
    for name in ("cases:detail", "cases:move_plan"):
        assert arboga.get(reverse(name, args=[case.pk])).status_code == 404
    assert arboga.get(reverse("cases:request", args=[request.pk])).status_code == 404
