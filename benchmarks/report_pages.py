"""Time the report pages on the national data set of generate_national_data.py.

Each page is requested for the last whole calendar year through Django's test client, signed in as
a verified benchmark user (county staff of the largest network, and an officer of one municipality).
Prints the median time of several runs and the number of queries per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/lk_reports_bench \\
        .venv/bin/python benchmarks/report_pages.py [--runs 7] [--pdf]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._setup import setup, verified_client  # noqa: E402

TARGET_SECONDS = 0.5


def measure(client, url: str, query: dict, runs: int) -> tuple[float, int, int]:
    """Return the median seconds, the query count and the response size of ``url``."""
    from django.db import connection

    response = client.get(url, query)  # warm-up: templates compiled, connection open
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url, query)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, query)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), len(executed), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf", action="store_true", help="also time the PDF summary (not a page; slower)")
    args = parser.parse_args()
    setup()
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from cases.models import LusamRecord, Request

    call_command("migrate", verbosity=0)  # the data set may be older than the code
    year = timezone.localdate().year - 1
    query = {"period": "year", "year": str(year)}
    pages = [
        ("index", reverse("reports:index")),
        ("records", reverse("reports:records")),
        ("export csv", reverse("reports:export", args=["kommuner", "csv"])),
        ("export xlsx", reverse("reports:export", args=["lusam-redovisningar", "xlsx"])),
    ]
    if args.pdf:
        pages.append(("pdf", reverse("reports:pdf")))
    print(
        f"Data: {LusamRecord.objects.count()} LUSAM records, {Request.objects.count()} requests; "
        f"period: calendar year {year}; {args.runs} runs per page."
    )
    worst = 0.0
    for username in ("bench_county", "bench_officer"):
        user = User.objects.get(username=username)
        client = verified_client(user)
        closed = LusamRecord.objects.filter(
            closed_on__year=year,
            sending_municipality__network_id=user.network_id or user.municipality.network_id,
        ).count()
        print(f"\n{username} ({user.role}); {closed} cases of the network closed in {year}")
        for name, url in pages:
            seconds, queries, size = measure(client, url, query, args.runs)
            if name != "pdf":
                worst = max(worst, seconds)
            print(f"  {name:<12} median {seconds * 1000:7.1f} ms  {queries:3d} queries  {size / 1024:7.1f} KiB")
    verdict = "within" if worst < TARGET_SECONDS else "OVER"
    print(f"\nSlowest page: {worst * 1000:.1f} ms — {verdict} the target of {TARGET_SECONDS * 1000:.0f} ms.")


if __name__ == "__main__":
    main()
