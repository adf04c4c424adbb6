"""Create a national-size synthetic data set for timing the reports.

290 municipalities in 21 networks, 50 000 closed cases over the last three calendar years with their
requests, decisions and LUSAM records, plus 1 000 cases still waiting for an answer. Everything is
written with bulk_create into the database of DATABASE_URL (migrated first). All names are invented.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/lk_reports_bench \\
        .venv/bin/python benchmarks/generate_national_data.py [--cases 50000] [--reset]

Benchmark users (a verified TOTP device each): ``bench_county`` (county staff of network bench-01)
and ``bench_officer`` (officer and contact person of its first municipality: the reports are for contact persons).
"""

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._setup import setup  # noqa: E402

NETWORKS = 21
MUNICIPALITIES = 290
OPEN_CASES = 1_000
BATCH = 5_000
TZ = ZoneInfo("Europe/Stockholm")


def aware(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def reset() -> None:
    """Delete the benchmark data (networks whose slug starts with ``bench-``) and its users."""
    from accounts.models import User
    from cases.models import Case, CaseEvent, Decision, LusamRecord, Request
    from municipalities.models import LusamMeeting, Municipality, Network

    municipalities = Municipality.objects.filter(network__slug__startswith="bench-")
    cases = Case.objects.filter(sending_municipality__in=municipalities)
    Decision.objects.filter(request__case__in=cases).delete()
    CaseEvent.objects.filter(case__in=cases).delete()
    LusamRecord.asked.through.objects.filter(lusamrecord__case__in=cases).delete()
    LusamRecord.objects.filter(case__in=cases).delete()
    Request.objects.filter(case__in=cases).delete()
    cases._raw_delete(cases.db)
    User.objects.filter(username__startswith="bench_").delete()
    LusamMeeting.objects.filter(network__slug__startswith="bench-").delete()
    municipalities.delete()
    Network.objects.filter(slug__startswith="bench-").delete()


def create_registry(rng: random.Random, years: list[int]):
    from municipalities.models import LusamMeeting, Municipality, Network

    networks = Network.objects.bulk_create(
        Network(slug=f"bench-{n + 1:02d}", name=f"Testnätverk {n + 1}", county_board=f"Testlänsstyrelse {n + 1}")
        for n in range(NETWORKS)
    )
    municipalities = []
    for index in range(MUNICIPALITIES):
        network = networks[index % NETWORKS]
        population = int(min(max(rng.lognormvariate(10.0, 1.0), 2_500), 1_000_000))
        municipalities.append(
            Municipality(
                network=network,
                name=f"Testkommun {index + 1:03d}",
                scb_code=f"{5000 + index}",
                population=population,
                population_counted_on=date(years[-1], 12, 31),
            )
        )
    municipalities = Municipality.objects.bulk_create(municipalities)
    meetings = [
        LusamMeeting(network=network, date=date(year, month, 15))
        for network in networks
        for year in [*years, years[-1] + 1]
        for month in (2, 4, 6, 8, 10, 12)
    ]
    LusamMeeting.objects.bulk_create(meetings)
    return networks, municipalities


def create_users(networks, municipalities):
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Role, User

    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench_m{m.pk}", role=Role.OFFICER, municipality=m, password=unusable) for m in municipalities
    )
    first_network = networks[0]
    first_municipality = next(m for m in municipalities if m.network_id == first_network.pk)
    county = User.objects.create(username="bench_county", role=Role.COUNTY, network=first_network, password=unusable)
    officer = User.objects.create(
        username="bench_officer",
        role=Role.OFFICER,
        is_contact_person=True,
        municipality=first_municipality,
        password=unusable,
    )
    for user in (county, officer):
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return {user.municipality_id: user for user in users}


