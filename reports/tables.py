"""The report as tables: one shape for the page, the PDF and the CSV/XLSX exports.

``publication=True`` prepares a table for publication: every count from 1 to 2 becomes "<3", columns
that could give a suppressed count back by subtraction (remaining quota, totals) are dropped, ranges
(a shortest or longest lead time is one case's value) are dropped, and the LUSAM records table is
left out altogether (its aggregated summary takes its place).
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cases.models import NotMovedReason, Outcome, TargetGroup
from reports import selectors
from reports.access import ReportScope
from reports.periods import Period

SUPPRESSED = "<3"
# A cell hidden only so that a suppressed neighbour cannot be computed from the row's total.
HIDDEN = ".."
# Counts from 1 up to this number are suppressed in a publication.
SUPPRESS_UP_TO = 2


def publish_count(value: int, publication: bool) -> int | str:
    """Return ``value``, or "<3" when it is a small number (1–2) in a publication."""
    if publication and 1 <= value <= SUPPRESS_UP_TO:
        return SUPPRESSED
    return value


def protect_partition(row: list, *, total: int, parts: list[int]) -> None:
    """Hide one more cell of ``row`` when a single suppressed part could be computed from the total.

    ``row[total]`` is the sum of ``row[parts]``. When exactly one of them shows "<3", the smallest other
    non-zero part is shown as ".." too, so that the two together hide each other's value.
    """
    cells = [total, *parts]
    if sum(row[i] == SUPPRESSED for i in cells) != 1:
        return
    candidates = [i for i in parts if isinstance(row[i], int) and row[i] > 0]
    if candidates:
        row[min(candidates, key=lambda i: row[i])] = HIDDEN


@dataclass
class Column:
    label: str
    numeric: bool = True

    def __post_init__(self) -> None:
        # Choice labels are lazy translations; exports need plain text.
        self.label = str(self.label)


@dataclass
class Table:
    """A titled table; the first cell of each row is its row header."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list]
    note: str = ""

    @property
    def body_html(self) -> SafeString:
        """Return the ``<tr>`` rows of the table body, written as the template language would write them.

        Each value is localized and escaped like ``{{ value }}`` in a template. Written here because the
        template language takes about 12 µs per cell, and the county's tables and the LUSAM records have
        thousands of cells; string formatting takes a fraction of that.
        """
        attributes = [' class="num"' if column.numeric else "" for column in self.columns[1:]]
        lines = []
        for row in self.rows:
            cells = "".join(
                f"<td{attribute}>{conditional_escape(localize(value))}</td>"
                for value, attribute in zip(row[1:], attributes, strict=True)
            )
            lines.append(f'<tr><th scope="row">{conditional_escape(localize(row[0]))}</th>{cells}</tr>')
        return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped


@dataclass
class Report:
    scope: ReportScope
    period: Period
    figures: list[selectors.MunicipalityFigures]
    quotas: dict[int, list[selectors.QuotaRow]]
    lead: selectors.LeadTimes
    months: list[selectors.MonthOutcomes]
    summary: dict[str, dict[str, int]]
    reasons: dict[str, int]


def build_report(*, scope: ReportScope, period: Period, today: date | None = None) -> Report:
    """Collect every figure of the report (a fixed number of queries per calendar year)."""
    closed = selectors.closed_counts(scope=scope, period=period)
    return Report(
        scope=scope,
        period=period,
        figures=selectors.municipality_figures(scope=scope, period=period, today=today),
        quotas={year: selectors.quota_table(scope=scope, year=year) for year in period.years},
        lead=selectors.lead_times(scope=scope, period=period),
        months=closed.months,
        summary=closed.summary,
        reasons=closed.reasons,
    )


