"""The period a report covers: since the last LUSAM meeting, a calendar year or two dates."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import LusamMeeting


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included."""

    start: date
    end: date
    label: str

    def bounds(self) -> tuple[datetime, datetime]:
        """Return aware datetimes ``[start, end)`` in the local time zone, for index-friendly filters."""
        tz = timezone.get_default_timezone()
        return (
            timezone.make_aware(datetime.combine(self.start, time.min), tz),
            timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), tz),
        )

    @property
    def years(self) -> list[int]:
        """Return the calendar years (quota periods) the period touches."""
        return list(range(self.start.year, self.end.year + 1))

    @property
    def months(self) -> list[date]:
        """Return the first day of every month the period touches."""
        result, month = [], self.start.replace(day=1)
        while month <= self.end:
            result.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return result

    @property
    def slug(self) -> str:
        """Return a file-name friendly form, e.g. ``2026-01-01_2026-12-31``."""
        return f"{self.start:%Y-%m-%d}_{self.end:%Y-%m-%d}"


def last_meeting(*, network_id: int, today: date) -> LusamMeeting | None:
    """Return the network's latest LUSAM meeting on or before ``today``."""
    return LusamMeeting.objects.filter(network_id=network_id, date__lte=today).order_by("-date").first()


def since_meeting(meeting: LusamMeeting, today: date) -> Period:
    """Return the period from the day of ``meeting`` to ``today``.

    The meeting day itself is included: a case closed that day is rarely presented at the meeting.
    """
    return Period(
        start=meeting.date,
        end=today,
        label=_("Sedan LUSAM-mötet %(date)s") % {"date": f"{meeting.date:%Y-%m-%d}"},
    )


def calendar_year(year: int) -> Period:
    return Period(start=date(year, 1, 1), end=date(year, 12, 31), label=_("Kalenderåret %(year)s") % {"year": year})


def between(start: date, end: date) -> Period:
    return Period(
        start=start, end=end, label=_("%(start)s – %(end)s") % {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    )


def default_period(*, meeting: LusamMeeting | None, today: date) -> tuple[dict, Period]:
    """Return the form values and the period shown before the user chooses.

    Since the last meeting when there is one (``last_meeting``), else the current calendar year.
    """
    if meeting is not None:
        return {"period": "meeting"}, since_meeting(meeting, today)
    return {"period": "year", "year": today.year}, calendar_year(today.year)
