"""Geometry of the report's charts. The SVG markup itself is in templates/reports/charts/.

Charts are readable without colour: each series has its own fill pattern and a legend, every bar
carries its number as text, and the quota is a thick black line with its value written beside it.
The page shows the same figures in a table next to each chart.
"""

import math
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.models import Outcome
from reports.selectors import MonthOutcomes, QuotaRow

# Fill of each series; pattern ids are defined in templates/reports/charts/_patterns.svg.
RECEIVED, HANDED_OVER = "hatch", "dots"
OUTCOME_FILLS = {Outcome.MOVED: "solid", Outcome.NOT_MOVED: "hatch", Outcome.NATIONAL: "dots"}


def _nice_max(value: int) -> int:
    """Return a round upper end for an axis that shows ``value``."""
    if value <= 5:
        return max(value, 1)
    step = 10 ** int(math.log10(value))
    for factor in (1, 2, 5, 10):
        if value <= step * factor:
            return step * factor
    return value


def _legend(items: list[tuple[str, str]]) -> tuple[list[dict], int]:
    """Return legend entries laid out in one row, and the row's width (about 6.5 px per character)."""
    entries, x = [], 0
    for fill, label in items:
        entries.append({"fill": fill, "label": label, "x": x})
        x += 22 + int(len(label) * 6.5) + 18
    return entries, x


