"""The download views: who may download, the audit record, the neutral attachment."""

import io

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm
from pypdf import PdfReader

from audit.models import AuditAction, AuditEvent
from tests.conftest import password_only_client, verified_client


@pytest.fixture
def sender(filled_request, officer_of_koping):
    """The case officer who sent the request, with access to the case."""
    assign_perm("cases.work_on_case", officer_of_koping, filled_request.case)
    return officer_of_koping


def downloads(user=None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(action=AuditAction.DOWNLOAD)
    return list(events.filter(user=user) if user is not None else events)


def assert_neutral_attachment(response, *, filename: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "no-store" in response["Cache-Control"]
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    info = str(dict(PdfReader(io.BytesIO(pdf)).metadata))
    for word in ("Länskompott", "Västmanland", "Åsa", "Öhrström", "Örjan", "Ärlig", "handlaggare", "arbetsledare"):
        assert word not in info
    return pdf


def test_the_sender_downloads_the_request_form_and_the_download_is_audited(filled_request, sender):
    response = verified_client(sender).get(reverse("documents:request_form", args=[filled_request.pk]))

    assert_neutral_attachment(response, filename=f"{filled_request.case.reference}-underlag.pdf")
    [event] = downloads(sender)
    assert event.object_type == "cases.Request"
    assert event.object_id == str(filled_request.pk)
    assert event.case_id == filled_request.case_id
    assert event.path_name == "documents:request_form"


def test_the_recipient_downloads_the_request_form(filled_request, contact_sala):
    response = verified_client(contact_sala).get(reverse("documents:request_form", args=[filled_request.pk]))

    assert_neutral_attachment(response, filename=f"{filled_request.case.reference}-underlag.pdf")
    assert len(downloads(contact_sala)) == 1


@pytest.mark.parametrize("persona", ["officer_vasteras", "county_staff", "contact_arboga", "officer_koping_colleague"])
def test_nobody_else_gets_the_request_form(request, filled_request, persona):
    user = request.getfixturevalue(persona)

    response = verified_client(user).get(reverse("documents:request_form", args=[filled_request.pk]))

    assert response.status_code == 404
    assert downloads() == []


def test_the_second_factor_is_required(filled_request, sender):
    response = password_only_client(sender).get(reverse("documents:request_form", args=[filled_request.pk]))

    assert response.status_code == 302
    assert downloads() == []


def test_only_get_is_allowed(filled_request, sender):
    response = verified_client(sender).post(reverse("documents:request_form", args=[filled_request.pk]))

    assert response.status_code == 405


def test_an_unanswered_request_has_no_decision_letter(filled_request, sender):
    response = verified_client(sender).get(reverse("documents:decision_letter", args=[filled_request.pk]))

    assert response.status_code == 404
    assert downloads() == []


def test_both_sides_download_the_decision_letter(declined_request, sender, contact_sala):
    url = reverse("documents:decision_letter", args=[declined_request.pk])
    filename = f"{declined_request.case.reference}-beslut.pdf"

    assert_neutral_attachment(verified_client(sender).get(url), filename=filename)
    assert_neutral_attachment(verified_client(contact_sala).get(url), filename=filename)

    events = downloads()
    assert len(events) == 2
    assert {event.object_type for event in events} == {"cases.Decision"}
    assert {event.case_id for event in events} == {declined_request.case_id}


def test_an_unrelated_municipality_gets_no_decision_letter(declined_request, officer_vasteras):
    response = verified_client(officer_vasteras).get(reverse("documents:decision_letter", args=[declined_request.pk]))

    assert response.status_code == 404


@pytest.fixture
def move_plan_sender(move_plan, officer_of_koping):
    assign_perm("cases.work_on_case", officer_of_koping, move_plan.case)
    return officer_of_koping


def test_the_sender_downloads_the_move_plan(move_plan, move_plan_sender):
    response = verified_client(move_plan_sender).get(reverse("documents:move_plan", args=[move_plan.case_id]))

    assert_neutral_attachment(response, filename=f"{move_plan.case.reference}-flyttplan.pdf")
    [event] = downloads(move_plan_sender)
    assert event.object_type == "cases.MovePlan"
    assert event.case_id == move_plan.case_id


@pytest.mark.parametrize("persona", ["officer_vasteras", "county_staff", "officer_koping_colleague"])
def test_nobody_else_gets_the_move_plan(request, move_plan, persona):
    user = request.getfixturevalue(persona)

    response = verified_client(user).get(reverse("documents:move_plan", args=[move_plan.case_id]))

    assert response.status_code == 404
    assert downloads() == []


def test_a_case_without_a_move_plan_has_no_move_plan_document(filled_request, sender):
    response = verified_client(sender).get(reverse("documents:move_plan", args=[filled_request.case_id]))

    assert response.status_code == 404


def test_the_receiving_contact_person_downloads_the_move_plan(move_plan, contact_sala):
    response = verified_client(contact_sala).get(reverse("documents:move_plan", args=[move_plan.case_id]))

    assert_neutral_attachment(response, filename=f"{move_plan.case.reference}-flyttplan.pdf")
    assert len(downloads(contact_sala)) == 1


def test_the_read_is_logged_as_well_as_the_download(filled_request, sender):
    verified_client(sender).get(reverse("documents:request_form", args=[filled_request.pk]))

    actions = list(
        AuditEvent.objects.filter(user=sender, object_type="cases.Request").values_list("action", "path_name")
    )
    assert sorted(actions) == [
        (AuditAction.DOWNLOAD, "documents:request_form"),
        (AuditAction.READ, "documents:request_form"),
    ]
