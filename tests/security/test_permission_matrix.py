"""The permission matrix: every URL has rows, and every row is checked.

Rows without an object are requested as they are; rows with an own or foreign object get it from
OBJECT_MAKERS (a URL with an object but no maker fails here). The case pages' own rows describe a case in
consent: sent by Köping to Sala, waiting for the consent of Sala's adult unit. See matrix.py.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import password_only_client, verified_client
from tests.security.matrix import PERSONAS, Row, load_table, rows_without_urls, urls_without_rows, walk_urls

PERSONA_FIXTURES = {
    "password_only": "officer_koping",
    "owner_officer": "officer_koping",
    "recipient_contact": "contact_sala",
    "unrelated_officer": "officer_vasteras",
    "unit_supervisor": "supervisor_sala_adult",
    "county_staff": "county_staff",
    "administrator": "administrator",
}


def test_every_url_has_a_row():
    missing = urls_without_rows(walk_urls(), load_table())
    assert not missing, f"URLs without a row in permission_matrix.csv: {missing}"


def test_every_row_names_a_url():
    assert not rows_without_urls(walk_urls(), load_table())


def test_a_url_without_a_row_fails():
    rows = [Row("home", "GET", "anonymous", "-", "login")]
    assert urls_without_rows(walk_urls(), rows) != []
    assert urls_without_rows([u for u in walk_urls() if u.name == "home"], rows) == []


def test_every_url_has_a_row_for_every_persona():
    rows = load_table()
    for url in walk_urls():
        personas = {row.persona for row in rows if row.covers(url.name) and row.method == "GET"}
        assert personas == set(PERSONAS), url.name


def _client(persona: str, request) -> Client:
    if persona == "anonymous":
        return Client()
    user = request.getfixturevalue(PERSONA_FIXTURES[persona])
    return password_only_client(user) if persona == "password_only" else verified_client(user)


def _matches(response, expected: str) -> bool:
    if expected == "login":
        return response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
    if expected == "verify":
        return response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))
    return str(response.status_code) == expected


# URL arguments that name no object of a person (a report table and a file format).
FIXED_ARGUMENTS = {"reports:export": {"key": "lusam-redovisningar", "fmt": "csv"}}


@pytest.mark.parametrize("persona", PERSONAS)
def test_rows_without_an_object(persona, request, vastmanland):
    urls = {url.name: url for url in walk_urls()}
    rows = [row for row in load_table() if row.persona == persona and row.object == "-" and row.url_name in urls]
    assert rows
    client = _client(persona, request)
    wrong = []
    for row in rows:
        call = client.get if row.method == "GET" else client.post
        url = urls[row.url_name]
        if url.has_object and row.url_name not in FIXED_ARGUMENTS:
            wrong.append((row.url_name, "arguments but no FIXED_ARGUMENTS entry"))
            continue
        response = call(reverse(row.url_name, kwargs=FIXED_ARGUMENTS.get(row.url_name)))
        if not _matches(response, row.expected):
            wrong.append((row.url_name, row.method, row.expected, response.status_code, response.get("Location")))
        if row.url_name == "accounts:logout" and row.method == "POST":
            client = _client(persona, request)
    assert not wrong


def _notification(*, own: bool, persona_user, stranger, request) -> dict:
    from notifications.models import Notification, NotificationKind

    owner = persona_user if own and persona_user is not None else stranger
    return {"pk": Notification.objects.create(user=owner, kind=NotificationKind.CASE_CLOSED).pk}


def _case_objects(*, own: bool, request) -> dict:
    """Return a case with a request in consent, a unit consent, a move plan and a cost item.

    Own: Köping's case (created by the owner officer), sent to Sala, consent asked of Sala's adult unit,
    so that it is the business of the owner officer, the recipient contact and the unit supervisor.
    Foreign: Fagersta's case sent to Arboga, no persona's business.
    """
    from cases.models import Case, CostItem, UnitConsent
    from cases.workflow import case_create
    from tests.conftest import municipality
    from tests.factories import MovePlanFactory, RequestFactory

    if own:
        officer = request.getfixturevalue("officer_koping")
        case = case_create(
            actor=officer,
            gender="woman",
            adult_confirmed=True,
            new_partner=False,
            outpatient_manageable=True,
            children_ages=[],
            excluded_municipalities=[],
        )
        Case.objects.filter(pk=case.pk).update(status="requesting")
        item = RequestFactory(case=case, recipient=municipality("Sala"), status="consenting", sent_by=officer)
    else:
        item = RequestFactory(
            case__sending_municipality=municipality("Fagersta"), recipient=municipality("Arboga"), status="consenting"
        )
    consent = UnitConsent.objects.create(request=item, unit="adult")
    plan = MovePlanFactory(case=item.case)
    cost = CostItem.objects.create(move_plan=plan, description="Flyttfirma", payer="sending")
    return {"case": item.case, "request": item, "consent": consent, "cost": cost}


def _case_object(kind: str, extra: dict | None = None):
    def make(*, own: bool, persona_user, stranger, request) -> dict:
        objects = _case_objects(own=own, request=request)
        kwargs = {"pk": objects[kind].pk}
        kwargs.update({name: objects[key].pk for name, key in (extra or {}).items()})
        return kwargs

    return make


CASE_PAGES = [
    "detail",
    "target_group",
    "preparation",
    "form_draft",
    "send",
    "collaboration",
    "move_plan",
    "after_move",
    "close",
    "access",
]

# How to make the object of a row (own or foreign) → URL arguments. Add one per URL with an object.
OBJECT_MAKERS = {
    "notifications:open": _notification,
    "notifications:read": _notification,
    "cases:consent_give": _case_object("consent"),
    "cases:request": _case_object("request"),
    "cases:decide": _case_object("request"),
    "cases:withdraw": _case_object("request"),
    "cases:cost_remove": _case_object("case", {"item_pk": "cost"}),
    **{f"cases:{name}": _case_object("case") for name in CASE_PAGES},
    "documents:request_form": _case_object("request"),
    "documents:decision_letter": _case_object("request"),
    "documents:move_plan": _case_object("case"),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_rows_with_an_object(persona, request, make_user):
    stranger = make_user("officer", "Arboga", username="stranger_arboga")
    persona_user = None if persona == "anonymous" else request.getfixturevalue(PERSONA_FIXTURES[persona])
    rows = [row for row in load_table() if row.persona == persona and row.object != "-"]
    wrong, checked = [], 0
    for row in rows:
        maker = OBJECT_MAKERS.get(row.url_name)
        if maker is None:
            wrong.append((row.url_name, "no object maker in OBJECT_MAKERS"))
            continue
        kwargs = maker(own=row.object == "own", persona_user=persona_user, stranger=stranger, request=request)
        client = _client(persona, request)
        path = reverse(row.url_name, kwargs=kwargs)
        response = client.get(path) if row.method == "GET" else client.post(path)
        checked += 1
        if not _matches(response, row.expected):
            wrong.append((row.url_name, row.method, row.object, row.expected, response.status_code))
    assert checked
    assert not wrong
