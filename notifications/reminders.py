"""Reminders of the plan's deadlines, found in the database by a periodic scan.

No task is ever scheduled for a deadline weeks away. Every few minutes ``reminders_scan``:

1. computes which reminders are due today from the cases, requests and move plans (``due_reminders``);
2. claims each by inserting its ``Reminder`` row under the unique key (kind, object, due date) with
   ``ON CONFLICT DO NOTHING``: a second scan, or a second worker, inserts nothing;
3. takes the unsent claims one at a time with ``select_for_update(skip_locked=True)``, creates the in-app
   notifications once and sends the neutral e-mails; a claim whose e-mail failed stays unsent and is tried
   again by the next scan, so a crash or a killed worker loses nothing.

Each due reminder has a first day and a last day: a scan that did not run on the first day (an outage)
still sends it on the following days of its window, and the unique key keeps it to once.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from cases import deadlines
from cases.models import (
    OPEN_REQUEST_STATUSES,
    CaseStatus,
    LusamRecord,
    Meeting,
    MeetingKind,
    MovePlan,
    Outcome,
    Request,
)
from municipalities.models import LusamMeeting
from notifications import recipients
from notifications.email import MAX_EMAIL_ATTEMPTS, emailable, notification_email_send
from notifications.models import Notification, NotificationKind, Reminder

logger = logging.getLogger(__name__)

Kind = NotificationKind
DAYS_BEFORE = timedelta(days=deadlines.REMINDER_DAYS_BEFORE)
ONE_DAY = timedelta(days=1)
# How long a reminder of one day is still sent when no scan ran on that day.
CATCH_UP = timedelta(days=6)
# The LUSAM reminder: this long before the network's next meeting.
LUSAM_DAYS_BEFORE = timedelta(days=7)


@dataclass(frozen=True)
class DueReminder:
    """A reminder due today: the key of its claim row."""

    kind: str
    case_id: int
    request_id: int | None
    due_on: date


def _in_window(today: date, first: date, last: date | None) -> bool:
    return first <= today and (last is None or today <= last)


# --- What is due -------------------------------------------------------------------------------------------


def _reply_reminders(today: date) -> Iterator[DueReminder]:
    """Reply deadline (rule 4): 7 days left, 1 day left, and overdue once the last day has passed."""
    requests = Request.objects.filter(status__in=OPEN_REQUEST_STATUSES).exclude(case__status=CaseStatus.CLOSED)
    for request in requests.values("pk", "case_id", "reply_by").iterator():
        reply_by = request["reply_by"]
        windows = [
            (Kind.REPLY_7_DAYS, reply_by - DAYS_BEFORE, reply_by - 2 * ONE_DAY),
            (Kind.REPLY_1_DAY, reply_by - ONE_DAY, reply_by),
            (Kind.REPLY_OVERDUE, reply_by + ONE_DAY, None),
        ]
        for kind, first, last in windows:
            if _in_window(today, first, last):
                yield DueReminder(kind, request["case_id"], request["pk"], first)


def _current_plans() -> QuerySet[MovePlan]:
    return MovePlan.objects.filter(round=F("case__round"))


def _protected_data_reminders(today: date) -> Iterator[DueReminder]:
    """A move planned within 7 days while the Tax Agency's decision on protected data is missing (rule 10)."""
    plans = _current_plans().filter(
        case__status=CaseStatus.AGREED,
        moved_on__isnull=True,
        protected_data_applied=True,
        protected_data_decided_on__isnull=True,
        planned_move_date__gte=today,
        planned_move_date__lte=today + DAYS_BEFORE,
    )
    for plan in plans.values("case_id", "planned_move_date").iterator():
        yield DueReminder(Kind.PROTECTED_DATA_MISSING, plan["case_id"], None, plan["planned_move_date"] - DAYS_BEFORE)


def _after_move_reminders(today: date) -> Iterator[DueReminder]:
    """Follow-up meeting (rule 13), economic responsibility (rule 11) and the two-month period (rule 12)."""
    follow_up_held = Meeting.objects.filter(case=OuterRef("case"), round=OuterRef("round"), kind=MeetingKind.FOLLOW_UP)
    plans = (
        _current_plans()
        .filter(moved_on__isnull=False, moved_on__lte=today)
        .filter(
            Q(case__status=CaseStatus.MOVED)
            # Economic responsibility still passes after a case was closed soon after the move.
            | Q(case__status=CaseStatus.CLOSED, case__outcome=Outcome.MOVED, moved_on__gte=today - timedelta(days=366))
        )
        .annotate(follow_up_held=Exists(follow_up_held))
        .values("case_id", "case__status", "moved_on", "economic_agreement_date", "follow_up_held")
    )
    for plan in plans.iterator():
        moved_on, case_id = plan["moved_on"], plan["case_id"]
        moved = plan["case__status"] == CaseStatus.MOVED
        windows = []
        if moved and not plan["follow_up_held"]:
            last_day = deadlines.follow_up_due(moved_on)
            windows += [
                (Kind.FOLLOW_UP_DUE, deadlines.follow_up_reminder(moved_on), last_day),
                (Kind.FOLLOW_UP_OVERDUE, last_day + ONE_DAY, None),
            ]
        passes_on = deadlines.economic_responsibility_date(moved_on, plan["economic_agreement_date"])
        windows += [
            (Kind.ECONOMIC_7_DAYS, passes_on - DAYS_BEFORE, passes_on - ONE_DAY),
            (Kind.ECONOMIC_TODAY, passes_on, passes_on + CATCH_UP),
        ]
        if moved:
            period_end = deadlines.two_month_end(moved_on)
            windows.append((Kind.TWO_MONTH_END, period_end, period_end + CATCH_UP))
        for kind, first, last in windows:
            if _in_window(today, first, last):
                yield DueReminder(kind, case_id, None, first)


