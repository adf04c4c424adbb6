"""The audit log: append-only, read-only in the admin, readable by supervisors for their cases."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from cases.models import Case
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
    from cases.workflow import case_create

    supervisor_koping = make_user(Role.SUPERVISOR, "Köping", username="supervisor_koping", unit=Unit.ADULT)
    case = case_create(
        actor=officer_koping,
        gender="woman",
        adult_confirmed=True,
        new_partner=False,
        outpatient_manageable=True,
        children_ages=[],
        excluded_municipalities=[],
    )
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
