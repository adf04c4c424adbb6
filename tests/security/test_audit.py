"""The audit log: append-only, read-only in the admin, readable by supervisors for their cases."""

import re
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from cases.models import Case
from tests.builders import (
    build_agreed_case,
    build_moved_case,
    build_sent_case,
    complete_preparation,
    create_case,
    fill_form,
)
from tests.conftest import PASSWORD, municipality, verified_client
from tests.factories import CaseFactory, RequestFactory


@pytest.fixture
def event(officer_koping) -> AuditEvent:
    return audit_record(action=AuditAction.SIGN_IN, user=officer_koping)


@pytest.mark.postgres
def test_the_orm_cannot_change_or_delete_an_audit_event(event):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists in PostgreSQL only")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.READ)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.organisation = "Annan"
        event.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.SIGN_IN


def test_admin_shows_the_log_read_only(administrator, event):
    client = verified_client(administrator)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    change = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_log_is_closed_to_other_roles(officer_koping, event):
    response = verified_client(officer_koping).get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 302


@pytest.fixture
def cases(vastmanland):
    sala, koping, arboga = municipality("Sala"), municipality("Köping"), municipality("Arboga")
    return {
        "sent_by_sala": CaseFactory(sending_municipality=sala),
        "received_by_sala": CaseFactory(sending_municipality=koping, receiving_municipality=sala),
        "foreign": CaseFactory(sending_municipality=koping, receiving_municipality=arboga),
    }


def test_supervisor_reads_the_log_of_their_municipalitys_cases(
    supervisor_sala_adult, officer_koping, cases, django_assert_max_num_queries
):
    for case in cases.values():
        audit_record(action=AuditAction.READ, user=officer_koping, obj=case)
    client = verified_client(supervisor_sala_adult)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("audit:case_log"))
    assert response.status_code == 200
    shown = {event.case_id for event in response.context["page"].object_list}
    assert shown == {cases["sent_by_sala"].pk, cases["received_by_sala"].pk}
    page = response.content.decode()
    assert cases["sent_by_sala"].reference in page
    assert cases["foreign"].reference not in page

    one = client.get(reverse("audit:case_log"), {"arende": cases["received_by_sala"].reference})
    assert {event.case_id for event in one.context["page"].object_list} == {cases["received_by_sala"].pk}
    foreign = client.get(reverse("audit:case_log"), {"arende": cases["foreign"].reference})
    assert list(foreign.context["page"].object_list) == []


@pytest.mark.parametrize("persona", ["officer_koping", "county_staff", "administrator"])
def test_only_supervisors_read_the_case_log(persona, request):
    user = request.getfixturevalue(persona)
    assert verified_client(user).get(reverse("audit:case_log")).status_code == 403


@pytest.mark.urls("tests.security.canary_urls")
def test_refused_access_to_a_case_is_recorded(officer_vasteras, cases):
    client = verified_client(officer_vasteras)
    case = cases["sent_by_sala"]
    assert client.get(f"/arenden/{case.pk}/").status_code == 404
    denied = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert denied.user == officer_vasteras
    assert (denied.object_type, denied.object_id, denied.case_id) == ("cases.Case", str(case.pk), case.pk)
    assert denied.organisation == "Västerås"
    assert denied.path_name == "test_case_not_yours"


@pytest.mark.urls("tests.security.canary_urls")
def test_refused_access_to_a_request_names_its_case(officer_vasteras, supervisor_sala_adult, vastmanland):
    request = RequestFactory(case__sending_municipality=municipality("Köping"), recipient=municipality("Sala"))
    client = verified_client(officer_vasteras)
    assert client.get(f"/arenden/forfragan/{request.pk}/").status_code == 404
    denied = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert (denied.object_type, denied.object_id, denied.case_id) == ("cases.Request", str(request.pk), request.case_id)
    # The receiving municipality's supervisor sees the attempt in the case log.
    Case.objects.filter(pk=request.case_id).update(receiving_municipality=municipality("Sala"))
    log = verified_client(supervisor_sala_adult).get(reverse("audit:case_log"))
    assert denied in list(log.context["page"].object_list)


