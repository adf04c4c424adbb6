"""The case pages link to the printable documents (issue 6) for those who may download them."""

from django.urls import reverse

from tests.conftest import verified_client


def test_request_pages_link_to_the_request_form_pdf(sent_case, contact_sala, officer_koping):
    url = reverse("documents:request_form", args=[sent_case.sala.pk])
    for user in (contact_sala, officer_koping):
        page = verified_client(user).get(reverse("cases:request", args=[sent_case.sala.pk]))
        assert url in page.content.decode()
        assert verified_client(user).get(url)["Content-Type"] == "application/pdf"


def test_decided_request_links_to_the_decision_letter(agreed_case, officer_koping):
    request = agreed_case.sala
    page = verified_client(officer_koping).get(reverse("cases:request", args=[request.pk]))
    assert reverse("documents:decision_letter", args=[request.pk]) in page.content.decode()


def test_move_plan_page_links_to_the_move_plan_pdf(agreed_case, officer_koping):
    case = agreed_case.case
    page = verified_client(officer_koping).get(reverse("cases:move_plan", args=[case.pk]))
    assert reverse("documents:move_plan", args=[case.pk]) in page.content.decode()
