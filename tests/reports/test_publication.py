"""Tables for publication: counts from 1 to 2 become "<3"; nothing that singles out a case remains."""

from reports import tables
from reports.access import scope_for_user
from reports.periods import calendar_year
from reports.tables import SUPPRESSED, publish_count


def report_for(user):
    return tables.build_report(scope=scope_for_user(user), period=calendar_year(2025))


def test_publish_count():
    assert [publish_count(n, True) for n in (0, 1, 2, 3, 10)] == [0, SUPPRESSED, SUPPRESSED, 3, 10]
    assert [publish_count(n, False) for n in (0, 1, 2, 3)] == [0, 1, 2, 3]


def test_municipality_table_for_publication(dataset, county_staff):
    table = tables.municipality_table(report_for(county_staff), publication=True)
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Köping"] == [5, 3, "<3", 0, 0, 0, 0, "<3", "<3", "<3"]
    assert rows["Arboga"] == ["<3", 3, "<3", 0, 0, "<3", "<3", 0, 0, 0]
    assert rows["Norberg"] == [0] * 10
    for row in table.rows:
        assert all(value in (0, SUPPRESSED) or value >= 3 for value in row[1:])


def test_quota_table_for_publication_drops_what_gives_small_numbers_back(dataset, county_staff):
    report = report_for(county_staff)
    (internal,) = tables.quota_tables(report)
    (published,) = tables.quota_tables(report, publication=True)
    assert len(internal.columns) == 6
    # "Remaining" = quota − used would undo the suppression.
    assert [c.label for c in published.columns] == [
        "Kommun",
        "Fördelning (antal ärenden)",
        "Mottagna ärenden",
        "Överlämnade ärenden",
    ]
    rows = {row[0]: row[1:] for row in published.rows}
    assert rows["Köping"] == [3, "<3", "<3"]
    assert rows["Sala"] == [5, "<3", 0]


def test_lead_times_for_publication_have_no_ranges_and_no_median_of_few(dataset, county_staff):
    report = report_for(county_staff)
    table = tables.lead_time_table(report, publication=True)
    assert [c.label for c in table.columns] == ["Tid", "Antal", "Median (dagar)"]
    assert [row[1:] for row in table.rows] == [[5, 17.0], [SUPPRESSED, "–"], [4, 108.0]]
    internal = tables.lead_time_table(report)
    assert [row[1:] for row in internal.rows] == [[5, 17.0, 9, 29], [2, 49.0, 37, 61], [4, 108.0, 57, 119]]


def test_deadline_share(dataset, county_staff):
    report = report_for(county_staff)
    assert tables.deadline_table(report).rows[0][1:] == [5, 3, 60.0]
    # 2 of 5 were late: the share would give the small number back.
    assert tables.deadline_table(report, publication=True).rows[0][1:] == [5, 3, "–"]


def test_outcome_and_summary_tables_for_publication(dataset, county_staff):
    report = report_for(county_staff)
    outcome = tables.outcome_table(report, publication=True)
    assert "Totalt" not in [c.label for c in outcome.columns]
    assert outcome.rows[5] == ["juni 2025", SUPPRESSED, 0, 0]
    summary = tables.summary_table(report, publication=True)
    assert summary.rows[0] == ["Kvinna utan barn", 0, SUPPRESSED, 0]
    reasons = {row[0]: row[1] for row in tables.reason_table(report, publication=True).rows}
    assert reasons["Ingen kommun kunde ta emot"] == SUPPRESSED
    internal = tables.summary_table(report)
    assert internal.rows[0] == ["Kvinna utan barn", 0, 1, 0, 1]


def test_no_table_for_publication_holds_a_small_count(dataset, county_staff):
    for table in tables.report_tables(report_for(county_staff), publication=True):
        labels = [column.label for column in table.columns]
        for row in table.rows:
            for label, value in zip(labels[1:], row[1:], strict=True):
                if label == "Fördelning (antal ärenden)":
                    continue  # the agreed quota, not a count of cases
                assert not (isinstance(value, int) and 1 <= value <= 2), (table.key, row)


def test_a_single_suppressed_part_is_protected_by_a_second_hidden_cell():
    from reports.tables import HIDDEN, protect_partition

    # Received 7 = 5 accepted + 2 withdrawn: "<3" alone would give the 2 back (7 − 5).
    row = ["Kommun", 9, 7, 5, 0, 0, SUPPRESSED, 0, 0, 0, 0]
    protect_partition(row, total=2, parts=[3, 4, 5, 6, 7, 8, 10])
    assert row == ["Kommun", 9, 7, HIDDEN, 0, 0, SUPPRESSED, 0, 0, 0, 0]
    # Two suppressed parts already hide each other.
    row = ["Kommun", 9, 4, 0, 0, 0, SUPPRESSED, SUPPRESSED, 0, 0, 0]
    protect_partition(row, total=2, parts=[3, 4, 5, 6, 7, 8, 10])
    assert HIDDEN not in row
    # The smallest other part is the one hidden.
    row = ["Kommun", 0, 12, 6, 4, 0, 0, 0, SUPPRESSED, 0, 0]
    protect_partition(row, total=2, parts=[3, 4, 5, 6, 7, 8, 10])
    assert row[3:9] == [6, HIDDEN, 0, 0, 0, SUPPRESSED]


def test_publication_table_hides_a_computable_cell(dataset, county_staff):
    from tests.factories import RequestFactory
    from tests.reports.conftest import at, d

    # Arboga: 3 accepted, 3 superseded and 1 withdrawn of 7 received; the 1 alone would follow from 7 − 6.
    for status in ("accepted", "accepted", "superseded", "superseded"):
        RequestFactory(recipient=dataset.A, status=status, sent_at=at(d("2025-06-02")), reply_by=d("2025-06-23"))
    table = tables.municipality_table(report_for(county_staff), publication=True)
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Arboga"][1:8] == [7, "..", 0, 0, "<3", 3, 0]
    assert "”..”" in table.note
