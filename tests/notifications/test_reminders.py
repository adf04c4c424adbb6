"""Each reminder at its exact day boundary: the day before nothing, the day sent, the day after not again."""

import datetime

import pytest
from django.core import mail

from cases import deadlines
from cases.models import LusamRecord, Meeting
from municipalities.models import LusamMeeting
from notifications.models import Notification, NotificationKind, Reminder
from notifications.reminders import reminders_scan
from tests.conftest import municipality
from tests.notifications.conftest import SENT_ON, at, move

Kind = NotificationKind
DAY = datetime.timedelta(days=1)
MOVED_ON = datetime.date(2026, 5, 12)
REPLY_BY = SENT_ON + datetime.timedelta(days=21)


def scan(day: datetime.date) -> list[Reminder]:
    with at(day):
        return reminders_scan()


def notified(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def assert_boundary(kind: str, first_day: datetime.date, usernames: set[str]) -> None:
    """Nothing of ``kind`` the day before ``first_day``; sent to ``usernames`` on it; not again the day after."""
    assert [r for r in scan(first_day - DAY) if r.kind == kind] == []
    assert notified(kind) == set()

    sent = [r for r in scan(first_day) if r.kind == kind]
    assert len(sent) == 1
    assert sent[0].due_on == first_day
    assert sent[0].sent_at is not None
    assert notified(kind) == usernames
    emailed_on = set(Notification.objects.filter(kind=kind).values_list("emailed_at", flat=True))

    assert [r for r in scan(first_day + DAY) if r.kind == kind] == []
    assert Notification.objects.filter(kind=kind).count() == len(usernames)
    assert Reminder.objects.filter(kind=kind).count() == 1
    # Each e-mail of this kind went out once, on the day.
    assert set(Notification.objects.filter(kind=kind).values_list("emailed_at", flat=True)) == emailed_on
    assert None not in emailed_on


# --- Reply deadline -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reply_seven_days_left_to_the_receiving_contact_persons(request_to_sala, supervisor_sala_adult):
    assert_boundary(Kind.REPLY_7_DAYS, REPLY_BY - 7 * DAY, {"contact_sala"})


@pytest.mark.django_db
def test_reply_one_day_left_to_the_receiving_contact_persons(request_to_sala):
    assert_boundary(Kind.REPLY_1_DAY, REPLY_BY - DAY, {"contact_sala"})


@pytest.mark.django_db
def test_reply_overdue_after_day_21_to_both_sides(request_to_sala, officer_vasteras, contact_arboga):
    assert deadlines.reply_by(SENT_ON) == REPLY_BY
    assert_boundary(Kind.REPLY_OVERDUE, REPLY_BY + DAY, {"officer_koping", "contact_sala"})


@pytest.mark.django_db
def test_answered_request_is_not_reminded(request_to_sala):
    request_to_sala.status = "declined"
    request_to_sala.save(update_fields=["status"])
    for day in (REPLY_BY - 7 * DAY, REPLY_BY - DAY, REPLY_BY + DAY):
        assert scan(day) == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_reply_reminders_run_in_order_through_the_three_weeks(request_to_sala):
    kinds = []
    for offset in range(0, 30):
        kinds += [r.kind for r in scan(SENT_ON + offset * DAY)]
    assert kinds == [Kind.REPLY_7_DAYS, Kind.REPLY_1_DAY, Kind.REPLY_OVERDUE]


# --- Move planned without the Tax Agency's decision ---------------------------------------------------------


@pytest.fixture
def planned_move(agreed_case):
    plan = agreed_case.move_plans.get()
    plan.protected_data_applied = True
    plan.planned_move_date = datetime.date(2026, 5, 20)
    plan.save(update_fields=["protected_data_applied", "planned_move_date"])
    return plan


@pytest.mark.django_db
def test_move_within_seven_days_without_tax_agency_decision_to_both_sides(planned_move):
    first = planned_move.planned_move_date - 7 * DAY
    assert_boundary(Kind.PROTECTED_DATA_MISSING, first, {"officer_koping", "contact_sala"})


@pytest.mark.django_db
def test_move_with_tax_agency_decision_is_not_reminded(planned_move):
    planned_move.protected_data_decided_on = datetime.date(2026, 5, 1)
    planned_move.save(update_fields=["protected_data_decided_on"])
    assert scan(planned_move.planned_move_date - 3 * DAY) == []


# --- After the move -----------------------------------------------------------------------------------------


@pytest.fixture
def moved_case(agreed_case):
    move(agreed_case, MOVED_ON)
    return agreed_case


@pytest.mark.django_db
def test_follow_up_due_three_weeks_after_the_move_to_both_sides(moved_case):
    assert_boundary(Kind.FOLLOW_UP_DUE, deadlines.follow_up_reminder(MOVED_ON), {"officer_koping", "contact_sala"})


@pytest.mark.django_db
def test_follow_up_overdue_after_one_month_to_both_sides(moved_case):
    first = deadlines.follow_up_due(MOVED_ON) + DAY
    assert first == datetime.date(2026, 6, 13)
    assert_boundary(Kind.FOLLOW_UP_OVERDUE, first, {"officer_koping", "contact_sala"})


@pytest.mark.django_db
def test_recorded_follow_up_meeting_stops_the_reminders(moved_case, officer_koping):
    Meeting.objects.create(
        case=moved_case, round=1, kind="follow_up", date=MOVED_ON + 10 * DAY, recorded_by=officer_koping
    )
    for day in (deadlines.follow_up_reminder(MOVED_ON), deadlines.follow_up_due(MOVED_ON) + DAY):
        assert [r for r in scan(day) if r.kind in (Kind.FOLLOW_UP_DUE, Kind.FOLLOW_UP_OVERDUE)] == []


@pytest.mark.django_db
def test_economic_responsibility_seven_days_before_to_both_sides(moved_case):
    passes_on = deadlines.economic_responsibility_date(MOVED_ON)
    assert passes_on == datetime.date(2026, 7, 1)
    assert_boundary(Kind.ECONOMIC_7_DAYS, passes_on - 7 * DAY, {"officer_koping", "contact_sala"})


@pytest.mark.django_db
def test_economic_responsibility_on_the_day_to_both_sides(moved_case):
    assert_boundary(
        Kind.ECONOMIC_TODAY, deadlines.economic_responsibility_date(MOVED_ON), {"officer_koping", "contact_sala"}
    )


@pytest.mark.django_db
def test_economic_responsibility_follows_the_agreed_date(moved_case):
    plan = moved_case.move_plans.get()
    plan.economic_agreement_date = datetime.date(2026, 8, 15)
    plan.save(update_fields=["economic_agreement_date"])
    assert [r for r in scan(datetime.date(2026, 7, 1)) if r.kind == Kind.ECONOMIC_TODAY] == []
    assert_boundary(Kind.ECONOMIC_TODAY, datetime.date(2026, 8, 15), {"officer_koping", "contact_sala"})


@pytest.mark.django_db
def test_end_of_the_two_month_period_to_both_sides(moved_case):
    assert_boundary(Kind.TWO_MONTH_END, deadlines.two_month_end(MOVED_ON), {"officer_koping", "contact_sala"})


@pytest.mark.django_db
def test_receiving_officers_granted_the_case_are_on_the_receiving_side(moved_case, make_user):
    from guardian.shortcuts import assign_perm

    officer_sala = make_user("officer", "Sala", username="officer_sala")
    assign_perm("cases.work_on_case", officer_sala, moved_case)
    assert_boundary(
        Kind.TWO_MONTH_END, deadlines.two_month_end(MOVED_ON), {"officer_koping", "contact_sala", "officer_sala"}
    )


# --- LUSAM report -------------------------------------------------------------------------------------------


@pytest.fixture
def closed_unreported(moved_case, vastmanland):
    moved_case.status = "closed"
    moved_case.outcome = "moved"
    moved_case.closed_at = datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC)
    moved_case.save(update_fields=["status", "outcome", "closed_at"])
    record = LusamRecord.objects.create(
        case=moved_case,
        sending_municipality=municipality("Köping"),
        target_group="woman_no_children",
        outcome="moved",
        destination=municipality("Sala"),
        moved_on=MOVED_ON,
        closed_on=datetime.date(2026, 9, 1),
    )
    LusamMeeting.objects.create(network=vastmanland, date=datetime.date(2026, 9, 3))
    LusamMeeting.objects.create(network=vastmanland, date=datetime.date(2026, 10, 15))
    return record


