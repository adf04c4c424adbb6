"""Rule 8 over the years: each year's quota follows the population counted by the end of the year before.

A new year's figures must not change the quotas of past years (reports, and rule 5's "quota already
received" ground), and every reader of the quota (``quota_for``, reports, recipient options, the
directory) gives the same number.
"""

import importlib
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from cases.selectors import recipient_options_for_case
from municipalities.models import Municipality, PopulationCount, QuotaOverride
from municipalities.selectors import directory_for_network
from reports.access import scope_for_user
from reports.selectors import quota_table, quotas_for
from tests.builders import complete_preparation, create_case, fill_form
from tests.conftest import municipality, verified_client

QUIET = {"stdout": open("/dev/null", "w")}  # noqa: SIM115


def import_figures(tmp_path, rows: str, counted_on: str) -> None:
    path = tmp_path / f"scb-{counted_on}.csv"
    path.write_text("code;name;population\n" + rows, encoding="utf-8")
    call_command("import_population", str(path), "--counted-on", counted_on, **QUIET)


def history(name: str) -> list[tuple[date, int]]:
    return list(municipality(name).population_counts.order_by("counted_on").values_list("counted_on", "population"))


def test_load_network_records_the_plans_december_2023_figures_once(vastmanland):
    assert PopulationCount.objects.count() == 10
    assert history("Hallstahammar") == [(date(2023, 12, 31), 16_693)]
    call_command("load_network", "vastmanland", **QUIET)
    assert PopulationCount.objects.count() == 10


def test_new_figures_change_next_years_quota_but_not_the_past_ones(vastmanland, tmp_path):
    # Hallstahammar 16 693 (2) grows over 20 000 and Sala 22 922 (3) falls under it, counted at the end of 2025.
    import_figures(tmp_path, "1961;Hallstahammar;20 001\n1981;Sala;19 800\n", "2025-12-31")
    hallstahammar, sala = municipality("Hallstahammar"), municipality("Sala")
    assert [hallstahammar.quota_for(year) for year in (2024, 2025, 2026, 2027)] == [2, 2, 3, 3]
    assert [sala.quota_for(year) for year in (2024, 2025, 2026)] == [3, 3, 2]
    # The municipality's own figures are the latest; the history keeps both counts.
    assert (hallstahammar.population, hallstahammar.population_counted_on) == (20_001, date(2025, 12, 31))
    assert history("Hallstahammar") == [(date(2023, 12, 31), 16_693), (date(2025, 12, 31), 20_001)]
    # The untouched municipalities keep their count and quota.
    assert history("Köping") == [(date(2023, 12, 31), 25_977)]


def test_a_year_before_the_first_count_uses_the_earliest_count(vastmanland):
    # The plan's figures (end of 2023) are the only ones: they also govern 2023 and earlier.
    assert municipality("Hallstahammar").quota_for(2020) == 2
    assert municipality("Kungsör").quota_for(2023) == 1


def test_older_figures_fill_the_history_without_replacing_the_latest(vastmanland, tmp_path):
    import_figures(tmp_path, "1960;Kungsör;10 200\n", "2022-12-31")
    kungsor = municipality("Kungsör")
    assert (kungsor.population, kungsor.population_counted_on) == (8_678, date(2023, 12, 31))
    assert [kungsor.quota_for(year) for year in (2022, 2023, 2024)] == [2, 2, 1]


def test_reimporting_a_date_corrects_that_count_and_reports_unchanged_rows(vastmanland, tmp_path):
    import_figures(tmp_path, "1960;Kungsör;9 000\n", "2025-12-31")
    import_figures(tmp_path, "1960;Kungsör;10 500\n", "2025-12-31")
    assert history("Kungsör") == [(date(2023, 12, 31), 8_678), (date(2025, 12, 31), 10_500)]
    assert municipality("Kungsör").population == 10_500
    path = tmp_path / "again.csv"
    path.write_text("1960;Kungsör;10 500\n", encoding="utf-8")
    with open(tmp_path / "out.txt", "w") as out:
        call_command("import_population", str(path), "--counted-on", "2025-12-31", stdout=out)
    assert (tmp_path / "out.txt").read_text().strip() == "0 updated, 1 unchanged."


