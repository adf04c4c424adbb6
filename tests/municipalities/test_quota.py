"""Rule 8: the quota key (fördelningsnyckel) at every boundary, and per-year overrides."""

import pytest

from municipalities.models import QuotaOverride
from municipalities.quota import quota_from_population


@pytest.mark.parametrize(
    ("population", "quota"),
    [
        (0, 1),
        (1, 1),
        (9_999, 1),
        (10_000, 2),
        (10_001, 2),
        (19_999, 2),
        (20_000, 2),
        (20_001, 3),
        (150_000, 3),
        (1_000_000, 3),
    ],
)
def test_rule_8_quota_key_boundaries(population, quota):
    assert quota_from_population(population) == quota


def test_rule_8_negative_population_is_refused():
    with pytest.raises(ValueError):
        quota_from_population(-1)


def test_rule_8_override_wins_for_its_year_only(vastmanland):
    sala = vastmanland.municipalities.get(name="Sala")
    QuotaOverride.objects.create(municipality=sala, year=2026, quota=5, reason="Beslut i LUSAM")
    assert sala.quota_for(2026) == 5
    assert sala.quota_for(2025) == 3
    assert sala.quota_for(2027) == 3
