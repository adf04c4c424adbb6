"""The plan's deadlines as pure functions of dates (rules 4, 11, 12, 13).

Kept apart from the workflow so that reminders, pages and reports compute them the same way.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

# Rule 4: the receiving municipality answers within three weeks of sending.
REPLY_DAYS = 21
# Reminders before the reply deadline and before the passing of economic responsibility.
REMINDER_DAYS_BEFORE = 7


def reply_by(sent_on: date) -> date:
    """Return the last day to answer a request sent on ``sent_on``."""
    return sent_on + timedelta(days=REPLY_DAYS)


def economic_responsibility_date(moved_on: date, agreed_on: date | None = None) -> date:
    """Return the day economic responsibility passes to the receiving municipality (rule 11).

    The sending municipality keeps economic aid for the move month plus one month, so the receiving
    one takes over on the first day of the second month after the move month, unless the two agreed
    on another date.
    """
    if agreed_on is not None:
        return agreed_on
    return moved_on.replace(day=1) + relativedelta(months=2)


def follow_up_due(moved_on: date) -> date:
    """Return the last day for the joint follow-up meeting: one month after the move (rule 13)."""
    return moved_on + relativedelta(months=1)


def follow_up_reminder(moved_on: date) -> date:
    """Return the day the follow-up meeting is first reminded of: three weeks after the move."""
    return moved_on + timedelta(weeks=3)


def two_month_end(moved_on: date) -> date:
    """Return the last day on which the sending municipality must find a new home town (rule 12)."""
    return moved_on + relativedelta(months=2)


def within_two_months(moved_on: date, on: date) -> bool:
    """Return whether ``on`` falls within the two months after the move (rule 12)."""
    return moved_on <= on <= two_month_end(moved_on)