def test_a_bad_row_saves_no_count_of_the_file(vastmanland, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("1961;Hallstahammar;20001\n1981;Sala;många\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Rad 2"):
        call_command("import_population", str(path), "--counted-on", "2025-12-31")
    assert PopulationCount.objects.count() == 10
    assert municipality("Hallstahammar").quota_for(2026) == 2


def test_the_override_still_wins_over_the_history(vastmanland, tmp_path):
    import_figures(tmp_path, "1961;Hallstahammar;20 001\n", "2025-12-31")
    hallstahammar = municipality("Hallstahammar")
    QuotaOverride.objects.create(municipality=hallstahammar, year=2026, quota=1, reason="Beslut i LUSAM")
    QuotaOverride.objects.create(municipality=hallstahammar, year=2024, quota=4, reason="Beslut i LUSAM")
    assert [hallstahammar.quota_for(year) for year in (2024, 2025, 2026, 2027)] == [4, 2, 1, 3]


def test_every_reader_of_the_quota_agrees_with_quota_for(
    vastmanland, tmp_path, officer_koping, county_staff, time_machine, django_assert_num_queries
):
    time_machine.move_to(date(2026, 3, 2), tick=False)
    import_figures(tmp_path, "1961;Hallstahammar;20 001\n1981;Sala;19 800\n1960;Kungsör;10 000\n", "2025-12-31")
    QuotaOverride.objects.create(municipality=municipality("Arboga"), year=2026, quota=4, reason="Beslut i LUSAM")
    members = list(Municipality.objects.filter(network=vastmanland))
    for year in (2024, 2025, 2026):
        expected = {m.pk: m.quota_for(year) for m in members}
        with django_assert_num_queries(1):
            assert Municipality.quotas_for(members, year) == expected
        assert quotas_for(municipalities=members, year=year) == expected
        table = quota_table(scope=scope_for_user(county_staff), year=year)
        assert {row.municipality.pk: row.quota for row in table} == expected
        # A prefetched list (the admin's) reads the same without a query per row.
        prefetched = list(Municipality.objects.prefetch_related("quota_overrides", "population_counts"))
        with django_assert_num_queries(0):
            assert {m.pk: m.quota_for(year) for m in prefetched} == expected
    expected_2026 = {m.name: m.quota_for(2026) for m in members}
    assert {k: expected_2026[k] for k in ("Hallstahammar", "Sala", "Kungsör", "Arboga")} == {
        "Hallstahammar": 3,
        "Sala": 2,
        "Kungsör": 2,
        "Arboga": 4,
    }
    case = create_case(officer_koping)
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    options = recipient_options_for_case(case=case, user=officer_koping)
    assert {o.municipality.name: o.quota for o in options} == {
        name: quota for name, quota in expected_2026.items() if name != "Köping"
    }
    directory = directory_for_network(network=vastmanland, year=2026, today=date(2026, 3, 2))
    assert {row.municipality.name: row.quota for row in directory.rows} == expected_2026


def test_a_municipality_without_any_count_uses_its_own_figures(vastmanland):
    PopulationCount.objects.filter(municipality__name="Kungsör").delete()
    Municipality.objects.filter(name="Kungsör").update(population=12_000)
    assert municipality("Kungsör").quota_for(2025) == 2


def test_the_data_migration_starts_each_history_with_the_current_figures(vastmanland):
    migration = importlib.import_module("municipalities.migrations.0004_population_count_history")
    state = MigrationExecutor(connection).loader.project_state(("municipalities", "0004_population_count_history"))
    PopulationCount.objects.filter(municipality__name__in=["Sala", "Kungsör"]).delete()
    Municipality.objects.filter(name="Sala").update(population=23_500, population_counted_on=date(2024, 12, 31))
    migration.create_counts(state.apps, None)
    assert history("Sala") == [(date(2024, 12, 31), 23_500)]
    assert history("Kungsör") == [(date(2023, 12, 31), 8_678)]
    # Municipalities that already had their count keep exactly one.
    assert PopulationCount.objects.count() == 10


def test_the_admin_shows_and_extends_the_history_and_the_figures_follow(administrator, vastmanland):
    kungsor = municipality("Kungsör")
    first = kungsor.population_counts.get()
    client = verified_client(administrator)
    url = reverse("admin:municipalities_municipality_change", args=[kungsor.pk])
    page = client.get(url).content.decode()
    assert "population_counts-0-counted_on" in page and "2023-12-31" in page
    data = {
        "network": vastmanland.pk,
        "name": "Kungsör",
        "scb_code": "1960",
        "participates": "on",
        "population_counts-TOTAL_FORMS": "2",
        "population_counts-INITIAL_FORMS": "1",
        "population_counts-MIN_NUM_FORMS": "0",
        "population_counts-MAX_NUM_FORMS": "1000",
        "population_counts-0-id": first.pk,
        "population_counts-0-municipality": kungsor.pk,
        "population_counts-0-counted_on": "2023-12-31",
        "population_counts-0-population": "8678",
        "population_counts-1-municipality": kungsor.pk,
        "population_counts-1-counted_on": "2025-12-31",
        "population_counts-1-population": "10400",
        "quota_overrides-TOTAL_FORMS": "0",
        "quota_overrides-INITIAL_FORMS": "0",
        "quota_overrides-MIN_NUM_FORMS": "0",
        "quota_overrides-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    kungsor.refresh_from_db()
    assert (kungsor.population, kungsor.population_counted_on) == (10_400, date(2025, 12, 31))
    assert [kungsor.quota_for(year) for year in (2025, 2026)] == [1, 2]
    # A second count of the same date is refused on the form and saves nothing.
    second = kungsor.population_counts.get(counted_on=date(2025, 12, 31))
    data.update(
        {
            "population_counts-TOTAL_FORMS": "3",
            "population_counts-INITIAL_FORMS": "2",
            "population_counts-1-id": second.pk,
            "population_counts-2-municipality": kungsor.pk,
            "population_counts-2-counted_on": "2023-12-31",
            "population_counts-2-population": "9000",
        }
    )
    assert client.post(url, data).status_code == 200
    assert kungsor.population_counts.count() == 2
