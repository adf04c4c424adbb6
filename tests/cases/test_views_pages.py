"""Every case page renders for the user it is for and answers 404 to an officer of an unrelated municipality."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import MovePlan
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def _get(user, url):
    return verified_client(user).get(url)


@pytest.mark.parametrize(
    "name",
    ["cases:detail", "cases:target_group", "cases:preparation", "cases:form_draft", "cases:send", "cases:close"],
)
def test_sending_side_pages_of_a_case_in_preparation(name, new_case, officer_koping, officer_vasteras):
    url = reverse(name, args=[new_case.pk])
    response = _get(officer_koping, url)
    assert response.status_code == 200
    body = response.content.decode()
    assert new_case.reference in body
    assert "Er tur: förberedelse och förfrågningsunderlag" in body  # every case page says whose turn it is
    assert _get(officer_vasteras, url).status_code == 404


@pytest.mark.parametrize("name", ["cases:detail", "cases:collaboration", "cases:move_plan", "cases:access"])
def test_shared_pages_after_agreement(name, agreed_case, officer_koping, contact_sala, officer_vasteras):
    url = reverse(name, args=[agreed_case.case.pk])
    assert _get(officer_koping, url).status_code == 200
    assert _get(contact_sala, url).status_code == 200
    assert _get(officer_vasteras, url).status_code == 404


def test_after_move_page(moved_case, officer_koping, contact_sala, officer_vasteras):
    url = reverse("cases:after_move", args=[moved_case.case.pk])
    response = _get(officer_koping, url)
    assert response.status_code == 200
    assert "Gemensamt uppföljningsmöte senast" in response.content.decode()
    assert _get(contact_sala, url).status_code == 200
    assert _get(officer_vasteras, url).status_code == 404


def test_shared_pages_do_not_exist_before_agreement(sent_case, officer_koping):
    url = reverse("cases:move_plan", args=[sent_case.case.pk])
    assert _get(officer_koping, url).status_code == 404


@pytest.mark.parametrize("name", ["cases:request", "cases:decide"])
def test_request_pages_for_the_recipient(name, sent_case, contact_sala, contact_arboga, officer_vasteras):
    url = reverse(name, args=[sent_case.sala.pk])
    response = _get(contact_sala, url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kvinna i 30-årsåldern" in body  # the frozen form
    assert _get(contact_arboga, url).status_code == 404
    assert _get(officer_vasteras, url).status_code == 404


def test_withdraw_page_for_the_sender(sent_case, officer_koping, contact_sala, officer_vasteras):
    url = reverse("cases:withdraw", args=[sent_case.sala.pk])
    assert _get(officer_koping, url).status_code == 200
    assert _get(officer_vasteras, url).status_code == 404


def test_preparation_notes_never_reach_the_receiving_side(agreed_case, contact_sala):
    client = verified_client(contact_sala)
    for url in (
        reverse("cases:detail", args=[agreed_case.case.pk]),
        reverse("cases:request", args=[agreed_case.sala.pk]),
    ):
        body = client.get(url).content.decode()
        assert "Arbetsanteckning som bara överlämnande kommun ser" not in body
    for name in ("cases:preparation", "cases:form_draft", "cases:send", "cases:target_group", "cases:close"):
        assert client.get(reverse(name, args=[agreed_case.case.pk])).status_code == 404


def test_list_pages_render(sent_case, officer_koping, contact_sala, officer_vasteras):
    body = _get(officer_koping, reverse("cases:list")).content.decode()
    assert sent_case.case.reference in body
    assert "Väntar på svar från Sala, 21 dagar kvar" in body
    body = _get(contact_sala, reverse("cases:inbox")).content.decode()
    assert sent_case.case.reference in body
    assert "21 dagar kvar" in body
    assert sent_case.case.reference not in _get(officer_vasteras, reverse("cases:list")).content.decode()
    assert sent_case.case.reference not in _get(officer_vasteras, reverse("cases:inbox")).content.decode()


def test_consents_page_for_the_supervisor(sent_case, contact_sala, supervisor_sala_adult, supervisor_sala_children):
    client = verified_client(contact_sala)
    client.post(reverse("cases:decide", args=[sent_case.sala.pk]), {"decision": "accept", "accept-units": ["adult"]})
    body = _get(supervisor_sala_adult, reverse("cases:consents")).content.decode()
    assert sent_case.case.reference in body
    assert sent_case.case.reference not in _get(supervisor_sala_children, reverse("cases:consents")).content.decode()
    consent = sent_case.sala.consents.get()
    url = reverse("cases:consent_give", args=[consent.pk])
    assert verified_client(supervisor_sala_children).post(url).status_code == 404


def test_start_page_per_role(sent_case, officer_koping, contact_sala, supervisor_sala_adult, county_staff):
    assert "1 pågående ärende" in _get(officer_koping, reverse("home")).content.decode()
    assert "1 förfrågan väntar på ert svar" in _get(contact_sala, reverse("home")).content.decode()
    assert "väntar på ditt samtycke" in _get(supervisor_sala_adult, reverse("home")).content.decode()
    assert _get(county_staff, reverse("home")).status_code == 200


def test_create_page_only_for_officers(officer_koping, supervisor_sala_adult, county_staff):
    assert _get(officer_koping, reverse("cases:create")).status_code == 200
    assert _get(supervisor_sala_adult, reverse("cases:create")).status_code == 404
    assert _get(county_staff, reverse("cases:create")).status_code == 404


def test_county_staff_see_no_case(agreed_case, county_staff):
    client = verified_client(county_staff)
    assert client.get(reverse("cases:detail", args=[agreed_case.case.pk])).status_code == 404
    assert client.get(reverse("cases:request", args=[agreed_case.sala.pk])).status_code == 404
    assert agreed_case.case.reference not in client.get(reverse("cases:list")).content.decode()


def test_move_plan_exists_for_agreed_case(agreed_case):
    assert MovePlan.objects.filter(case=agreed_case.case).exists()


def test_consent_button_is_404_for_anyone_but_the_unit_supervisor(sent_case, contact_sala, officer_vasteras):
    verified_client(contact_sala).post(
        reverse("cases:decide", args=[sent_case.sala.pk]), {"decision": "accept", "accept-units": ["adult"]}
    )
    consent = sent_case.sala.consents.get()
    url = reverse("cases:consent_give", args=[consent.pk])
    assert verified_client(officer_vasteras).post(url).status_code == 404
    assert verified_client(contact_sala).post(url).status_code == 404
    assert verified_client(officer_vasteras).get(reverse("cases:consents")).status_code == 200
    consent.refresh_from_db()
    assert consent.consented_at is None


def test_economic_agreement_is_shown_with_the_agreed_date(agreed_case, officer_koping, contact_sala):
    url = reverse("cases:move_plan", args=[agreed_case.case.pk])
    response = verified_client(contact_sala).post(
        url,
        {
            "form": "economic",
            "economic-agreed_date": "2030-03-01",
            "economic-note": "Sala tar över tidigare.",
            "economic-recorded_on": "2020-01-01",
        },
    )
    assert response.status_code == 302
    body = verified_client(officer_koping).get(url).content.decode()
    assert "2030-03-01" in body and "överenskommet datum" in body
    assert "Sala tar över tidigare." in body


def test_inbox_marks_overdue_requests(sent_case, contact_sala, officer_koping):
    """Rule 4: three weeks to answer; after that the request is marked overdue on both sides."""
    later = timezone.now() + datetime.timedelta(days=25)
    with time_machine.travel(later, tick=False):
        body = verified_client(contact_sala).get(reverse("cases:inbox")).content.decode()
        assert "Försenad" in body
        assert "Er tur: besvara förfrågan, 4 dagar försenat" in body
        body = verified_client(officer_koping).get(reverse("cases:list")).content.decode()
        assert "Väntar på svar från Sala, 4 dagar försenat" in body


def test_tampered_posts_get_a_clear_answer_not_an_error(agreed_case, officer_koping):
    client = verified_client(officer_koping)
    case = agreed_case.case
    assert client.post(reverse("cases:access", args=[case.pk]), {"form": "revoke", "user": "x"}).status_code == 404
    assert client.post(reverse("cases:move_plan", args=[case.pk]), {"form": "nonsense"}).status_code == 200
    response = client.post(reverse("cases:move_plan", args=[case.pk]), {"form": "cost", "cost-amount": "abc"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    # The sending side may not tick the receiving side's checklist, even by a crafted post.
    response = client.post(
        reverse("cases:move_plan", args=[case.pk]),
        {"form": "plan", "plan-receiving_checklist": ["police"], "plan-planned_move_date": ""},
    )
    assert response.status_code == 302
    assert not any(case.move_plans.get().receiving_checklist.values())
    # Preparation can no longer be changed after agreement: the workflow's message is shown.
    response = client.post(reverse("cases:preparation", args=[case.pk]), {"prep-notes": "Ny anteckning"})
    assert response.status_code == 200
    assert "Det går inte att göra detta när ärendet har status" in response.content.decode()


def test_supervisor_reads_the_request_and_consents_from_it(sent_case, contact_sala, supervisor_sala_adult):
    verified_client(contact_sala).post(
        reverse("cases:decide", args=[sent_case.sala.pk]), {"decision": "accept", "accept-units": ["adult"]}
    )
    client = verified_client(supervisor_sala_adult)
    body = client.get(reverse("cases:request", args=[sent_case.sala.pk])).content.decode()
    assert "Kvinna i 30-årsåldern" in body
    assert "Samtyck för Vuxen" in body
    consent = sent_case.sala.consents.get()
    response = client.post(reverse("cases:consent_give", args=[consent.pk]))
    assert response.status_code == 302
    sent_case.sala.refresh_from_db()
    assert sent_case.sala.status == "accepted"
    assert "Samtyck för Vuxen" not in client.get(reverse("cases:request", args=[sent_case.sala.pk])).content.decode()


def test_receiving_contact_person_grants_a_colleague(agreed_case, contact_sala, make_user):
    colleague = make_user("officer", "Sala", username="officer_sala")
    case = agreed_case.case
    assert verified_client(colleague).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    response = verified_client(contact_sala).post(
        reverse("cases:access", args=[case.pk]), {"form": "grant", "user": colleague.pk}
    )
    assert response.status_code == 302
    assert verified_client(colleague).get(reverse("cases:move_plan", args=[case.pk])).status_code == 200


def test_send_page_shows_earlier_answers_and_why_not(sent_case, officer_koping, contact_arboga):
    verified_client(contact_arboga).post(
        reverse("cases:decide", args=[sent_case.arboga.pk]),
        {
            "decision": "decline",
            "decline-ground": "insufficient_resources",
            "decline-motivation": "Kan inte tillgodose behovet.",
            "decline-resources_description": "Liten vuxenenhet.",
        },
    )
    body = verified_client(officer_koping).get(reverse("cases:send", args=[sent_case.case.pk])).content.decode()
    assert "Nekad (" in body and "Kommunens interna resurser kan inte tillgodose behovet" in body
    assert "Sala har redan en öppen förfrågan i ärendet." in body
    assert "Köping är ärendets egen kommun och kan inte tillfrågas." in body


def test_send_page_says_three_are_already_open(ready_case, officer_koping):
    from cases import workflow
    from tests.conftest import municipality

    recipients = [municipality(name) for name in ("Sala", "Arboga", "Fagersta")]
    workflow.requests_send(case=ready_case, actor=officer_koping, recipients=recipients)
    body = verified_client(officer_koping).get(reverse("cases:send", args=[ready_case.pk])).content.decode()
    assert "Ärendet har redan tre öppna förfrågningar." in body
    assert "Kan väljas</span>" not in body


def test_case_pages_need_both_sign_in_steps(new_case, officer_koping):
    from django.test import Client

    from tests.conftest import password_only_client

    url = reverse("cases:detail", args=[new_case.pk])
    response = Client().get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    response = password_only_client(officer_koping).get(url)
    assert response.status_code == 302 and reverse("accounts:verify") in response.url


def test_start_page_lists_the_cases_where_it_is_our_turn(sent_case, officer_koping):
    from tests.cases.conftest import create_case

    other = create_case(officer_koping)
    body = _get(officer_koping, reverse("home")).content.decode()
    assert "2 pågående ärenden" in body
    assert f"{other.reference}</a>: Er tur: förberedelse och förfrågningsunderlag" in body
    assert f"{sent_case.case.reference}</a>:" not in body  # waiting for the answers


def test_decide_page_says_which_units_have_no_supervisor(sent_case, contact_sala, supervisor_sala_adult):
    body = _get(contact_sala, reverse("cases:decide", args=[sent_case.sala.pk])).content.decode()
    assert "Ekonomiskt bistånd (ingen arbetsledare registrerad)" in body
    assert "Vuxen (ingen arbetsledare registrerad)" not in body


def test_access_page_lists_who_holds_access_on_the_own_side(agreed_case, officer_koping, contact_sala, make_user):
    from cases.access import case_access_grant

    case = agreed_case.case
    colleague = make_user("officer", "Köping", username="colleague_koping")
    officer_sala = make_user("officer", "Sala", username="officer_sala")
    case_access_grant(case=case, actor=officer_koping, user=colleague)
    case_access_grant(case=case, actor=contact_sala, user=officer_sala)
    url = reverse("cases:access", args=[case.pk])
    revoke = 'name="user" value="{}"'
    body = _get(officer_koping, url).content.decode()
    assert revoke.format(colleague.pk) in body
    assert revoke.format(officer_sala.pk) not in body
    body = _get(contact_sala, url).content.decode()
    assert revoke.format(officer_sala.pk) in body
    assert revoke.format(colleague.pk) not in body
    assert revoke.format(officer_koping.pk) not in body


def _section(body: str, heading_id: str) -> str:
    """Return the HTML of the ``<section>`` labelled by ``heading_id``."""
    start = body.index(f'aria-labelledby="{heading_id}"')
    return body[start : body.index("</section>", start)]


def test_case_page_shows_the_plans_next_steps_for_each_side_in_each_state(
    agreed_case, officer_koping, contact_sala, supervisor_sala_adult
):
    sending = _section(
        _get(officer_koping, reverse("cases:detail", args=[agreed_case.case.pk])).content.decode(), "steps-heading"
    )
    receiving = _section(
        _get(contact_sala, reverse("cases:detail", args=[agreed_case.case.pk])).content.decode(), "steps-heading"
    )
    for body in (sending, receiving):
        assert "Överlämnande kommun" in body and "Mottagande kommun" in body
        # After agreement: the sending side books the pre-meeting, the receiving side investigates after consent.
        assert "Boka och medverka på förmöte med berörda enheter i båda kommunerna." in body
        assert "Inled utredning enligt 11 kap. 1 § SoL efter skriftligt samtycke från den enskilde." in body
        # Not the steps of another state.
        assert "Skriv det avidentifierade förfrågningsunderlaget och skicka förfrågan." not in body
    # Each reader's own column is marked.
    assert sending.index("er sida") < sending.index("Mottagande kommun")
    assert receiving.index("er sida") > receiving.index("Mottagande kommun")


def test_case_page_in_preparation_shows_the_preparation_steps(new_case, officer_koping):
    body = _section(_get(officer_koping, reverse("cases:detail", args=[new_case.pk])).content.decode(), "steps-heading")
    assert "Genomför en aktuell, strukturerad riskbedömning (till exempel FREDA eller SARA)." in body
    assert "Inget att göra i detta skede." in body  # the receiving column, before anyone is asked


def test_case_page_timeline_says_who_when_and_what(sent_case, officer_koping):
    body = _get(officer_koping, reverse("cases:detail", args=[sent_case.case.pk])).content.decode()
    timeline = _section(body, "timeline-heading")
    sent_event = sent_case.case.events.filter(kind="request_sent").first()
    assert f'datetime="{timezone.localtime(sent_event.at).isoformat()}"' in timeline
    assert "Förfrågan skickad" in timeline and "Ärendet skapades" in timeline
    assert f"{officer_koping.get_full_name()}, Köping" in timeline


def test_closed_case_page_says_whether_the_lusam_record_was_presented(moved_case, officer_koping, county_staff):
    from cases import workflow
    from municipalities.models import LusamMeeting
    from reports.meetings import lusam_records_mark_presented

    workflow.case_close(case=moved_case.case, actor=officer_koping, outcome="moved")
    url = reverse("cases:detail", args=[moved_case.case.pk])
    body = _section(_get(officer_koping, url).content.decode(), "lusam-heading")
    assert "Inte ännu – redovisa ärendet på nästa LUSAM-möte" in body

    meeting = LusamMeeting.objects.create(network=county_staff.network, date=timezone.localdate())
    assert lusam_records_mark_presented(actor=county_staff, meeting=meeting) == 1
    body = _section(_get(officer_koping, url).content.decode(), "lusam-heading")
    assert f"På mötet {timezone.localdate().isoformat()}" in body