def plan_case(rng: random.Random, year: int):
    """Return the requests of one closed case and its LUSAM outcome as plain data."""
    first_sent = date(year, 1, 1) + timedelta(days=rng.randrange(0, 300))
    asked = rng.choice((1, 2, 2, 3, 3))
    roll = rng.random()
    if roll < 0.70:
        kind = "moved"
    elif roll < 0.87:
        kind = "refused"
    elif roll < 0.97:
        kind = "accepted_not_moved"
    else:
        kind = "national"
    requests = []
    for index in range(asked):
        decided = first_sent + timedelta(days=rng.randrange(2, 40))
        if kind in ("moved", "accepted_not_moved") and index == 0:
            requests.append(("accepted", decided, ""))
        elif kind in ("moved", "accepted_not_moved"):
            requests.append(
                rng.choice(
                    (
                        ("superseded", decided, ""),
                        ("declined", decided, "quota_received"),
                        ("declined", decided, "insufficient_resources"),
                    )
                )
            )
        else:
            requests.append(
                rng.choice(
                    (
                        ("declined", decided, "quota_received"),
                        ("declined", decided, "insufficient_resources"),
                        ("withdrawn", decided, ""),
                    )
                )
            )
    last = max(d for _s, d, _g in requests)
    return first_sent, requests, kind, last


def create_cases(rng: random.Random, count: int, years: list[int], municipalities, creators) -> None:
    from cases.models import Case, Decision, LusamRecord, Request

    by_network: dict[int, list] = {}
    for m in municipalities:
        by_network.setdefault(m.network_id, []).append(m)
    groups = ["woman_no_children", "woman_children", "man_no_children", "man_children"]
    reasons = ["consent_withdrawn", "returned", "circumstances_changed", "own_solution", "other"]
    created = 0
    while created < count:
        size = min(BATCH, count - created)
        plans = []
        for _ in range(size):
            sender = rng.choice(municipalities)
            year = years[created % len(years)]
            first_sent, requests, kind, last = plan_case(rng, year)
            recipients = rng.sample([m for m in by_network[sender.network_id] if m.pk != sender.pk], len(requests))
            plans.append((sender, first_sent, list(zip(requests, recipients, strict=True)), kind, last))
            created += 1
        cases = []
        for sender, _first, requests, kind, last in plans:
            destination = requests[0][1] if kind == "moved" else None
            closed_on = last + timedelta(days=rng.randrange(60, 150) if kind == "moved" else rng.randrange(5, 60))
            cases.append(
                Case(
                    sending_municipality=sender,
                    receiving_municipality=destination,
                    created_by=creators[sender.pk],
                    status="closed",
                    closed_at=aware(closed_on),
                    outcome="moved" if kind == "moved" else ("national" if kind == "national" else "not_moved"),
                    gender=rng.choice(("woman", "woman", "woman", "man")),
                    adult_confirmed=True,
                    outpatient_manageable=True,
                )
            )
        cases = Case.objects.bulk_create(cases, batch_size=BATCH)
        request_rows, decision_specs, records, asked_rows = [], [], [], []
        for case, (sender, first_sent, requests, kind, _last) in zip(cases, plans, strict=True):
            accepted_on = None
            for (status, decided, ground), recipient in requests:
                request_rows.append(
                    Request(
                        case=case,
                        round=1,
                        sender=sender,
                        recipient=recipient,
                        status=status,
                        sent_at=aware(first_sent),
                        sent_by=creators[sender.pk],
                        reply_by=first_sent + timedelta(days=21),
                        closed_at=aware(decided) if status in ("withdrawn", "superseded") else None,
                    )
                )
                decided_here = status in ("accepted", "declined")
                decision_specs.append((status, decided, ground, recipient) if decided_here else None)
                if status == "accepted":
                    accepted_on = decided
            moved_on = accepted_on + timedelta(days=rng.randrange(20, 100)) if kind == "moved" else None
            records.append(
                LusamRecord(
                    case=case,
                    sending_municipality=sender,
                    target_group=rng.choice(groups),
                    outcome=case.outcome,
                    destination=case.receiving_municipality,
                    first_accepted_by=requests[0][1] if accepted_on else None,
                    not_moved_reason=""
                    if kind in ("moved", "national")
                    else ("no_municipality" if kind == "refused" else rng.choice(reasons)),
                    first_sent_on=first_sent,
                    first_accepted_on=accepted_on,
                    moved_on=moved_on,
                    closed_on=case.closed_at.astimezone(TZ).date(),
                )
            )
        request_rows = Request.objects.bulk_create(request_rows, batch_size=BATCH)
        decisions = [
            Decision(
                request=request,
                outcome="accept" if status == "accepted" else "decline",
                ground=ground,
                motivation="Syntetisk motivering." if ground else "",
                decided_by=creators[recipient.pk],
                decided_at=aware(decided, hour=14),
            )
            for request, spec in zip(request_rows, decision_specs, strict=True)
            if spec is not None
            for status, decided, ground, recipient in [spec]
        ]
        Decision.objects.bulk_create(decisions, batch_size=BATCH)
        records = LusamRecord.objects.bulk_create(records, batch_size=BATCH)
        through = LusamRecord.asked.through
        for record, (_sender, _first, requests, _kind, _last) in zip(records, plans, strict=True):
            asked_rows.extend(through(lusamrecord_id=record.pk, municipality_id=r.pk) for _spec, r in requests)
        through.objects.bulk_create(asked_rows, batch_size=BATCH)
        print(f"  {created} closed cases", flush=True)


