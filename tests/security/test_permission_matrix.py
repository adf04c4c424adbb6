"""The permission matrix: every URL has rows, and every row is checked.

Rows without an object are requested as they are (admin pages get an existing object of their model);
rows with an object get it from OBJECT_KINDS: the case states are built once, through the workflow, and
every request runs in a savepoint that is rolled back, so a POST that changes something (a consent, a
removed cost) leaves the states as they were for the next row. See matrix.py for the columns.
"""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Role, Unit
from tests.builders import (
    build_agreed_case,
    build_consenting_case,
    build_moved_case,
    build_sent_case,
    complete_preparation,
    create_case,
    fill_form,
)
from tests.conftest import municipality, password_only_client, verified_client
from tests.security.matrix import PERSONAS, Row, load_table, rows_without_urls, urls_without_rows, walk_urls

PERSONA_FIXTURES = {
    "password_only": "officer_koping",
    "owner_officer": "officer_koping",
    "recipient_contact": "contact_sala",
    "unit_supervisor": "supervisor_sala_adult",
    "unrelated_officer": "officer_vasteras",
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


def test_no_wildcard_rows():
    assert not [row.url_name for row in load_table() if any(char in row.name for char in "*?[")]


# ---------------------------------------------------------------------------------------------------------------
# The objects
# ---------------------------------------------------------------------------------------------------------------


def _ready_case(officer, children=()):
    case = create_case(officer, children_ages=children)
    complete_preparation(case, officer)
    fill_form(case, officer)
    return case


def _add_cost(case, actor):
    from cases import workflow

    return workflow.cost_item_add(case=case, actor=actor, description="Flyttfirma", amount=None, payer="sending")


def _case_states(*, personas: dict, make_user) -> dict[str, SimpleNamespace]:
    """Build each case state once: ``{object: SimpleNamespace(case, request, consent, cost)}``.

    own: Köping's case sent to Sala and Arboga, Sala asked its adult unit for consent.
    own_agreed: the same journey, Sala accepted; Sala's contact person granted the receiving officer.
    own_moved: as own_agreed, and the move confirmed.
    own_closed: as own_moved, and the case closed (moved).
    foreign: Fagersta's case accepted by Arboga and moved: no persona's business.
    """
    from cases import workflow
    from cases.access import case_access_grant

    owner, contact = personas["owner_officer"], personas["recipient_contact"]
    supervisor, receiving = personas["unit_supervisor"], personas["receiving_officer"]
    states = {}

    sent = build_consenting_case(build_sent_case(_ready_case(owner), owner, ("Sala", "Arboga")), contact, "Sala")
    states["own"] = SimpleNamespace(case=sent.case, request=sent.sala, consent=sent.sala.consents.get(), cost=None)

    for name in ("own_agreed", "own_moved", "own_closed"):
        agreed = build_agreed_case(build_sent_case(_ready_case(owner), owner, ("Sala", "Arboga")), contact, supervisor)
        case_access_grant(case=agreed.case, actor=contact, user=receiving)
        cost = _add_cost(agreed.case, owner)
        if name in ("own_moved", "own_closed"):
            build_moved_case(agreed, owner, days_ago=10)
        if name == "own_closed":
            workflow.case_close(case=agreed.case, actor=owner, outcome="moved")
        states[name] = SimpleNamespace(
            case=agreed.case, request=agreed.sala, consent=agreed.sala.consents.get(), cost=cost
        )

    fagersta = make_user(Role.OFFICER, "Fagersta", username="officer_fagersta", is_contact_person=True)
    arboga = make_user(Role.OFFICER, "Arboga", username="contact_arboga_matrix", is_contact_person=True)
    arboga_adult = make_user(Role.SUPERVISOR, "Arboga", username="supervisor_arboga_adult", unit=Unit.ADULT)
    foreign = build_agreed_case(
        build_sent_case(_ready_case(fagersta), fagersta, ("Arboga",)), arboga, arboga_adult, "Arboga"
    )
    cost = _add_cost(foreign.case, fagersta)
    build_moved_case(foreign, fagersta, days_ago=10)
    states["foreign"] = SimpleNamespace(
        case=foreign.case, request=foreign.arboga, consent=foreign.arboga.consents.get(), cost=cost
    )
    return states


# The object a URL names, and its arguments: URL argument → attribute of the case state.
OBJECT_KINDS = {
    "cases:consent_give": {"pk": "consent"},
    "cases:request": {"pk": "request"},
    "cases:decide": {"pk": "request"},
    "cases:withdraw": {"pk": "request"},
    "cases:cost_remove": {"pk": "case", "item_pk": "cost"},
    **{
        f"cases:{name}": {"pk": "case"}
        for name in (
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
        )
    },
    "documents:request_form": {"pk": "request"},
    "documents:decision_letter": {"pk": "request"},
    "documents:move_plan": {"pk": "case"},
}
NOTIFICATION_URLS = ("notifications:open", "notifications:read")


def _admin_arguments(*, personas: dict, stranger) -> dict[str, dict]:
    """Return the arguments of the admin URLs that name an object: one existing object of each model."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from audit.models import AuditAction, AuditEvent
    from audit.services import audit_record
    from municipalities.models import Network, QuotaOverride

    koping = municipality("Köping")
    audit_record(action=AuditAction.READ, user=personas["administrator"], obj=koping)
    attempt = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "nobody", "http_accept": "*/*"}
    objects = {
        "auth_group": Group.objects.create(name="Matris"),
        "axes_accessattempt": AccessAttempt.objects.create(
            **attempt, path_info="/konto/", get_data="", post_data="", failures_since_start=1
        ),
        "axes_accesslog": AccessLog.objects.create(**attempt, path_info="/konto/"),
        "axes_accessfailurelog": AccessFailureLog.objects.create(**attempt, path_info="/konto/"),
        "accounts_user": stranger,
        "municipalities_network": Network.objects.get(pk=koping.network_id),
        "municipalities_municipality": koping,
        "municipalities_quotaoverride": QuotaOverride.objects.create(
            municipality=koping, year=2026, quota=3, reason="Matris"
        ),
        "audit_auditevent": AuditEvent.objects.order_by("pk").first(),
    }
    arguments = {
        "admin:app_list": {"app_label": "municipalities"},
        "admin:auth_user_password_change": {"id": stranger.pk},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(koping).pk,
            "object_id": koping.pk,
        },
    }
    for model, obj in objects.items():
        for page in ("change", "history", "delete"):
            arguments[f"admin:{model}_{page}"] = {"object_id": obj.pk}
    return arguments


FIXED_ARGUMENTS = {"reports:export": {"key": "lusam-redovisningar", "fmt": "csv"}}


def test_no_row_twice():
    keys = [(row.url_name, row.method, row.persona, row.object) for row in load_table()]
    assert len(keys) == len(set(keys)), sorted({key for key in keys if keys.count(key) > 1})


# A cost item exists once the recipient accepted: its removal has no row for the case in consent.
STATES_OF = {"cases:cost_remove": ("own_agreed", "own_moved", "own_closed", "foreign")}


def test_every_case_page_has_rows_for_every_state():
    """Each case, request and document page is run for every persona in every state, and on a foreign case."""
    present = {(row.url_name, row.method, row.persona, row.object) for row in load_table()}
    missing = [
        (url_name, method, persona, state)
        for url_name in OBJECT_KINDS
        for state in STATES_OF.get(url_name, ("own", "own_agreed", "own_moved", "own_closed", "foreign"))
        for method in ("GET", "POST")
        for persona in PERSONAS
        if (url_name, method, persona, state) not in present
    ]
    assert not missing


# ---------------------------------------------------------------------------------------------------------------
# Running the rows
# ---------------------------------------------------------------------------------------------------------------


def _client(persona: str, user) -> Client:
    if persona == "anonymous":
        return Client()
    return password_only_client(user) if persona == "password_only" else verified_client(user)


def _matches(response, expected: str) -> bool:
    if expected == "login":
        return response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
    if expected == "verify":
        return response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))
    return str(response.status_code) == expected


def _send(client: Client, method: str, path: str, data: dict | None):
    """Make one request in a savepoint that is rolled back: the objects stay as built for the next row."""
    with transaction.atomic():
        response = client.get(path) if method == "GET" else client.post(path, data or {})
        transaction.set_rollback(True)
    return response


def _got(response) -> str:
    location = response.get("Location")
    return f"{response.status_code} → {location}" if location else str(response.status_code)


@pytest.fixture
def matrix_world(request, make_user):
    personas = {persona: request.getfixturevalue(name) for persona, name in PERSONA_FIXTURES.items()}
    personas["receiving_officer"] = make_user(Role.OFFICER, "Sala", username="officer_sala")
    personas["anonymous"] = None
    stranger = make_user(Role.OFFICER, "Arboga", username="stranger_arboga")
    return SimpleNamespace(
        personas=personas,
        stranger=stranger,
        states=_case_states(personas=personas, make_user=make_user),
        admin_arguments=_admin_arguments(personas=personas, stranger=stranger),
    )


def _arguments(row: Row, world, urls: dict) -> dict | None:
    """Return the URL arguments and the POST data of ``row``; raise LookupError when none are known."""
    user = world.personas[row.persona]
    if row.name in NOTIFICATION_URLS:
        from notifications.models import Notification, NotificationKind

        owner = user if row.object == "own" and user is not None else world.stranger
        notification = Notification.objects.create(user=owner, kind=NotificationKind.CASE_CLOSED)
        return {"pk": notification.pk}
    if row.object != "-":
        state = world.states[row.object]
        return {argument: getattr(state, attribute).pk for argument, attribute in OBJECT_KINDS[row.name].items()}
    if not urls[row.name].has_object:
        return None
    arguments = FIXED_ARGUMENTS.get(row.name) or world.admin_arguments.get(row.name)
    if arguments is None:
        raise LookupError("arguments")
    return arguments


def _action_data(row: Row, world) -> dict | None:
    if not row.action:
        return None
    return {"action": row.action, "_selected_action": [world.stranger.pk], "index": 0}


def test_every_row(matrix_world):
    """Request every row of the table as its persona; list every row that answered otherwise."""
    world = matrix_world
    urls = {url.name: url for url in walk_urls()}
    rows = load_table()
    clients = {persona: _client(persona, user) for persona, user in world.personas.items()}
    wrong = []
    for row in rows:
        where = f"{row.url_name} {row.method} {row.persona} {row.object}"
        try:
            arguments = _arguments(row, world, urls)
        except (KeyError, LookupError):
            wrong.append(f"{where}: no object or arguments for this row in test_permission_matrix.py")
            continue
        path = reverse(row.name, kwargs=arguments)
        try:
            response = _send(clients[row.persona], row.method, path, _action_data(row, world))
        except Exception as error:  # noqa: BLE001 - a failing page is a wrong row, listed with the others
            wrong.append(f"{where}: expected {row.expected}, got {type(error).__name__}: {error}")
            continue
        if not _matches(response, row.expected):
            wrong.append(f"{where}: expected {row.expected}, got {_got(response)}")
        if row.name in ("accounts:logout", "admin:logout") and row.method == "POST":
            # Signing out cleared the client's cookies; sign in again for the next rows.
            clients[row.persona] = _client(row.persona, world.personas[row.persona])
    assert not wrong, f"{len(wrong)} of {len(rows)} rows answered otherwise:\n" + "\n".join(wrong)


READ_ONLY_PAGES = (
    "home",
    "cases:list",
    "cases:inbox",
    "cases:consents",
    "municipalities:directory",
    "notifications:list",
    "reports:index",
)


@pytest.mark.parametrize("url_name", READ_ONLY_PAGES)
def test_read_only_pages_answer_head_and_refuse_post(url_name, officer_koping):
    """The pages that only show something answer GET and HEAD; a POST gets 405 (require_safe)."""
    client = verified_client(officer_koping)
    path = reverse(url_name)
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405