def test_refused_pages_without_an_object_are_recorded(officer_vasteras):
    client = verified_client(officer_vasteras)
    assert client.get("/arenden/999999/").status_code == 404
    assert client.get("/rapporter/okand-sida/").status_code == 404
    assert client.get("/dokument/okand.pdf").status_code == 404
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED, user=officer_vasteras)
    assert denied.count() == 3
    assert {event.case_id for event in denied} == {None}
    assert client.get("/kommuner/okand/").status_code == 404
    assert denied.count() == 3


def test_anonymous_404_is_not_recorded_as_denied(db):
    Client().get("/arenden/123/")
    assert not AuditEvent.objects.filter(action=AuditAction.DENIED).exists()


def test_failed_sign_ins_are_recorded_without_the_typed_name(officer_koping):
    client = Client()
    client.post(reverse("accounts:login"), {"username": officer_koping.username, "password": "fel"})
    client.post(reverse("accounts:login"), {"username": "8502151239", "password": "fel"})
    failed = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).order_by("pk")
    assert [event.user for event in failed] == [officer_koping, None]
    assert all("8502151239" not in str(value) for value in failed.values_list())
    client.post(reverse("accounts:login"), {"username": officer_koping.username, "password": PASSWORD})
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, user=officer_koping).exists()


def test_the_case_pages_feed_the_supervisors_log(officer_koping, officer_vasteras, make_user):
    """End to end: a read by the owner and a refused read by an outsider, both in the owner's log."""
    from accounts.models import Role, Unit
    from tests.builders import create_case

    supervisor_koping = make_user(Role.SUPERVISOR, "Köping", username="supervisor_koping", unit=Unit.ADULT)
    case = create_case(officer_koping)
    assert verified_client(officer_koping).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert verified_client(officer_vasteras).get(reverse("cases:detail", args=[case.pk])).status_code == 404

    log = verified_client(supervisor_koping).get(reverse("audit:case_log"))
    events = {(event.user, event.action) for event in log.context["page"].object_list}
    assert (officer_koping, AuditAction.READ) in events
    assert (officer_vasteras, AuditAction.DENIED) in events
    denied = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert (denied.object_type, denied.case_id, denied.path_name) == ("cases.Case", case.pk, "cases:detail")


def test_refused_requests_consents_and_pdfs_name_their_case(officer_vasteras, vastmanland):
    from cases.models import UnitConsent

    item = RequestFactory(case__sending_municipality=municipality("Köping"), recipient=municipality("Sala"))
    consent = UnitConsent.objects.create(request=item, unit="adult")
    client = verified_client(officer_vasteras)
    assert client.get(reverse("cases:request", args=[item.pk])).status_code == 404
    assert client.post(reverse("cases:consent_give", args=[consent.pk])).status_code == 404
    assert client.get(reverse("documents:request_form", args=[item.pk])).status_code == 404
    assert client.get(reverse("documents:move_plan", args=[item.case_id])).status_code == 404
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("pk")
    assert [(event.object_type, event.case_id) for event in denied] == [
        ("cases.Request", item.case_id),
        ("cases.UnitConsent", item.case_id),
        ("cases.Request", item.case_id),
        ("cases.Case", item.case_id),
    ]


@pytest.fixture
def moved(officer_koping, contact_sala, supervisor_sala_adult):
    case = create_case(officer_koping)
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    sent = build_sent_case(case, officer_koping, ("Sala",))
    return build_moved_case(build_agreed_case(sent, contact_sala, supervisor_sala_adult, "Sala"), officer_koping)


def _only_new_event(before: int, **expected) -> AuditEvent:
    """The one new event of the expected action (a PDF is also a read of its case: two rows)."""
    new = list(AuditEvent.objects.filter(pk__gt=before, action=expected["action"]))
    assert len(new) == 1, [(event.action, event.object_type, event.path_name) for event in new]
    event = new[0]
    for field, value in expected.items():
        assert getattr(event, field) == value, (field, getattr(event, field), value)
    return event