@pytest.mark.django_db
def test_unreported_closed_case_reminds_the_sending_contact_person_before_the_next_lusam_meeting(closed_unreported):
    # Closed two days before a meeting: reminded at once for that one (its week had begun).
    assert [r.kind for r in scan(datetime.date(2026, 9, 1))] == [Kind.LUSAM_REPORT]
    assert Reminder.objects.get(kind=Kind.LUSAM_REPORT).due_on == datetime.date(2026, 8, 27)
    # Not presented at it: reminded again a week before the next one, to Köping's contact person only.
    assert_boundary_next = datetime.date(2026, 10, 8)
    assert [r for r in scan(assert_boundary_next - DAY) if r.kind == Kind.LUSAM_REPORT] == []
    assert [r.kind for r in scan(assert_boundary_next) if r.kind == Kind.LUSAM_REPORT] == [Kind.LUSAM_REPORT]
    assert [r for r in scan(assert_boundary_next + DAY) if r.kind == Kind.LUSAM_REPORT] == []
    assert notified(Kind.LUSAM_REPORT) == {"officer_koping"}
    assert Notification.objects.filter(kind=Kind.LUSAM_REPORT).count() == 2


@pytest.mark.django_db
def test_lusam_boundary_for_a_case_closed_well_before(closed_unreported):
    LusamMeeting.objects.filter(date=datetime.date(2026, 9, 3)).delete()
    assert_boundary(Kind.LUSAM_REPORT, datetime.date(2026, 10, 8), {"officer_koping"})


