"""The charts: geometry, patterns that read without colour, and accessible SVG markup."""

import datetime
import re

from django.template.loader import render_to_string
from django.urls import reverse

from reports import charts, selectors
from reports.access import scope_for_user
from reports.periods import calendar_year


def test_quota_chart_geometry(dataset, county_staff):
    rows = selectors.quota_table(scope=scope_for_user(county_staff), year=2025)
    chart = charts.quota_chart(rows=rows, year=2025)
    groups = {g.name: g for g in chart.groups}
    sala = groups["Sala"]
    # The axis ends at 5 (Sala's quota) over 380 px: one case is 76 px.
    assert [t.label for t in chart.ticks] == ["0", "1", "2", "3", "4", "5"]
    assert sala.quota_x == chart.plot_left + 380
    received, handed_over = sala.bars
    assert (received.fill, received.value, received.width) == ("hatch", 1, 76)
    assert (handed_over.fill, handed_over.value, handed_over.width) == ("dots", 0, 0)
    assert groups["Köping"].quota_x == chart.plot_left + 3 * 76
    assert [item["fill"] for item in chart.legend] == ["hatch", "dots", "line"]


def test_outcome_chart_stacks_outcomes_per_month(dataset, county_staff):
    months = selectors.outcomes_by_month(scope=scope_for_user(county_staff), period=calendar_year(2025))
    chart = charts.outcome_chart(months=months)
    assert len(chart.columns) == 12
    april = chart.columns[3]
    assert april.total == 1
    assert [(bar.fill, bar.value, bar.height) for bar in april.bars] == [("hatch", 1, 200)]
    assert chart.columns[0].bars == []
    assert [item["fill"] for item in chart.legend] == ["solid", "hatch", "dots"]


def test_many_months_name_only_januaries(dataset, county_staff):
    from reports.periods import between

    period = between(datetime.date(2022, 3, 1), datetime.date(2025, 12, 31))
    months = selectors.outcomes_by_month(scope=scope_for_user(county_staff), period=period)
    chart = charts.outcome_chart(months=months)
    named = [c.label for c in chart.columns if c.label]
    assert len(chart.columns) == 46
    assert len(named) == 4  # March 2022 and the Januaries of 2023–2025


def test_svg_markup_is_accessible_and_csp_safe(dataset, county_staff, client_for):
    html = client_for(county_staff).get(reverse("reports:index"), {"period": "year", "year": "2025"}).content.decode()
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg
        chart_id = re.search(r'aria-labelledby="([\w-]+)-title \1-desc"', svg).group(1)
        assert f'<title id="{chart_id}-title">' in svg
        assert f'<desc id="{chart_id}-desc">' in svg
        assert f'fill="url(#{chart_id}-hatch)"' in svg
        # Strict CSP: no style attributes or elements; no decimal commas in coordinates.
        assert "style=" not in svg and "<style" not in svg
        assert not re.search(r'(?:x|y|width|height)="\d+,\d', svg)
    # Each chart has its data table beside it.
    assert html.count("<table>") == 7
    assert "<script" not in html


def test_chart_template_renders_small_numbers_as_text(dataset, county_staff):
    rows = selectors.quota_table(scope=scope_for_user(county_staff), year=2025)
    svg = render_to_string("reports/charts/quota.svg", {"chart": charts.quota_chart(rows=rows, year=2025)})
    assert "<title>Sala: 1 mottagna</title>" in svg
    assert "Sala: fördelning 5" in svg
