"""Each figure of the report on the hand-built year of tests/reports/conftest.py."""

import datetime

import pytest
from django.db import connection

from accounts.models import Role
from reports import selectors
from reports.access import scope_for_user
from reports.periods import calendar_year

YEAR = calendar_year(2025)


@pytest.fixture
def county_scope(dataset, county_staff):
    return scope_for_user(county_staff)


@pytest.fixture
def koping_scope(dataset, officer_koping):
    return scope_for_user(officer_koping)


def by_name(rows):
    return {row.municipality.name: row for row in rows}


def test_requests_per_municipality(county_scope, dataset):
    rows = by_name(selectors.municipality_figures(scope=county_scope, period=YEAR))
    assert len(rows) == 10
    k, s, a, v, f = rows["Köping"], rows["Sala"], rows["Arboga"], rows["Västerås"], rows["Fagersta"]
    assert (k.sent, k.received, k.accepted, k.open_in_time, k.unanswered, k.late) == (5, 3, 1, 1, 1, 1)
    assert (k.declined_quota, k.declined_resources, k.withdrawn, k.superseded) == (0, 0, 0, 0)
    assert (s.sent, s.received, s.accepted, s.declined_resources, s.declined_quota) == (1, 2, 1, 1, 0)
    assert (a.sent, a.received, a.accepted, a.superseded, a.withdrawn) == (1, 3, 1, 1, 1)
    assert (v.sent, v.received, v.declined_quota, v.late, v.accepted) == (1, 1, 1, 1, 0)
    assert (f.sent, f.received) == (1, 0)
    assert rows["Norberg"].sent == rows["Norberg"].received == 0


def test_requests_of_2024_are_not_in_2025(county_scope, dataset):
    rows = by_name(selectors.municipality_figures(scope=county_scope, period=calendar_year(2024)))
    assert (rows["Köping"].sent, rows["Sala"].received, rows["Sala"].accepted) == (1, 1, 1)


def test_quota_table_counts_the_year_of_acceptance_against_the_quota(county_scope, dataset):
    rows = by_name(selectors.quota_table(scope=county_scope, year=2025))
    assert (rows["Köping"].quota, rows["Köping"].received, rows["Köping"].handed_over) == (3, 1, 1)
    # An administrator's override wins over the key (Sala would have 3).
    assert (rows["Sala"].quota, rows["Sala"].received, rows["Sala"].handed_over) == (5, 1, 0)
    assert (rows["Arboga"].quota, rows["Arboga"].received) == (2, 1)
    assert (rows["Västerås"].handed_over, rows["Fagersta"].handed_over) == (1, 1)
    assert rows["Norberg"].quota == 1
    assert rows["Sala"].remaining_received == 4
    for row in rows.values():
        assert row.quota == row.municipality.quota_for(2025)


def test_lead_times_of_the_county(county_scope, dataset):
    lead = selectors.lead_times(scope=county_scope, period=YEAR)
    # Decision days 9, 14, 17, 24, 29 (counted in local dates: decisions at 00:30 Swedish time).
    assert (lead.to_decision.count, lead.to_decision.median) == (5, 17)
    assert (lead.to_decision.minimum, lead.to_decision.maximum) == (9, 29)
    assert lead.decisions_within_deadline == 3
    assert lead.share_within_deadline == 60
    # Acceptance to move: 61 and 37 days.
    assert (lead.acceptance_to_move.count, lead.acceptance_to_move.median) == (2, 49)
    assert (lead.acceptance_to_move.minimum, lead.acceptance_to_move.maximum) == (37, 61)
    # First request to closure: 57, 105, 111, 119 days.
    assert (lead.request_to_closure.count, lead.request_to_closure.median) == (4, 108)
    assert (lead.request_to_closure.minimum, lead.request_to_closure.maximum) == (57, 119)


def test_lead_times_of_one_municipality(koping_scope, dataset):
    lead = selectors.lead_times(scope=koping_scope, period=YEAR)
    # Requests sent by or to Köping: 14, 29, 9 and 24 days.
    assert (lead.to_decision.count, lead.to_decision.median, lead.decisions_within_deadline) == (4, 19, 2)
    # Cases Köping closed: one move after 61 days; closures after 119 and 105 days.
    assert (lead.acceptance_to_move.count, lead.acceptance_to_move.median) == (1, 61)
    assert (lead.request_to_closure.count, lead.request_to_closure.median) == (2, 112)