@pytest.mark.django_db
def test_presented_record_is_not_reminded(closed_unreported):
    closed_unreported.presented_at = LusamMeeting.objects.first()
    closed_unreported.save(update_fields=["presented_at"])
    assert scan(datetime.date(2026, 10, 8)) == []


# --- Exactly once -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scanning_twice_records_and_sends_once(request_to_sala):
    day = REPLY_BY - 7 * DAY
    first = scan(day)
    assert len(first) == 1
    outbox = len(mail.outbox)
    assert outbox == 1
    assert scan(day) == []
    assert len(mail.outbox) == outbox
    assert Reminder.objects.count() == 1
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_email_leaves_the_claim_unsent_and_the_next_scan_sends_it(request_to_sala, settings):
    day = REPLY_BY - 7 * DAY
    settings.EMAIL_BACKEND = "tests.notifications.mail.FailingBackend"
    assert scan(day) == []
    reminder = Reminder.objects.get()
    assert reminder.sent_at is None
    assert reminder.attempts == 1
    notification = Notification.objects.get()
    assert notification.emailed_at is None
    assert notification.email_attempts == 1
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "tests.notifications.mail.NeutralCheckingBackend"
    sent = scan(day + DAY)
    assert [r.pk for r in sent] == [reminder.pk]
    reminder.refresh_from_db()
    assert reminder.sent_at is not None
    assert reminder.attempts == 2
    assert Notification.objects.get().emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [request_to_sala.recipient.users.get(username="contact_sala").email]


@pytest.mark.django_db
def test_the_day_begins_at_midnight_in_stockholm_not_in_utc(request_to_sala):
    first_day = REPLY_BY - 7 * DAY
    with at(first_day - DAY, hour=23, minute=59):
        assert reminders_scan() == []
    # 00:30 in Stockholm is still the day before in UTC.
    with at(first_day, hour=0, minute=30):
        assert [r.kind for r in reminders_scan()] == [Kind.REPLY_7_DAYS]
