"""The networks the app knows how to load. A second county is one more entry and one more CSV file."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class NetworkDefinition:
    slug: str
    name: str
    county_board: str
    county_board_email: str
    population_file: Path
    population_counted_on: date
    # SCB codes of the members that are also in the national network.
    national_members: frozenset[str] = field(default_factory=frozenset)


NETWORKS = {
    "vastmanland": NetworkDefinition(
        slug="vastmanland",
        name="Länskompotten Västmanland",
        county_board="Länsstyrelsen i Västmanlands län",
        county_board_email="socialhallbarhet.vastmanland@lansstyrelsen.se",
        population_file=DATA_DIR / "vastmanland.csv",
        population_counted_on=date(2023, 12, 31),
        # The plan: "I Västmanland är Köping och Västerås anslutna."
        national_members=frozenset({"1983", "1980"}),
    ),
}