def test_lead_times_without_data(county_scope, dataset):
    lead = selectors.lead_times(scope=county_scope, period=calendar_year(2023))
    assert lead.to_decision.count == 0
    assert lead.to_decision.median is None
    assert lead.share_within_deadline is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no percentile_cont")
def test_median_is_computed_by_the_database(county_scope, dataset, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.lead_times(scope=county_scope, period=YEAR)


def test_outcomes_by_month(county_scope, dataset):
    months = selectors.outcomes_by_month(scope=county_scope, period=YEAR)
    assert len(months) == 12
    counts = {m.month.month: m.counts for m in months if m.total}
    assert counts == {
        4: {"moved": 0, "not_moved": 1, "national": 0},
        6: {"moved": 1, "not_moved": 0, "national": 0},
        7: {"moved": 0, "not_moved": 1, "national": 0},
        11: {"moved": 1, "not_moved": 0, "national": 0},
    }


def test_lusam_summary_and_reasons(county_scope, dataset):
    summary = selectors.lusam_summary(scope=county_scope, period=YEAR)
    assert summary["woman_children"]["moved"] == 1
    assert summary["woman_no_children"]["not_moved"] == 1
    assert summary["man_no_children"]["moved"] == 1
    assert summary["man_children"]["not_moved"] == 1
    assert sum(sum(c.values()) for c in summary.values()) == 4
    reasons = selectors.not_moved_reasons(scope=county_scope, period=YEAR)
    assert reasons["no_municipality"] == 1
    assert reasons["consent_withdrawn"] == 1
    assert sum(reasons.values()) == 2


def test_lusam_records_hold_the_plans_fields_only(county_scope, dataset):
    rows = selectors.lusam_records(scope=county_scope, period=YEAR)
    assert [(r.closed_on, r.sending) for r in rows] == [
        (datetime.date(2025, 4, 1), "Fagersta"),
        (datetime.date(2025, 6, 30), "Köping"),
        (datetime.date(2025, 7, 15), "Köping"),
        (datetime.date(2025, 11, 20), "Västerås"),
    ]
    fagersta, moved, not_moved, _vasteras = rows
    assert fagersta.first_accepted_by == "Arboga"
    assert fagersta.not_moved_reason == "Den enskilde återkallade sitt samtycke"
    assert fagersta.destination == ""
    assert moved.asked == ["Arboga", "Sala"]
    assert (moved.target_group, moved.outcome, moved.destination) == ("Kvinna med barn", "Flytt genomförd", "Sala")
    assert not_moved.asked == ["Arboga", "Sala", "Västerås"]
    assert not_moved.not_moved_reason == "Ingen kommun kunde ta emot"
    assert not hasattr(moved, "reference")
    assert moved.presented_on is None


def test_lusam_records_name_the_meeting_they_were_presented_at(county_scope, dataset, vastmanland):
    from cases.models import LusamRecord
    from municipalities.models import LusamMeeting

    meeting = LusamMeeting.objects.create(network=vastmanland, date="2025-08-20")
    LusamRecord.objects.filter(closed_on="2025-06-30").update(presented_at=meeting)
    rows = selectors.lusam_records(scope=county_scope, period=YEAR)
    assert [r.presented_on for r in rows] == [None, datetime.date(2025, 8, 20), None, None]


def test_officer_sees_only_own_figures_but_every_quota(koping_scope, dataset):
    assert [m.name for m in koping_scope.figure_municipalities] == ["Köping"]
    rows = selectors.municipality_figures(scope=koping_scope, period=YEAR)
    assert [r.municipality.name for r in rows] == ["Köping"]
    assert len(selectors.quota_table(scope=koping_scope, year=2025)) == 10
    records = selectors.lusam_records(scope=koping_scope, period=YEAR)
    assert {r.sending for r in records} == {"Köping"}
    assert len(records) == 2


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_supervisors_and_administrators_have_no_reports(make_user, role):
    from django.core.exceptions import PermissionDenied

    user = make_user(role, "Sala", unit="adult") if role == Role.SUPERVISOR else make_user(role)
    with pytest.raises(PermissionDenied):
        scope_for_user(user)


def test_python_median_fallback_gives_the_same_answer(county_scope, dataset, monkeypatch):
    from reports import selectors as module

    in_sql = selectors.lead_times(scope=county_scope, period=YEAR)
    monkeypatch.setattr(module, "supports_median", lambda: False)
    in_python = selectors.lead_times(scope=county_scope, period=YEAR)
    assert in_python == in_sql
