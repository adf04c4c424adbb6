"""The number of queries of each report page is fixed: it does not grow with the number of cases."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipalities.models import Municipality
from tests.factories import CaseFactory
from tests.reports.conftest import close_case, make_request

YEAR = {"period": "year", "year": "2025"}
PAGES = [
    ("reports:index", (), YEAR),
    ("reports:records", (), YEAR),
    ("reports:export", ("kommuner", "csv"), YEAR),
    ("reports:export", ("lusam-redovisningar", "xlsx"), YEAR),
    ("reports:pdf", (), YEAR),
]
# Session, user, device and the layout's notification badge, then the report's own queries
# (a fixed number per calendar year of the period; an export adds its audit row).
MAX_QUERIES = {"reports:index": 20, "reports:records": 12, "reports:export": 20, "reports:pdf": 22}


def add_cases(network, count: int) -> None:
    """Add ``count`` closed cases, each with a declined and an accepted request, spread over 2025."""
    municipalities = list(Municipality.objects.filter(network=network))
    pairs = itertools.cycle(itertools.permutations(municipalities, 3))
    for index in range(count):
        sender, first, second = next(pairs)
        sent = datetime.date(2025, 1, 1) + datetime.timedelta(days=(index * 7) % 300)
        accepted = sent + datetime.timedelta(days=10 + index % 20)
        case = CaseFactory(sending_municipality=sender, status="requesting")
        make_request(case, first, sent.isoformat(), "declined", decided=accepted.isoformat(), ground="quota_received")
        make_request(case, second, sent.isoformat(), "accepted", decided=accepted.isoformat())
        close_case(
            case,
            asked=[first, second],
            target_group="woman_children",
            outcome="moved",
            closed=(accepted + datetime.timedelta(days=40)).isoformat(),
            first_sent=sent.isoformat(),
            destination=second,
            first_accepted=second,
            accepted_on=accepted.isoformat(),
            moved_on=(accepted + datetime.timedelta(days=30)).isoformat(),
        )


def count_queries(client) -> dict[str, int]:
    counts = {}
    for name, args, query in PAGES:
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse(name, args=args), query)
        assert response.status_code == 200
        counts[f"{name}{args}"] = len(context.captured_queries)
    return counts


@pytest.mark.parametrize("user_fixture", ["county_staff", "officer_koping"])
def test_query_count_does_not_grow_with_the_cases(
    dataset, vastmanland, request, user_fixture, client_for, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(user_fixture))
    small = count_queries(client)
    add_cases(vastmanland, 40)
    large = count_queries(client)
    assert small == large
    # SQLite (development only) computes the three medians in Python, one query each.
    fallback = 0 if connection.vendor == "postgresql" else 3
    for name, args, query in PAGES:
        extra = fallback if args != ("lusam-redovisningar", "xlsx") and name != "reports:records" else 0
        with django_assert_max_num_queries(MAX_QUERIES[name] + extra):
            client.get(reverse(name, args=args), query)
