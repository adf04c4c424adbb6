"""The member directory: municipalities, quota and quota use, contact persons; members only."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from municipalities.models import LusamMeeting, QuotaOverride
from tests.conftest import municipality, password_only_client, verified_client
from tests.factories import CaseFactory, DecisionFactory, RequestFactory

URL = reverse("municipalities:directory")


def test_directory_lists_the_network_with_quota_use_and_contacts(
    officer_koping, contact_sala, supervisor_sala_adult, county_staff, vastmanland
):
    contact_sala.phone = "0224-123 45"
    contact_sala.save(update_fields=["phone"])
    sala, koping = municipality("Sala"), municipality("Köping")
    QuotaOverride.objects.create(municipality=sala, year=2026, quota=4)
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 5, 4, 10, 0)), tick=False):
        case = CaseFactory(sending_municipality=koping, created_by=officer_koping, status="agreed")
        request = RequestFactory(case=case, sender=koping, recipient=sala, status="accepted")
        DecisionFactory(request=request, decided_by=contact_sala, decided_at=timezone.now())
        LusamMeeting.objects.create(network=vastmanland, date=dt.date(2026, 6, 10))
        LusamMeeting.objects.create(network=vastmanland, date=dt.date(2026, 1, 10))
        response = verified_client(officer_koping).get(URL)

    assert response.status_code == 200
    [directory] = response.context["directories"]
    rows = {row.municipality.name: row for row in directory.rows}
    assert len(rows) == 10
    assert (rows["Sala"].quota, rows["Sala"].received, rows["Sala"].handed_over) == (4, 1, 0)
    assert (rows["Köping"].quota, rows["Köping"].received, rows["Köping"].handed_over) == (3, 0, 1)
    assert rows["Sala"].contact_persons == [contact_sala]
    assert rows["Köping"].contact_persons == [officer_koping]
    assert rows["Norberg"].contact_persons == []
    assert [meeting.date for meeting in directory.meetings] == [dt.date(2026, 6, 10)]

    content = response.content.decode()
    assert contact_sala.email in content
    assert 'href="tel:0224-12345"' in content
    assert supervisor_sala_adult.email not in content
    assert "Länsstyrelsen i Västmanlands län" in content
    assert county_staff.email in content
    assert '<th scope="row">' in content


def test_county_staff_and_administrators_see_the_directory(county_staff, administrator, vastmanland):
    for user in (county_staff, administrator):
        response = verified_client(user).get(URL)
        assert response.status_code == 200
        assert [d.network for d in response.context["directories"]] == [vastmanland]


def test_directory_is_for_signed_in_members_only(client, officer_koping):
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))
    assert password_only_client(officer_koping).get(URL)["Location"].startswith(reverse("accounts:verify"))


def test_directory_queries_do_not_grow_with_the_members(officer_koping, make_user):
    client = verified_client(officer_koping)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for name in ("Sala", "Arboga", "Fagersta", "Norberg"):
        make_user("officer", name, is_contact_person=True)
    QuotaOverride.objects.create(municipality=municipality("Sala"), year=timezone.localdate().year, quota=5)
    with CaptureQueriesContext(connection) as more:
        assert client.get(URL).status_code == 200
    assert len(more) == len(few) <= 16


def test_every_role_finds_the_directory_in_the_navigation(officer_koping, supervisor_sala_adult, county_staff):
    for user in (officer_koping, supervisor_sala_adult, county_staff):
        content = verified_client(user).get(URL).content.decode()
        assert '<a href="/kommuner/" aria-current="page">Kommuner</a>' in content
