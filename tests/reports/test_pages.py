"""The report pages, their access rules and their query counts."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import AuditAction, AuditEvent
from municipalities.models import LusamMeeting

YEAR_QUERY = {"period": "year", "year": "2025"}


def test_county_staff_see_every_municipality(dataset, county_staff, client_for):
    response = client_for(county_staff).get(reverse("reports:index"), YEAR_QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kalenderåret 2025" in html
    table = response.context["municipality_table"]
    assert [row[0] for row in table.rows][:3] == ["Arboga", "Fagersta", "Hallstahammar"]
    assert len(table.rows) == 10
    assert '<svg class="chart"' in html
    assert '<title id="quota-2025-title">' in html
    assert "Köping" in html


def test_officer_sees_quota_of_all_and_own_figures_only(dataset, officer_koping, client_for):
    response = client_for(officer_koping).get(reverse("reports:index"), YEAR_QUERY)
    assert response.status_code == 200
    assert [row[0] for row in response.context["municipality_table"].rows] == ["Köping"]
    quota_chart, quota_table = response.context["quota_sections"][0]
    assert len(quota_table.rows) == 10
    # Köping's own sent and received requests, none of Sala's.
    assert response.context["municipality_table"].rows[0][1:4] == [5, 3, 1]


def test_officer_of_another_municipality_cannot_see_foreign_figures(dataset, contact_sala, client_for):
    client = client_for(contact_sala)
    response = client.get(reverse("reports:index"), YEAR_QUERY)
    assert [row[0] for row in response.context["municipality_table"].rows] == ["Sala"]
    records = client.get(reverse("reports:records"), YEAR_QUERY)
    # Sala closed no case in 2025: Köping's, Västerås' and Fagersta's records are not shown.
    assert records.context["table"].rows == []
    export = client.get(reverse("reports:export", args=["lusam-redovisningar", "csv"]), YEAR_QUERY)
    assert "Köping" not in export.content.decode("utf-8-sig")


def test_records_page_lists_the_plans_fields_without_reference(dataset, county_staff, client_for):
    response = client_for(county_staff).get(reverse("reports:records"), YEAR_QUERY)
    assert response.status_code == 200
    assert len(response.context["table"].rows) == 4
    html = response.content.decode()
    assert "Ingen kommun kunde ta emot" in html
    from cases.models import Case

    for reference in Case.objects.values_list("reference", flat=True):
        assert reference not in html
    assert "Motivering." not in html


@pytest.mark.parametrize("fixture", ["officer_koping_colleague", "supervisor_sala_adult", "administrator"])
def test_others_are_refused(dataset, request, fixture, client_for):
    """Only county staff and contact persons: an officer who is not the contact person has no reports."""
    user = request.getfixturevalue(fixture)
    client = client_for(user)
    assert client.get(reverse("reports:index")).status_code == 403
    assert client.get(reverse("reports:export", args=["kommuner", "csv"]), YEAR_QUERY).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_default_period_is_since_the_last_meeting(dataset, vastmanland, county_staff, client_for):
    LusamMeeting.objects.create(network=vastmanland, date="2025-10-01")
    LusamMeeting.objects.create(network=vastmanland, date="2026-02-01")  # still to come
    response = client_for(county_staff).get(reverse("reports:index"))
    period = response.context["period"]
    assert (str(period.start), str(period.end)) == ("2025-10-01", "2025-12-31")
    assert "Sedan LUSAM-mötet 2025-10-01" in response.content.decode()
    assert response.context["summary_table"].rows[2][1] == 1  # the man without children who moved


def test_default_period_without_meetings_is_this_year(dataset, county_staff, client_for):
    response = client_for(county_staff).get(reverse("reports:index"))
    assert (str(response.context["period"].start), response.context["query"]) == (
        "2025-01-01",
        "period=year&year=2025",
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"period": "year"}, "year", "Ange ett år."),
        ({"period": "year", "year": "tjugo"}, "year", "Ange året med fyra siffror, till exempel 2026."),
        ({"period": "year", "year": "2030"}, "year", "Ange ett år mellan 2000 och 2025."),
        ({"period": "dates", "start": "2025-05-01"}, "end", "Ange slutdatum."),
        ({"period": "dates", "start": "2025-05-01", "end": "2025-04-01"}, "end", "Slutdatumet kan inte vara före"),
        ({"period": "dates", "start": "2019-01-01", "end": "2025-04-01"}, "end", "högst 5 kalenderår"),
        ({"period": "dates", "start": "2025-13-01", "end": "2025-04-01"}, "start", "Ange datumet som ÅÅÅÅ-MM-DD."),
        ({"period": "meeting"}, "__all__", "Inget LUSAM-möte finns registrerat"),
        ({"period": "week"}, "period", "Välj en av perioderna i listan."),
    ],
)
def test_wrong_periods_get_swedish_messages(dataset, county_staff, client_for, query, field, message):
    response = client_for(county_staff).get(reverse("reports:index"), query)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert response.context["period"] is None
    assert message.split("<")[0] in response.content.decode()


def test_two_dates(dataset, county_staff, client_for):
    response = client_for(county_staff).get(
        reverse("reports:index"), {"period": "dates", "start": "2025-06-01", "end": "2025-07-31"}
    )
    assert [row[0] for row in response.context["outcome_table"].rows] == ["juni 2025", "juli 2025"]
    assert response.context["lead_time_table"].rows[2][1] == 2  # closures of case 1 and case 2


def test_meeting_choice_names_the_meeting(dataset, vastmanland, officer_koping, client_for):
    LusamMeeting.objects.create(network=vastmanland, date="2025-12-10")
    response = client_for(officer_koping).get(reverse("reports:index"), {"period": "meeting"})
    assert "Sedan senaste LUSAM-mötet (2025-12-10)" in response.content.decode()
    assert response.context["period"].start.isoformat() == "2025-12-10"
    # Only the request of 2025-12-20 (Arboga to Köping) was sent since the meeting.
    assert response.context["municipality_table"].rows[0][:3] == ["Köping", 0, 1]


def test_report_pages_have_accessible_markup(dataset, vastmanland, county_staff, officer_koping, client_for):
    from tests.cases.test_views_markup import _check

    LusamMeeting.objects.create(network=vastmanland, date="2025-10-01")
    for user in (county_staff, officer_koping):
        client = client_for(user)
        for name in ("reports:index", "reports:records"):
            for query in ({}, YEAR_QUERY, {"period": "dates", "start": "2025-13-01"}):
                response = client.get(reverse(name), query)
                _check(response.content.decode(), f"{name}?{query}")


def test_the_navigation_offers_reports_to_contact_persons_and_county_staff_only(
    dataset, county_staff, officer_koping, officer_koping_colleague, client_for
):
    link = f'href="{reverse("reports:index")}"'
    assert link in client_for(county_staff).get(reverse("home")).content.decode()
    assert link in client_for(officer_koping).get(reverse("home")).content.decode()
    assert link not in client_for(officer_koping_colleague).get(reverse("home")).content.decode()


@pytest.mark.parametrize("page", ["reports:index", "reports:records"])
def test_every_table_download_link_answers(dataset, county_staff, client_for, page):
    client = client_for(county_staff)
    html = client.get(reverse(page), YEAR_QUERY).content.decode()
    prefix = reverse("reports:export", args=["kommuner", "csv"]).removesuffix("kommuner.csv")
    links = re.findall(r'href="(' + re.escape(prefix) + r'[^"?]+)\?([^"]*)"', html)
    # Seven tables of a one-year report, four downloads each; the records page offers CSV and XLSX.
    expected = {"reports:index": 28, "reports:records": 2}[page]
    assert len(links) == expected
    for path, query in links:
        assert path.endswith((".csv", ".xlsx"))
        response = client.get(f"{path}?{query.replace('&amp;', '&')}")
        assert response.status_code == 200, path


@translation.override("sv")
def test_table_rows_are_escaped_and_localized_like_template_values():
    from django.template.loader import render_to_string

    from reports.tables import SUPPRESSED, Column, Table

    table = Table(
        key="t",
        title="T",
        columns=[Column("Namn", numeric=False), Column("Antal"), Column("Median")],
        rows=[["<b>Sala & Heby</b>", SUPPRESSED, 12.5], ["Köping", 3, None]],
    )
    html = render_to_string("reports/_table.html", {"table": table})
    assert '<th scope="row">&lt;b&gt;Sala &amp; Heby&lt;/b&gt;</th>' in html
    assert '<td class="num">&lt;3</td><td class="num">12,5</td>' in html
    assert '<th scope="row">Köping</th><td class="num">3</td><td class="num">None</td>' in html
    nothing = Table(key="e", title="E", columns=table.columns, rows=[])
    empty = render_to_string("reports/_table.html", {"table": nothing})
    assert '<td colspan="3">Inga uppgifter för perioden.</td>' in empty
