"""The lists cost the same however many cases there are: closed cases and answered requests page by page,
and the case page asks for the user's grant once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import workflow
from cases.views.lists import PAGE_SIZE
from tests.builders import complete_preparation, create_case, fill_form
from tests.conftest import municipality, verified_client

pytestmark = pytest.mark.django_db


def closed_cases(officer, count):
    cases = []
    for _ in range(count):
        case = create_case(officer)
        workflow.case_close(case=case, actor=officer, outcome="not_moved", not_moved_reason="own_solution")
        cases.append(case)
    return cases


def answered_requests(sender, contact, count):
    requests = []
    for _ in range(count):
        case = create_case(sender)
        complete_preparation(case, sender)
        fill_form(case, sender)
        [request] = workflow.requests_send(case=case, actor=sender, recipients=[municipality("Sala")])
        workflow.request_decline(
            request=request,
            actor=contact,
            ground="insufficient_resources",
            motivation="Inga resurser.",
            resources_description="Öppenvården är full.",
        )
        requests.append(request)
    return requests


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_cases_lists_closed_cases_page_by_page_with_the_same_queries(officer_koping, django_assert_max_num_queries):
    open_case = create_case(officer_koping)
    closed = closed_cases(officer_koping, 1)
    client = verified_client(officer_koping)
    url = reverse("cases:list")
    with_one = queries_of(client, url)

    closed += closed_cases(officer_koping, PAGE_SIZE + 2)
    with django_assert_max_num_queries(with_one):
        body = client.get(url).content.decode()
    newest_first = list(reversed(closed))
    assert open_case.reference in body  # open cases are always listed
    assert all(case.reference in body for case in newest_first[:PAGE_SIZE])
    assert not any(case.reference in body for case in newest_first[PAGE_SIZE:])
    assert "Sida 1 av 2" in body

    body = client.get(url, {"sida": 2}).content.decode()
    assert all(case.reference in body for case in newest_first[PAGE_SIZE:])
    assert open_case.reference in body


def test_inbox_lists_answered_requests_page_by_page_with_the_same_queries(
    officer_koping, contact_sala, django_assert_max_num_queries
):
    answered = answered_requests(officer_koping, contact_sala, 1)
    ready = create_case(officer_koping)
    complete_preparation(ready, officer_koping)
    fill_form(ready, officer_koping)
    [waiting] = workflow.requests_send(case=ready, actor=officer_koping, recipients=[municipality("Sala")])
    client = verified_client(contact_sala)
    url = reverse("cases:inbox")
    with_one = queries_of(client, url)

    answered += answered_requests(officer_koping, contact_sala, PAGE_SIZE)
    with django_assert_max_num_queries(with_one):
        body = client.get(url).content.decode()
    assert reverse("cases:request", args=[waiting.pk]) in body  # the open request is always listed
    links = [reverse("cases:request", args=[r.pk]) + '"' for r in answered]
    assert sum(link in body for link in links) == PAGE_SIZE
    assert "Sida 1 av 2" in body
    body = client.get(url, {"sida": 2}).content.decode()
    assert sum(link in body for link in links) == 1


def test_start_page_queries_do_not_grow_with_closed_cases(officer_koping, django_assert_max_num_queries):
    create_case(officer_koping)
    client = verified_client(officer_koping)
    with_one = queries_of(client, reverse("home"))
    closed_cases(officer_koping, 5)
    with django_assert_max_num_queries(with_one):
        body = client.get(reverse("home")).content.decode()
    assert "1 pågående ärende" in body


def test_case_page_asks_for_the_grant_once(sent_case, officer_koping):
    client = verified_client(officer_koping)
    url = reverse("cases:detail", args=[sent_case.case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    grant_queries = [q["sql"] for q in captured if "cases_caseuserobjectpermission" in q["sql"]]
    # One from the selector that fetched the case (visible_cases), one from has_case_grant.
    assert len(grant_queries) == 2, grant_queries


def test_grant_forgets_a_remembered_answer(ready_case, officer_koping_colleague):
    from cases.access import grant, has_case_grant, remember_grants

    case = remember_grants(ready_case)
    assert not has_case_grant(officer_koping_colleague, case)
    grant(case=case, user=officer_koping_colleague)
    assert has_case_grant(officer_koping_colleague, case)