def create_open_cases(rng: random.Random, municipalities, creators, today: date) -> None:
    from cases.models import Case, Request

    by_network: dict[int, list] = {}
    for m in municipalities:
        by_network.setdefault(m.network_id, []).append(m)
    senders = [rng.choice(municipalities) for _ in range(OPEN_CASES)]
    cases = Case.objects.bulk_create(
        Case(
            sending_municipality=s,
            created_by=creators[s.pk],
            status="requesting",
            gender="woman",
            adult_confirmed=True,
            outpatient_manageable=True,
        )
        for s in senders
    )
    rows = []
    for case, sender in zip(cases, senders, strict=True):
        sent = today - timedelta(days=rng.randrange(1, 60))
        recipient = rng.choice([m for m in by_network[sender.network_id] if m.pk != sender.pk])
        rows.append(
            Request(
                case=case,
                round=1,
                sender=sender,
                recipient=recipient,
                status=rng.choice(("sent", "consenting")),
                sent_at=aware(sent),
                sent_by=creators[sender.pk],
                reply_by=sent + timedelta(days=21),
            )
        )
    Request.objects.bulk_create(rows, batch_size=BATCH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reset", action="store_true", help="delete earlier benchmark data first")
    args = parser.parse_args()
    setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from municipalities.models import Network

    call_command("migrate", verbosity=0)
    if args.reset:
        reset()
    if Network.objects.filter(slug__startswith="bench-").exists():
        sys.exit("Benchmark data exists already: run with --reset to replace it.")
    rng = random.Random(args.seed)
    today = timezone.localdate()
    years = [today.year - 3, today.year - 2, today.year - 1]
    started = time.perf_counter()
    with transaction.atomic():
        networks, municipalities = create_registry(rng, years)
        creators = create_users(networks, municipalities)
        create_cases(rng, args.cases, years, municipalities, creators)
        create_open_cases(rng, municipalities, creators, today)
    with connection.cursor() as cursor:
        # Fresh planner statistics, as autovacuum would have them after a while in production.
        cursor.execute("ANALYZE")
    print(
        f"{len(networks)} networks, {len(municipalities)} municipalities, {args.cases} closed cases "
        f"({years[0]}–{years[-1]}) and {OPEN_CASES} open ones in {time.perf_counter() - started:.1f} s."
    )


if __name__ == "__main__":
    main()