def municipality_table(report: Report, *, publication: bool = False) -> Table:
    c = lambda n: publish_count(n, publication)  # noqa: E731
    columns = [
        Column(_("Kommun"), numeric=False),
        Column(_("Skickade")),
        Column(_("Mottagna")),
        Column(_("Accepterade")),
        Column(_("Nekade: antalet redan mottaget")),
        Column(_("Nekade: resurser saknas")),
        Column(_("Återkallade")),
        Column(_("Överenskommelse på annat håll")),
        Column(_("Väntar på svar, inom tidsfristen")),
        Column(_("Besvarade för sent")),
        Column(_("Obesvarade efter tidsfristen")),
    ]
    rows = [
        [
            f.municipality.name,
            c(f.sent),
            c(f.received),
            c(f.accepted),
            c(f.declined_quota),
            c(f.declined_resources),
            c(f.withdrawn),
            c(f.superseded),
            c(f.open_in_time),
            c(f.late),
            c(f.unanswered),
        ]
        for f in report.figures
    ]
    if publication:
        for row in rows:
            # Received = accepted + declined (2) + withdrawn + superseded + waiting + unanswered.
            protect_partition(row, total=2, parts=[3, 4, 5, 6, 7, 8, 10])
    return Table(
        key="kommuner",
        title=_("Förfrågningar per kommun"),
        columns=columns,
        rows=rows,
        note=_(
            "Förfrågningar skickade under perioden och var de står i dag. Tidsfristen är tre veckor från "
            "att förfrågan skickades."
        )
        + (
            " " + _("”..” betyder att uppgiften är dold så att ett litet antal inte kan räknas fram ur summan.")
            if publication
            else ""
        ),
    )


def quota_tables(report: Report, *, publication: bool = False) -> list[Table]:
    tables = []
    for year, quota_rows in report.quotas.items():
        columns = [
            Column(_("Kommun"), numeric=False),
            Column(_("Fördelning (antal ärenden)")),
            Column(_("Mottagna ärenden")),
            Column(_("Överlämnade ärenden")),
        ]
        if not publication:
            columns += [Column(_("Kvar att ta emot")), Column(_("Kvar att överlämna"))]
        rows = []
        for q in quota_rows:
            row = [
                q.municipality.name,
                q.quota,
                publish_count(q.received, publication),
                publish_count(q.handed_over, publication),
            ]
            if not publication:
                row += [q.remaining_received, q.remaining_handed_over]
            rows.append(row)
        tables.append(
            Table(
                key=f"fordelning-{year}",
                title=_("Fördelningsnyckeln %(year)s: mottagna och överlämnade ärenden") % {"year": year},
                columns=columns,
                rows=rows,
                note=_("Ett ärende räknas det kalenderår då förfrågan accepterades."),
            )
        )
    return tables


def _days(value) -> str | float | int:
    if value is None:
        return "–"
    return round(value, 1)


def lead_time_table(report: Report, *, publication: bool = False) -> Table:
    lead = report.lead
    columns = [Column(_("Tid"), numeric=False), Column(_("Antal")), Column(_("Median (dagar)"))]
    if not publication:
        columns += [Column(_("Kortast (dagar)")), Column(_("Längst (dagar)"))]
    rows = []
    for label, item in (
        (_("Från förfrågan till beslut"), lead.to_decision),
        (_("Från accepterad förfrågan till flytt"), lead.acceptance_to_move),
        (_("Från första förfrågan till avslut"), lead.request_to_closure),
    ):
        hidden = publication and 1 <= item.count <= SUPPRESS_UP_TO
        row = [label, publish_count(item.count, publication), "–" if hidden else _days(item.median)]
        if not publication:
            row += [_days(item.minimum), _days(item.maximum)]
        rows.append(row)
    return Table(
        key="ledtider",
        title=_("Ledtider"),
        columns=columns,
        rows=rows,
        note=_("Beslut: förfrågningar skickade under perioden. Flytt och avslut: ärenden avslutade under perioden."),
    )