@pytest.mark.parametrize(
    ("url_name", "who", "obj", "action", "object_type"),
    [
        ("cases:detail", "officer", "case", AuditAction.READ, "cases.Case"),
        ("cases:preparation", "officer", "case", AuditAction.READ, "cases.Case"),
        ("cases:form_draft", "officer", "case", AuditAction.READ, "cases.Case"),
        ("cases:collaboration", "officer", "case", AuditAction.READ, "cases.Case"),
        ("cases:move_plan", "officer", "case", AuditAction.READ, "cases.Case"),
        ("cases:after_move", "officer", "case", AuditAction.READ, "cases.Case"),
        ("cases:request", "contact", "request", AuditAction.READ, "cases.Request"),  # the decision is on it
        ("documents:request_form", "contact", "request", AuditAction.DOWNLOAD, "cases.Request"),
        ("documents:decision_letter", "contact", "request", AuditAction.DOWNLOAD, "cases.Decision"),
        ("documents:move_plan", "officer", "case", AuditAction.DOWNLOAD, "cases.MovePlan"),
    ],
)
def test_every_read_is_recorded_with_who_where_and_what(
    moved, officer_koping, contact_sala, url_name, who, obj, action, object_type
):
    """Each read of a case, request, decision, move plan or PDF: one row, with user, role, organisation,
    object, action, UTC time, address and page (exports: tests/reports/test_exports.py)."""
    user = {"officer": officer_koping, "contact": contact_sala}[who]
    target = {"case": moved.case, "request": moved.sala}[obj]
    client = verified_client(user)
    before = AuditEvent.objects.order_by("pk").last().pk
    response = client.get(reverse(url_name, args=[target.pk]), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    event = _only_new_event(
        before,
        user=user,
        role=user.role,
        organisation=user.organisation_name,
        action=action,
        object_type=object_type,
        case_id=moved.case.pk,
        address="192.0.2.7",
        path_name=url_name,
    )
    assert event.organisation and event.object_id
    assert event.at.utcoffset().total_seconds() == 0


def test_every_change_is_recorded_with_the_address_in_the_same_transaction(moved, officer_koping):
    from cases import workflow

    client = verified_client(officer_koping)
    before = AuditEvent.objects.order_by("pk").last().pk
    url = reverse("cases:after_move", args=[moved.case.pk])
    response = client.post(
        url,
        {
            "form": "meeting",
            "meeting-date": moved.moved_on.isoformat(),
            "meeting-sending_units": ["adult"],
            "meeting-receiving_units": ["adult"],
        },
        REMOTE_ADDR="192.0.2.8",
    )
    assert response.status_code == 302
    change = AuditEvent.objects.get(pk__gt=before, action=AuditAction.CHANGE)
    assert (change.user, change.role, change.organisation) == (
        officer_koping,
        officer_koping.role,
        officer_koping.organisation_name,
    )
    assert (change.case_id, change.address, change.path_name) == (moved.case.pk, "192.0.2.8", "cases:after_move")

    # A change that is rolled back leaves no audit row: the log is written in the change's transaction.
    before = AuditEvent.objects.order_by("pk").last().pk
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.case_close(case=moved.case, actor=officer_koping, outcome="moved")
        assert AuditEvent.objects.filter(pk__gt=before, action=AuditAction.CHANGE).exists()
        raise RuntimeError
    assert not AuditEvent.objects.filter(pk__gt=before).exists()


@pytest.mark.postgres
def test_the_documented_production_grant_allows_insert_only(event):
    """Run the grant of docs/security.md for a fresh role: it may add to the log, never change or empty it."""
    if connection.vendor != "postgresql":
        pytest.skip("the grant is for PostgreSQL")
    docs = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    grant = re.search(r"```sql\n(.*?)```", docs, re.DOTALL).group(1)
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent" in grant
    role = "lk_audit_grant_test"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role}")
        try:
            cursor.execute(grant.replace("app_role", role))
            cursor.execute(f"SET ROLE {role}")
            with transaction.atomic():
                cursor.execute(
                    "INSERT INTO audit_auditevent (at, role, organisation, action, object_type, object_id, "
                    "path_name) VALUES (now(), '', '', 'read', '', '', '')"
                )
            for statement in (
                "UPDATE audit_auditevent SET action = 'read'",
                "DELETE FROM audit_auditevent",
                "TRUNCATE audit_auditevent",
            ):
                with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                    cursor.execute(statement)
        finally:
            cursor.execute("RESET ROLE")
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
