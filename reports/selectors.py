"""The report's figures. Every aggregation happens in the database; Python only arranges rows.

The number of queries depends on the number of calendar years in the period, never on the number of
cases or requests. Nothing here returns a case, a request or free text.

Counting rules (shown in the page's captions too):
- Requests are counted in the period they were *sent*, with where they stand today: accepted, declined
  (by ground), withdrawn, superseded, still open within the deadline, or open past ``reply_by``.
  "Answered late" is a decision dated after ``reply_by``.
- Quota use follows ``cases.quota``: a case counts in the calendar year its request was accepted.
- LUSAM records belong to the period their case was closed in.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import DeclineGround, LusamRecord, Outcome, Request, RequestStatus
from cases.quota import quota_use
from municipalities.models import Municipality
from reports.access import ReportScope
from reports.periods import Period
from reports.sql import DaysBetween, Median, local_date, supports_median


@dataclass
class MunicipalityFigures:
    municipality: Municipality
    sent: int = 0
    received: int = 0
    accepted: int = 0
    declined_quota: int = 0
    declined_resources: int = 0
    withdrawn: int = 0
    superseded: int = 0
    open_in_time: int = 0
    unanswered: int = 0
    late: int = 0


@dataclass
class QuotaRow:
    municipality: Municipality
    quota: int
    received: int
    handed_over: int

    @property
    def remaining_received(self) -> int:
        return self.quota - self.received

    @property
    def remaining_handed_over(self) -> int:
        return self.quota - self.handed_over


@dataclass
class LeadTime:
    """Days of one kind of interval: how many, median, shortest and longest."""

    count: int = 0
    median: float | None = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass
class LeadTimes:
    to_decision: LeadTime
    acceptance_to_move: LeadTime
    request_to_closure: LeadTime
    decisions_within_deadline: int = 0

    @property
    def share_within_deadline(self) -> float | None:
        """Return the percentage of decisions made within three weeks (None without decisions)."""
        if not self.to_decision.count:
            return None
        return 100 * self.decisions_within_deadline / self.to_decision.count


@dataclass
class MonthOutcomes:
    month: date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class LusamRow:
    closed_on: date
    sending: str
    asked: list[str]
    target_group: str
    outcome: str
    destination: str
    first_accepted_by: str
    not_moved_reason: str
    presented_on: date | None = None


def _requests_sent_in(period: Period) -> QuerySet[Request]:
    start, end = period.bounds()
    return Request.objects.filter(sent_at__gte=start, sent_at__lt=end)


def _records_closed_in(period: Period, scope: ReportScope) -> QuerySet[LusamRecord]:
    return LusamRecord.objects.filter(
        closed_on__gte=period.start, closed_on__lte=period.end, sending_municipality_id__in=scope.figure_ids
    )


def municipality_figures(*, scope: ReportScope, period: Period, today: date | None = None) -> list[MunicipalityFigures]:
    """Return the request figures of every municipality the user may see (one query).

    The database counts the requests of each pair of sending and receiving municipality (at most one row
    per pair, whatever the number of requests); a municipality's "sent" is the sum of its pairs as sender,
    its other figures the sums of its pairs as recipient.
    """
    today = today or timezone.localdate()
    ids = scope.figure_ids
    rows = {m.pk: MunicipalityFigures(municipality=m) for m in scope.figure_municipalities}
    open_q = Q(status__in=[RequestStatus.SENT, RequestStatus.CONSENTING])
    pairs = (
        _requests_sent_in(period)
        .filter(Q(sender_id__in=ids) | Q(recipient_id__in=ids))
        .annotate(decided_on=local_date("decision__decided_at"))
        .values("sender_id", "recipient_id")
        .annotate(
            received=Count("id"),
            accepted=Count("id", filter=Q(status=RequestStatus.ACCEPTED)),
            declined_quota=Count(
                "id", filter=Q(status=RequestStatus.DECLINED, decision__ground=DeclineGround.QUOTA_RECEIVED)
            ),
            declined_resources=Count(
                "id",
                filter=Q(status=RequestStatus.DECLINED, decision__ground=DeclineGround.INSUFFICIENT_RESOURCES),
            ),
            withdrawn=Count("id", filter=Q(status=RequestStatus.WITHDRAWN)),
            superseded=Count("id", filter=Q(status=RequestStatus.SUPERSEDED)),
            open_in_time=Count("id", filter=open_q & Q(reply_by__gte=today)),
            unanswered=Count("id", filter=open_q & Q(reply_by__lt=today)),
            late=Count("id", filter=Q(decided_on__gt=F("reply_by"))),
        )
        .order_by()
    )
    for pair in pairs:
        sender, recipient = pair.pop("sender_id"), pair.pop("recipient_id")
        if sender in rows:
            rows[sender].sent += pair["received"]
        if recipient in rows:
            figures = rows[recipient]
            for name, value in pair.items():
                setattr(figures, name, getattr(figures, name) + value)
    return list(rows.values())


def quotas_for(*, municipalities: list[Municipality], year: int) -> dict[int, int]:
    """Return ``{id: quota}`` for ``year`` in two queries: ``Municipality.quotas_for``, the rule of ``quota_for``."""
    return Municipality.quotas_for(municipalities, year)


def quota_table(*, scope: ReportScope, year: int) -> list[QuotaRow]:
    """Return quota and use of every municipality of the network for ``year`` (four queries)."""
    municipalities = list(scope.network_municipalities)
    use = quota_use(year=year, municipality_ids=[m.pk for m in municipalities])
    quotas = quotas_for(municipalities=municipalities, year=year)
    rows = []
    for m in municipalities:
        counts = use.get(m.pk)
        rows.append(
            QuotaRow(
                municipality=m,
                quota=quotas[m.pk],
                received=counts.received if counts else 0,
                handed_over=counts.handed_over if counts else 0,
            )
        )
    return rows


def _lead_time(values: dict, prefix: str) -> LeadTime:
    return LeadTime(
        count=values[f"{prefix}_n"],
        median=values.get(f"{prefix}_median"),
        minimum=values[f"{prefix}_min"],
        maximum=values[f"{prefix}_max"],
    )


def _python_median(queryset: QuerySet, expression: str) -> float | None:
    """SQLite only: the median of the non-null values of an annotation (development databases)."""
    values = [v for v in queryset.values_list(expression, flat=True) if v is not None]
    return float(statistics.median(values)) if values else None


def lead_times(*, scope: ReportScope, period: Period) -> LeadTimes:
    """Return the lead times of the period (two queries on PostgreSQL)."""
    decided = (
        _requests_sent_in(period)
        .filter(Q(sender_id__in=scope.figure_ids) | Q(recipient_id__in=scope.figure_ids), decision__isnull=False)
        .annotate(decided_on=local_date("decision__decided_at"))
        .annotate(days=DaysBetween(F("decided_on"), local_date("sent_at")))
    )
    aggregates = {
        "decision_n": Count("days"),
        "decision_min": Min("days"),
        "decision_max": Max("days"),
        "within": Count("id", filter=Q(decided_on__lte=F("reply_by"))),
    }
    records = _records_closed_in(period, scope).annotate(
        move_days=DaysBetween(F("moved_on"), F("first_accepted_on")),
        close_days=DaysBetween(F("closed_on"), F("first_sent_on")),
    )
    record_aggregates = {
        "move_n": Count("move_days"),
        "move_min": Min("move_days"),
        "move_max": Max("move_days"),
        "close_n": Count("close_days"),
        "close_min": Min("close_days"),
        "close_max": Max("close_days"),
    }
    if supports_median():
        aggregates["decision_median"] = Median("days")
        record_aggregates["move_median"] = Median("move_days")
        record_aggregates["close_median"] = Median("close_days")
    values = decided.aggregate(**aggregates) | records.aggregate(**record_aggregates)
    if not supports_median():
        values["decision_median"] = _python_median(decided, "days")
        values["move_median"] = _python_median(records, "move_days")
        values["close_median"] = _python_median(records, "close_days")
    return LeadTimes(
        to_decision=_lead_time(values, "decision"),
        acceptance_to_move=_lead_time(values, "move"),
        request_to_closure=_lead_time(values, "close"),
        decisions_within_deadline=values["within"],
    )


@dataclass
class ClosedCounts:
    """The counts of the cases closed in a period: per month, per target group and per not-moved reason."""

    months: list[MonthOutcomes]
    summary: dict[str, dict[str, int]]
    reasons: dict[str, int]


def closed_counts(*, scope: ReportScope, period: Period) -> ClosedCounts:
    """Return the outcomes per month, per target group and the not-moved reasons (one query).

    The database counts the records of each combination of month, target group, outcome and reason (at
    most a few dozen rows whatever the number of cases); the three tables are those rows added up.
    """
    from cases.models import NotMovedReason, TargetGroup

    months = {month: MonthOutcomes(month=month, counts=dict.fromkeys(Outcome.values, 0)) for month in period.months}
    summary = {group: dict.fromkeys(Outcome.values, 0) for group in TargetGroup.values}
    reasons = dict.fromkeys(NotMovedReason.values, 0)
    rows = (
        _records_closed_in(period, scope)
        .annotate(month=TruncMonth("closed_on"))
        .values_list("month", "target_group", "outcome", "not_moved_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    for month, group, outcome, reason, n in rows:
        months[month].counts[outcome] += n
        summary[group][outcome] += n
        if reason:
            reasons[reason] += n
    return ClosedCounts(months=list(months.values()), summary=summary, reasons=reasons)


def outcomes_by_month(*, scope: ReportScope, period: Period) -> list[MonthOutcomes]:
    """Return the outcomes of the cases closed in each month of the period (one query)."""
    return closed_counts(scope=scope, period=period).months


def lusam_summary(*, scope: ReportScope, period: Period) -> dict[str, dict[str, int]]:
    """Return ``{target group: {outcome: count}}`` of the cases closed in the period (one query)."""
    return closed_counts(scope=scope, period=period).summary


def not_moved_reasons(*, scope: ReportScope, period: Period) -> dict[str, int]:
    """Return ``{not-moved reason: count}`` of the cases closed in the period without a move (one query)."""
    return closed_counts(scope=scope, period=period).reasons


def lusam_records(*, scope: ReportScope, period: Period) -> list[LusamRow]:
    """Return the LUSAM records of the cases closed in the period (two queries).

    Only the plan's fixed fields: no reference, no free text.
    """
    from cases.models import NotMovedReason, TargetGroup

    records = _records_closed_in(period, scope)
    asked: dict[int, list[str]] = {}
    through = LusamRecord.asked.through.objects.filter(lusamrecord__in=records.values("pk"))
    for record_id, name in through.order_by("municipality__name").values_list("lusamrecord_id", "municipality__name"):
        asked.setdefault(record_id, []).append(name)
    groups, outcomes, reasons = dict(TargetGroup.choices), dict(Outcome.choices), dict(NotMovedReason.choices)
    rows = records.order_by("closed_on", "sending_municipality__name", "pk").values_list(
        "pk",
        "closed_on",
        "sending_municipality__name",
        "target_group",
        "outcome",
        "destination__name",
        "first_accepted_by__name",
        "not_moved_reason",
        "presented_at__date",
    )
    return [
        LusamRow(
            closed_on=closed_on,
            sending=sending,
            asked=asked.get(pk, []),
            target_group=str(groups.get(group, group)),
            outcome=str(outcomes.get(outcome, outcome)),
            destination=destination or "",
            first_accepted_by=first or "",
            not_moved_reason=str(reasons.get(reason, reason)) if reason else "",
            presented_on=presented_on,
        )
        for pk, closed_on, sending, group, outcome, destination, first, reason, presented_on in rows
    ]
