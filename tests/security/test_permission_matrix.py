"""The permission matrix: every URL has rows; the rows of URLs without an object are checked here.

The full run over case objects (own / foreign) comes with the case pages; see matrix.py.
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


@pytest.mark.parametrize("persona", PERSONAS)
def test_rows_without_an_object(persona, request, vastmanland):
    urls = {url.name: url for url in walk_urls() if not url.has_object}
    rows = [row for row in load_table() if row.persona == persona and row.object == "-" and row.url_name in urls]
    assert rows
    client = _client(persona, request)
    wrong = []
    for row in rows:
        call = client.get if row.method == "GET" else client.post
        response = call(urls[row.url_name].path())
        if not _matches(response, row.expected):
            wrong.append((row.url_name, row.method, row.expected, response.status_code, response.get("Location")))
        if row.url_name == "accounts:logout" and row.method == "POST":
            client = _client(persona, request)
    assert not wrong


def _notification(user, make_user) -> dict:
    from notifications.models import Notification, NotificationKind

    return {"pk": Notification.objects.create(user=user, kind=NotificationKind.CASE_CLOSED).pk}


def _foreign_case_objects() -> dict:
    """Return a case of Fagersta sent to Arboga, with a consent and a cost item: no persona's business."""
    from cases.models import CostItem, UnitConsent
    from tests.conftest import municipality
    from tests.factories import MovePlanFactory, RequestFactory

    request = RequestFactory(
        case__sending_municipality=municipality("Fagersta"), recipient=municipality("Arboga"), status="consenting"
    )
    consent = UnitConsent.objects.create(request=request, unit="adult")
    plan = MovePlanFactory(case=request.case)
    cost = CostItem.objects.create(move_plan=plan, description="Flyttfirma", payer="sending")
    return {"case": request.case, "request": request, "consent": consent, "cost": cost}


def _foreign(kind: str, extra=None):
    def make(user, make_user) -> dict:
        objects = _foreign_case_objects()
        kwargs = {"pk": objects[kind].pk}
        if extra:
            kwargs.update({name: objects[key].pk for name, key in extra.items()})
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

# How to make the object of a row: (persona's user, own?) → URL arguments. URLs of the case pages get theirs
# when the matrix over cases is written; their rows are checked from then on.
OBJECT_MAKERS = {
    "notifications:open": _notification,
    "notifications:read": _notification,
    "cases:consent_give": _foreign("consent"),
    "cases:request": _foreign("request"),
    "cases:decide": _foreign("request"),
    "cases:withdraw": _foreign("request"),
    "cases:cost_remove": _foreign("case", {"item_pk": "cost"}),
    **{f"cases:{name}": _foreign("case") for name in CASE_PAGES},
}
# Makers that build a foreign object only: their "own" rows wait for the matrix over cases.
FOREIGN_ONLY = {name for name in OBJECT_MAKERS if name.startswith("cases:")}


@pytest.mark.parametrize("persona", PERSONAS)
def test_rows_with_an_object(persona, request, make_user):
    stranger = make_user("officer", "Arboga", username="stranger_arboga")
    rows = [row for row in load_table() if row.persona == persona and row.object != "-"]
    wrong, checked = [], 0
    for row in rows:
        maker = OBJECT_MAKERS.get(row.url_name)
        if maker is None or (row.object == "own" and row.url_name in FOREIGN_ONLY):
            continue
        client = _client(persona, request)
        owner = stranger
        if row.object == "own" and persona != "anonymous":
            owner = request.getfixturevalue(PERSONA_FIXTURES[persona])
        path = reverse(row.url_name, kwargs=maker(owner, make_user))
        response = client.get(path) if row.method == "GET" else client.post(path)
        checked += 1
        if not _matches(response, row.expected):
            wrong.append((row.url_name, row.method, row.object, row.expected, response.status_code))
    assert checked
    assert not wrong