def _lusam_reminders(today: date) -> Iterator[DueReminder]:
    """A closed case not yet presented to LUSAM, in the week before the network's next meeting (rule 14)."""
    records = LusamRecord.objects.filter(presented_at__isnull=True, case__status=CaseStatus.CLOSED).values(
        "case_id", "sending_municipality__network_id"
    )
    next_meeting: dict[int, date | None] = {}
    for record in records.iterator():
        network_id = record["sending_municipality__network_id"]
        if network_id not in next_meeting:
            next_meeting[network_id] = (
                LusamMeeting.objects.filter(network_id=network_id, date__gte=today)
                .order_by("date")
                .values_list("date", flat=True)
                .first()
            )
        meeting_on = next_meeting[network_id]
        if meeting_on is not None and _in_window(today, meeting_on - LUSAM_DAYS_BEFORE, meeting_on):
            yield DueReminder(Kind.LUSAM_REPORT, record["case_id"], None, meeting_on - LUSAM_DAYS_BEFORE)


def due_reminders(today: date) -> list[DueReminder]:
    """Return every reminder due on ``today``, whether or not it was already claimed."""
    return [
        *_reply_reminders(today),
        *_protected_data_reminders(today),
        *_after_move_reminders(today),
        *_lusam_reminders(today),
    ]


# --- Claiming and sending -----------------------------------------------------------------------------------


def reminders_claim(due: list[DueReminder]) -> None:
    """Insert the claim row of each due reminder; an existing claim is left as it is (ON CONFLICT DO NOTHING)."""
    Reminder.objects.bulk_create(
        [Reminder(kind=d.kind, case_id=d.case_id, request_id=d.request_id, due_on=d.due_on) for d in due],
        ignore_conflicts=True,
    )


def reminder_recipients(reminder: Reminder) -> QuerySet[User]:
    """Return who hears of ``reminder``: the receiving contact persons, both sides, or the sending contact persons."""
    case = reminder.case
    if reminder.kind in (Kind.REPLY_7_DAYS, Kind.REPLY_1_DAY):
        return recipients.contact_persons(reminder.request.recipient_id)
    if reminder.kind == Kind.REPLY_OVERDUE:
        return recipients.both_sides(case, reminder.request.recipient_id)
    if reminder.kind == Kind.LUSAM_REPORT:
        return recipients.contact_persons(case.sending_municipality_id)
    return recipients.both_sides(case, recipients.receiving_municipality_id(case))


def reminder_send(*, reminder: Reminder) -> bool:
    """Create the notifications of a claimed reminder (once) and send its e-mails; return whether all went out.

    The caller holds the row lock of ``reminder``.
    """
    now = timezone.now()
    reminder.attempts += 1
    if reminder.notified_at is None:
        Notification.objects.bulk_create(
            [
                Notification(
                    user=user,
                    kind=reminder.kind,
                    case_id=reminder.case_id,
                    request_id=reminder.request_id,
                    reminder=reminder,
                    created_at=now,
                )
                for user in reminder_recipients(reminder)
            ],
            ignore_conflicts=True,
        )
        reminder.notified_at = now
    failed = [
        notification
        for notification in emailable(reminder.notifications.all()).select_related("user").order_by("pk")
        if not notification_email_send(notification=notification)
    ]
    if failed:
        reminder.last_error = "email"
    else:
        reminder.sent_at = timezone.now()
        reminder.last_error = ""
    reminder.save(update_fields=["attempts", "notified_at", "sent_at", "last_error"])
    return not failed


def reminders_send_claimed() -> list[Reminder]:
    """Send every claimed, unsent reminder that no other worker holds; return those sent now.

    One transaction per reminder, so that one failure or one killed worker holds back only that one.
    Each reminder is visited at most once per call (``pk`` ascending), so a failing one is not retried in a loop.
    """
    sent: list[Reminder] = []
    last_pk = 0
    while True:
        with transaction.atomic():
            reminder = (
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("case", "request")
                .filter(sent_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS, pk__gt=last_pk)
                .order_by("pk")
                .first()
            )
            if reminder is None:
                return sent
            last_pk = reminder.pk
            if reminder_send(reminder=reminder):
                sent.append(reminder)


def reminders_scan(*, today: date | None = None) -> list[Reminder]:
    """Claim the reminders due ``today`` (default: the local date) and send every unsent claim.

    Return the reminders sent by this scan. Running it twice, or in two workers at once, sends each once.
    """
    today = today or timezone.localdate()
    due = due_reminders(today)
    reminders_claim(due)
    sent = reminders_send_claimed()
    if sent:
        logger.info("Reminder scan sent %d reminder(s)", len(sent))
    return sent
