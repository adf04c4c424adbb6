"""Loading the Västmanland network: the plan's table, idempotence, and population imports."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from municipalities.models import Municipality, Network, PopulationCount

# The plan's table "Fördelningsnyckel, riktlinje" (population December 2023).
PLAN_TABLE = {
    "Arboga": (14_019, 2),
    "Fagersta": (13_263, 2),
    "Hallstahammar": (16_693, 2),
    "Kungsör": (8_678, 1),
    "Köping": (25_977, 3),
    "Norberg": (5_545, 1),
    "Sala": (22_922, 3),
    "Skinnskatteberg": (4_354, 1),
    "Surahammar": (9_953, 1),
    "Västerås": (159_629, 3),
}


def test_loaded_network_equals_the_plan_table(vastmanland):
    loaded = {m.name: (m.population, m.quota_for(2024)) for m in vastmanland.municipalities.all()}
    assert loaded == PLAN_TABLE
    assert set(vastmanland.municipalities.filter(national_network=True).values_list("name", flat=True)) == {
        "Köping",
        "Västerås",
    }


def test_rerunning_load_network_changes_nothing(vastmanland):
    before = list(Municipality.objects.order_by("pk").values())
    call_command("load_network", "vastmanland", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Network.objects.count() == 1
    assert list(Municipality.objects.order_by("pk").values()) == before


def test_import_population_updates_every_row(vastmanland, tmp_path):
    path = tmp_path / "scb.csv"
    path.write_text("code;name;population\n1981;Sala;23 100\n1960;Kungsör;10000\n", encoding="utf-8")
    call_command("import_population", str(path), "--counted-on", "2024-12-31", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sala = Municipality.objects.get(name="Sala")
    kungsor = Municipality.objects.get(name="Kungsör")
    assert (sala.population, sala.population_counted_on) == (23_100, date(2024, 12, 31))
    assert kungsor.quota_for(2025) == 2


@pytest.mark.parametrize(
    ("content", "row", "reason"),
    [
        ("code;name;population\n1981;Sala;23100\n1960;Kungsör;tiotusen\n", 3, "heltal"),
        ("1981;Sala;23100\n19x0;Kungsör;100\n", 2, "fyra siffror"),
        ("1981;Sala;23100\n1960;Kungsör\n", 2, "tre fält"),
        ("1981;Sala;23100\n1981;Sala;23200\n", 2, "två gånger"),
        ("1981;Sala;23100\n0999;Okänd;100\n", 2, "finns inte"),
        ("code;name;population\n1981;Sala;23100\n0999;Okänd;100\n", 3, "finns inte"),
    ],
)
def test_bad_population_file_saves_nothing_and_names_the_row(vastmanland, tmp_path, content, row, reason):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    before = list(Municipality.objects.order_by("pk").values("population", "population_counted_on"))
    counts_before = list(PopulationCount.objects.order_by("pk").values())
    with pytest.raises(CommandError) as error:
        call_command("import_population", str(path))
    assert f"Rad {row}" in str(error.value)
    assert reason in str(error.value)
    assert list(Municipality.objects.order_by("pk").values("population", "population_counted_on")) == before
    assert list(PopulationCount.objects.order_by("pk").values()) == counts_before


def test_rerunning_load_network_updates_what_was_changed_and_adds_nothing(vastmanland):
    Municipality.objects.filter(name="Sala").update(population=1, national_network=True)
    Network.objects.filter(slug="vastmanland").update(county_board="Fel namn")
    call_command("load_network", "vastmanland", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sala = Municipality.objects.get(name="Sala")
    assert (sala.population, sala.national_network, sala.quota_for(2024)) == (22_922, False, 3)
    assert Network.objects.get().county_board == "Länsstyrelsen i Västmanlands län"
    assert Municipality.objects.count() == 10