def _ticks(top: int) -> list[int]:
    step = max(1, top // 5)
    return list(range(0, top + 1, step))


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    value: int
    label: str
    text_x: float = 0
    text_y: float = 0
    # The value of the SVG ``fill`` attribute: a colour or the chart's pattern (set by the chart).
    paint: str = ""


def _paint(fill: str, chart_id: str) -> str:
    return "#1f4e79" if fill == "solid" else f"url(#{chart_id}-{fill})"


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class QuotaGroup:
    name: str
    label_y: float
    bars: list[Bar]
    quota: int
    quota_x: float
    quota_y1: float
    quota_y2: float
    # The quota line's tooltip, e.g. "Sala: fördelning 5" (translated once here, not per row in the template).
    quota_title: str = ""


@dataclass
class QuotaChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_bottom: int
    groups: list[QuotaGroup]
    ticks: list[Tick]
    legend: list[dict] = field(default_factory=list)

    @property
    def groups_svg(self) -> SafeString:
        """Return the markup of the municipalities' bars and quota lines.

        Written here rather than in the template: a network has up to 40 municipalities, and the template
        language takes about 0.1 ms per group where string formatting takes a few microseconds. Numbers
        are written as the template writes them with ``localize off`` (``str``); text is escaped.
        """
        parts = []
        for group in self.groups:
            name = escape(group.name)
            parts.append(f'<g>\n<text x="{self.plot_left}" dx="-6" y="{group.label_y}" text-anchor="end">{name}</text>')
            for bar in group.bars:
                parts.append(
                    f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
                    f'fill="{escape(bar.paint)}" stroke="#1b1b1b" stroke-width="0.75">'
                    f"<title>{name}: {bar.value} {escape(bar.label)}</title></rect>\n"
                    f'<text x="{bar.text_x}" y="{bar.text_y}" font-size="10">{bar.value}</text>'
                )
            parts.append(
                f'<line x1="{group.quota_x}" y1="{group.quota_y1}" x2="{group.quota_x}" y2="{group.quota_y2}" '
                f'stroke="#1b1b1b" stroke-width="3"><title>{escape(group.quota_title)}</title></line>\n</g>'
            )
        return mark_safe("\n".join(parts))  # noqa: S308 - every text above is escaped


def quota_chart(*, rows: list[QuotaRow], year: int) -> QuotaChart:
    """Return a horizontal bar chart: received and handed over per municipality, the quota marked."""
    label_width, plot_width, right = 150, 380, 60
    top, bar_h, gap = 48, 12, 12
    group_h = 2 * bar_h + gap
    top_value = _nice_max(max([max(r.quota, r.received, r.handed_over) for r in rows] or [1]))
    scale = plot_width / top_value
    chart_id = f"quota-{year}"
    paints = {fill: _paint(fill, chart_id) for fill in (RECEIVED, HANDED_OVER)}
    quota_title = _("%(name)s: fördelning %(quota)s")
    groups = []
    for index, row in enumerate(rows):
        y = top + index * group_h
        bars = []
        for offset, (value, fill, label) in enumerate(
            ((row.received, RECEIVED, _("mottagna")), (row.handed_over, HANDED_OVER, _("överlämnade")))
        ):
            bar_y = y + offset * bar_h
            width = value * scale
            bars.append(
                Bar(
                    x=label_width,
                    y=bar_y,
                    width=width,
                    height=bar_h - 1,
                    fill=fill,
                    value=value,
                    label=label,
                    text_x=label_width + width + 4,
                    text_y=bar_y + bar_h - 2,
                    paint=paints[fill],
                )
            )
        groups.append(
            QuotaGroup(
                name=row.municipality.name,
                label_y=y + bar_h + 4,
                bars=bars,
                quota=row.quota,
                quota_x=label_width + row.quota * scale,
                quota_y1=y - 2,
                quota_y2=y + 2 * bar_h + 1,
                quota_title=quota_title % {"name": row.municipality.name, "quota": row.quota},
            )
        )
    plot_bottom = top + len(rows) * group_h
    legend, legend_width = _legend(
        [(RECEIVED, _("Mottagna")), (HANDED_OVER, _("Överlämnade")), ("line", _("Fördelning"))]
    )
    return QuotaChart(
        chart_id=chart_id,
        title=_("Fördelningsnyckeln %(year)s: mottagna och överlämnade ärenden per kommun") % {"year": year},
        description=_(
            "Två staplar per kommun: snedstreckad stapel = mottagna ärenden, prickad stapel = överlämnade "
            "ärenden. Det tjocka lodräta strecket markerar kommunens fördelning. Siffrorna står vid staplarna "
            "och i tabellen intill."
        ),
        width=max(label_width + plot_width + right, legend_width),
        height=plot_bottom + 30,
        plot_left=label_width,
        plot_top=top - 6,
        plot_bottom=plot_bottom,
        groups=groups,
        ticks=[Tick(position=label_width + t * scale, label=str(t)) for t in _ticks(top_value)],
        legend=legend,
    )


@dataclass
class MonthColumn:
    label: str
    label_x: float
    bars: list[Bar]
    total: int
    total_y: float


@dataclass
class OutcomeChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    columns: list[MonthColumn]
    ticks: list[Tick]
    legend: list[dict]


def outcome_chart(*, months: list[MonthOutcomes]) -> OutcomeChart:
    """Return a stacked column chart of closed cases per month by outcome."""
    left, top, plot_height, bottom_space = 40, 50, 200, 50
    slot = 36 if len(months) <= 24 else 22
    plot_width = max(len(months), 1) * slot
    top_value = _nice_max(max([m.total for m in months] or [1]))
    scale = plot_height / top_value
    plot_bottom = top + plot_height
    labels = dict(Outcome.choices)
    columns = []
    for index, month in enumerate(months):
        x = left + index * slot + 4
        y = plot_bottom
        bars = []
        for outcome in Outcome.values:
            value = month.counts.get(outcome, 0)
            if not value:
                continue
            height = value * scale
            y -= height
            bars.append(
                Bar(
                    x=x,
                    y=y,
                    width=slot - 8,
                    height=height,
                    fill=OUTCOME_FILLS[outcome],
                    value=value,
                    label=str(labels[outcome]),
                )
            )
        # With many months only the first month and every January are named, so that labels do not collide.
        named = len(months) <= 24 or index == 0 or month.month.month == 1
        columns.append(
            MonthColumn(
                label=date_format(month.month, "M y") if named else "",
                label_x=x + (slot - 8) / 2,
                bars=bars,
                total=month.total,
                total_y=y - 4,
            )
        )
    legend, legend_width = _legend([(OUTCOME_FILLS[value], str(label)) for value, label in Outcome.choices])
    return OutcomeChart(
        chart_id="outcomes",
        title=_("Avslutade ärenden per månad och utfall"),
        description=_(
            "En stapel per månad, delad efter utfall: helfylld = flytt genomförd, snedstreckad = flytt ej "
            "genomförd, prickad = hänvisat till det nationella nätverket. Antalet står ovanför varje stapel "
            "och i tabellen intill."
        ),
        width=max(left + plot_width + 20, legend_width),
        height=plot_bottom + bottom_space,
        plot_left=left,
        plot_right=left + plot_width,
        plot_top=top,
        plot_bottom=plot_bottom,
        columns=columns,
        ticks=[Tick(position=plot_bottom - t * scale, label=str(t)) for t in _ticks(top_value)],
        legend=legend,
    )
