"""Rule 8: the quota key (fördelningsnyckel) at every boundary, and per-year overrides."""

import pytest
from django.urls import reverse

from municipalities.models import QuotaOverride
from municipalities.quota import quota_from_population
from tests.conftest import verified_client


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


def test_the_admin_refuses_identifying_data_in_an_overrides_reason(administrator, vastmanland):
    sala = vastmanland.municipalities.get(name="Sala")
    client = verified_client(administrator)
    data = {"municipality": sala.pk, "year": 2026, "quota": 4, "reason": "Beslut om 850215-1239 i LUSAM"}
    response = client.post(reverse("admin:municipalities_quotaoverride_add"), data)
    assert response.status_code == 200
    assert "Fältet ”Skäl” innehåller ett personnummer" in response.content.decode()
    assert not QuotaOverride.objects.exists()
    data["reason"] = "Beslut i LUSAM 2026-03-12"
    assert client.post(reverse("admin:municipalities_quotaoverride_add"), data).status_code == 302
    assert sala.quota_for(2026) == 4
