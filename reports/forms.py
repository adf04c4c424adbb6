"""The form that chooses a report's period."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import LusamMeeting
from reports import periods
from reports.periods import Period

# A longer span would make the month chart unreadable and covers more quota periods than a meeting needs.
MAX_YEARS = 5
EARLIEST_YEAR = 2000


class PeriodForm(forms.Form):
    """Choose the period: since the last LUSAM meeting, a calendar year or any two dates."""

    SINCE_MEETING, YEAR, DATES = "meeting", "year", "dates"

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            (SINCE_MEETING, _("Sedan senaste LUSAM-mötet")),
            (YEAR, _("Ett kalenderår")),
            (DATES, _("Mellan två datum")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en period."), "invalid_choice": _("Välj en av perioderna i listan.")},
    )
    year = forms.IntegerField(
        label=_("År"),
        required=False,
        error_messages={"invalid": _("Ange året med fyra siffror, till exempel 2026.")},
    )
    start = forms.DateField(
        label=_("Från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )
    end = forms.DateField(
        label=_("Till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, *args, meeting: LusamMeeting | None, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.today = today
        self.period_value: Period | None = None
        if meeting is not None:
            choices = list(self.fields["period"].choices)
            choices[0] = (
                self.SINCE_MEETING,
                _("Sedan senaste LUSAM-mötet (%(date)s)") % {"date": f"{meeting.date:%Y-%m-%d}"},
            )
            self.fields["period"].choices = choices

    def clean(self):
        data = super().clean()
        kind = data.get("period")
        if kind == self.SINCE_MEETING:
            if self.meeting is None:
                raise forms.ValidationError(
                    _("Inget LUSAM-möte finns registrerat för nätverket. Välj ett kalenderår eller två datum.")
                )
            self.period_value = periods.since_meeting(self.meeting, self.today)
        elif kind == self.YEAR:
            self._clean_year(data.get("year"))
        elif kind == self.DATES:
            self._clean_dates(data.get("start"), data.get("end"))
        return data

    def _clean_year(self, year: int | None) -> None:
        if year is None:
            if "year" not in self.errors:
                self.add_error("year", _("Ange ett år."))
            return
        if not EARLIEST_YEAR <= year <= self.today.year:
            self.add_error(
                "year",
                _("Ange ett år mellan %(first)s och %(last)s.") % {"first": EARLIEST_YEAR, "last": self.today.year},
            )
            return
        self.period_value = periods.calendar_year(year)

    def _clean_dates(self, start: date | None, end: date | None) -> None:
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Ange startdatum."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Ange slutdatum."))
        if start is None or end is None:
            return
        if start > end:
            self.add_error("end", _("Slutdatumet kan inte vara före startdatumet."))
        elif start.year < EARLIEST_YEAR:
            self.add_error("start", _("Startdatumet kan inte vara före år %(year)s.") % {"year": EARLIEST_YEAR})
        elif end.year - start.year >= MAX_YEARS:
            self.add_error("end", _("Perioden får omfatta högst %(years)s kalenderår.") % {"years": MAX_YEARS})
        else:
            self.period_value = periods.between(start, end)


class MeetingForm(forms.Form):
    """Add a LUSAM meeting: its date."""

    date = forms.DateField(
        label=_("Datum för mötet"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Ange mötets datum."), "invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )
