"""County staff keep the LUSAM meeting dates in the app and record which closed cases were presented.

The dates drive the report's default period and the reminder to present a closed case before the next
meeting (issue 5, point 2); marking the records presented is what ends that reminder.
"""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from cases.models import LusamRecord
from municipalities.models import LusamMeeting
from notifications.models import NotificationKind
from notifications.reminders import reminders_scan
from reports import meetings
from tests.reports.conftest import STOCKHOLM

URL = reverse("reports:meetings")


def post(client, **data):
    return client.post(URL, data)


def test_county_staff_add_a_meeting_and_a_second_on_the_same_day_is_refused(
    dataset, vastmanland, county_staff, client_for
):
    client = client_for(county_staff)
    response = post(client, action="add", date="2026-02-10")
    assert response.status_code == 302
    assert list(LusamMeeting.objects.filter(network=vastmanland).values_list("date", flat=True)) == [
        datetime.date(2026, 2, 10)
    ]
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, user=county_staff).count() == 1

    response = post(client, action="add", date="2026-02-10")
    assert response.status_code == 400
    assert "Det finns redan ett LUSAM-möte 2026-02-10." in response.content.decode()
    response = post(client, action="add", date="10/2")
    assert response.status_code == 400
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in response.content.decode()
    assert LusamMeeting.objects.count() == 1

    body = client.get(URL).content.decode()
    assert "2026-02-10" in body
    assert "5 avslutade ärenden har ännu inte redovisats" in body


def test_records_closed_up_to_a_held_meeting_are_marked_presented_at_it(dataset, vastmanland, county_staff, client_for):
    client = client_for(county_staff)
    september = LusamMeeting.objects.create(network=vastmanland, date=datetime.date(2025, 9, 1))
    december = LusamMeeting.objects.create(network=vastmanland, date=datetime.date(2025, 12, 1))

    response = post(client, action="present", meeting=september.pk)
    assert response.status_code == 302
    # Closed 2024-09-01, 04-01, 06-30 and 07-15; the case closed 11-20 waits for the next meeting.
    assert LusamRecord.objects.filter(presented_at=september).count() == 4
    assert LusamRecord.objects.filter(presented_at__isnull=True).get().closed_on == datetime.date(2025, 11, 20)
    assert "4 avslutade ärenden är markerade som redovisade på mötet 2025-09-01." in client.get(URL).content.decode()

    post(client, action="present", meeting=december.pk)
    assert LusamRecord.objects.filter(presented_at=december).count() == 1
    # Marking again changes nothing: each record is presented once, at its first meeting.
    post(client, action="present", meeting=december.pk)
    assert LusamRecord.objects.filter(presented_at=september).count() == 4
    assert "0 avslutade ärenden är markerade" in client.get(URL).content.decode()


def test_a_meeting_not_yet_held_cannot_be_marked_and_a_held_one_cannot_be_removed(
    dataset, vastmanland, county_staff, client_for
):
    client = client_for(county_staff)
    coming = LusamMeeting.objects.create(network=vastmanland, date=datetime.date(2026, 1, 20))
    held = LusamMeeting.objects.create(network=vastmanland, date=datetime.date(2025, 10, 1))

    post(client, action="present", meeting=coming.pk)
    assert "först när mötet har hållits" in client.get(URL).content.decode()
    assert not LusamRecord.objects.filter(presented_at__isnull=False).exists()

    post(client, action="remove", meeting=held.pk)
    assert "Ett möte som redan har hållits kan inte tas bort." in client.get(URL).content.decode()
    post(client, action="remove", meeting=coming.pk)
    assert list(LusamMeeting.objects.values_list("date", flat=True)) == [datetime.date(2025, 10, 1)]

    post(client, action="remove", meeting="not a number")
    assert "Mötet finns inte längre." in client.get(URL).content.decode()


def test_a_meeting_of_another_network_is_not_found(dataset, vastmanland, county_staff, client_for):
    from municipalities.models import Network

    other = Network.objects.create(name="Annat nätverk", slug="annat")
    foreign = LusamMeeting.objects.create(network=other, date=datetime.date(2025, 9, 1))
    client = client_for(county_staff)
    post(client, action="present", meeting=foreign.pk)
    assert "Mötet finns inte längre." in client.get(URL).content.decode()
    assert not LusamRecord.objects.filter(presented_at__isnull=False).exists()
    assert "Annat nätverk" not in client.get(URL).content.decode()


@pytest.mark.parametrize("persona", ["officer_koping", "contact_sala", "supervisor_sala_adult", "administrator"])
def test_only_county_staff_keep_the_meetings(dataset, vastmanland, request, persona, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert post(client, action="add", date="2026-02-10").status_code == 403
    assert not LusamMeeting.objects.exists()
    with pytest.raises(meetings.MeetingError):
        meetings.lusam_meeting_add(actor=request.getfixturevalue(persona), on=datetime.date(2026, 2, 10))


def test_the_report_links_county_staff_to_the_meetings(dataset, county_staff, officer_koping, client_for):
    assert URL in client_for(county_staff).get(reverse("reports:index")).content.decode()
    assert URL not in client_for(officer_koping).get(reverse("reports:index")).content.decode()


def test_presenting_the_records_ends_the_reminder_before_the_next_meeting(
    dataset, vastmanland, county_staff, officer_koping, time_machine
):
    january = meetings.lusam_meeting_add(actor=county_staff, on=datetime.date(2026, 1, 20))
    meetings.lusam_meeting_add(actor=county_staff, on=datetime.date(2026, 3, 10))

    time_machine.move_to(datetime.datetime(2026, 1, 13, 10, tzinfo=STOCKHOLM), tick=False)
    before_january = [r for r in reminders_scan() if r.kind == NotificationKind.LUSAM_REPORT]
    assert len(before_january) == 5

    time_machine.move_to(datetime.datetime(2026, 1, 20, 16, tzinfo=STOCKHOLM), tick=False)
    assert meetings.lusam_records_mark_presented(actor=county_staff, meeting=january) == 5

    time_machine.move_to(datetime.datetime(2026, 3, 3, 10, tzinfo=STOCKHOLM), tick=False)
    assert [r for r in reminders_scan() if r.kind == NotificationKind.LUSAM_REPORT] == []


def test_the_meetings_page_has_accessible_markup(dataset, vastmanland, county_staff, client_for):
    from tests.cases.test_views_markup import _check

    LusamMeeting.objects.create(network=vastmanland, date=datetime.date(2025, 10, 1))
    LusamMeeting.objects.create(network=vastmanland, date=datetime.date(2026, 2, 1))
    client = client_for(county_staff)
    _check(client.get(URL).content.decode(), "meetings")
    refused = post(client, action="add", date="x")
    assert refused.status_code == 400
    _check(refused.content.decode(), "meetings with an error")