def deadline_table(report: Report, *, publication: bool = False) -> Table:
    """Return how many decisions came within the three weeks of rule 4.

    In a publication the share is left out when any of its parts is a small number, since it would give
    that number back.
    """
    lead = report.lead
    decided, within = lead.to_decision.count, lead.decisions_within_deadline
    share = lead.share_within_deadline
    small = any(1 <= n <= SUPPRESS_UP_TO for n in (decided, within, decided - within))
    return Table(
        key="beslut-inom-tre-veckor",
        title=_("Beslut inom tre veckor"),
        columns=[
            Column(_("Förfrågningar"), numeric=False),
            Column(pgettext("number of decisions", "Beslut")),
            Column(_("Varav inom tre veckor")),
            Column(_("Andel inom tre veckor (%)")),
        ],
        rows=[
            [
                _("Skickade under perioden"),
                publish_count(decided, publication),
                publish_count(within, publication),
                "–" if share is None or (publication and small) else round(share, 1),
            ]
        ],
    )


def outcome_table(report: Report, *, publication: bool = False) -> Table:
    columns = [Column(_("Månad"), numeric=False)] + [Column(label) for label in Outcome.labels]
    if not publication:
        columns.append(Column(_("Totalt")))
    rows = []
    for month in report.months:
        row = [date_format(month.month, "F Y")] + [publish_count(month.counts[o], publication) for o in Outcome.values]
        if not publication:
            row.append(month.total)
        rows.append(row)
    return Table(
        key="utfall-per-manad",
        title=_("Avslutade ärenden per månad och utfall"),
        columns=columns,
        rows=rows,
    )


def summary_table(report: Report, *, publication: bool = False) -> Table:
    columns = [Column(_("Målgrupp"), numeric=False)] + [Column(label) for label in Outcome.labels]
    if not publication:
        columns.append(Column(_("Totalt")))
    rows = []
    for group, label in TargetGroup.choices:
        counts = report.summary[group]
        row = [str(label)] + [publish_count(counts[o], publication) for o in Outcome.values]
        if not publication:
            row.append(sum(counts.values()))
        rows.append(row)
    return Table(
        key="malgrupp-utfall",
        title=_("Avslutade ärenden per målgrupp och utfall"),
        columns=columns,
        rows=rows,
    )


def reason_table(report: Report, *, publication: bool = False) -> Table:
    return Table(
        key="skal",
        title=_("Skäl till att flytten inte genomfördes"),
        columns=[Column(_("Skäl"), numeric=False), Column(_("Antal ärenden"))],
        rows=[
            [str(label), publish_count(report.reasons[value], publication)] for value, label in NotMovedReason.choices
        ],
    )


def report_tables(report: Report, *, publication: bool = False) -> list[Table]:
    """Return every aggregate table of the report in page order."""
    return [
        *quota_tables(report, publication=publication),
        municipality_table(report, publication=publication),
        lead_time_table(report, publication=publication),
        deadline_table(report, publication=publication),
        outcome_table(report, publication=publication),
        summary_table(report, publication=publication),
        reason_table(report, publication=publication),
    ]


def records_table(rows: list[selectors.LusamRow]) -> Table:
    """Return the LUSAM records as a table. Never for publication: a row describes one case."""
    return Table(
        key="lusam-redovisningar",
        title=_("LUSAM-redovisningar av avslutade ärenden"),
        columns=[
            Column(_("Avslutat"), numeric=False),
            Column(_("Överlämnande kommun"), numeric=False),
            Column(_("Tillfrågade kommuner"), numeric=False),
            Column(_("Målgrupp"), numeric=False),
            Column(_("Utfall"), numeric=False),
            Column(_("Flyttade till"), numeric=False),
            Column(_("Accepterades först av"), numeric=False),
            Column(_("Skäl till att flytten inte genomfördes"), numeric=False),
            Column(_("Redovisad på LUSAM-möte"), numeric=False),
        ],
        rows=[
            [
                f"{r.closed_on:%Y-%m-%d}",
                r.sending,
                ", ".join(r.asked),
                r.target_group,
                r.outcome,
                r.destination,
                r.first_accepted_by,
                r.not_moved_reason,
                f"{r.presented_on:%Y-%m-%d}" if r.presented_on else "",
            ]
            for r in rows
        ],
    )
