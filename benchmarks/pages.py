"""Time the everyday pages on the national data set beside the framework's floor, and count their queries.

Run ``generate_national_data.py`` first (into the same database), then:

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/lk_bench \\
        .venv/bin/python benchmarks/pages.py [--runs 15]

The script adds (once; it is idempotent) two signed-in officers, both contact persons of their
municipality and each with one case built through the workflow (sent to three municipalities, one
declined, one accepted) and one request from another municipality waiting for their answer:

- ``bench_pages_few``: of a new, otherwise empty municipality: one case, one request in the inbox;
- ``bench_pages_many``: of the network's busiest municipality, with ``work_on_case`` on every case the
  municipality ever sent, so "my cases" holds hundreds of cases and the inbox hundreds of requests.

Each page is requested through Django's test client with a verified session (second factor done):
the start page, my cases, the inbox, the case page, the decision page of the waiting request and the
reports page, beside the notifications page (a short paged list: the cheapest signed-in page, the
floor) measured in the same run. Targets (issue 8): every page within 3× the floor, and the same
number of queries for the user with one case as for the user with hundreds.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._setup import setup, verified_client  # noqa: E402

TARGET_RATIO = 3.0
SMALL_NAME = "Testkommun liten"


def officer(username, municipality, **fields):
    """Return the benchmark user ``username`` (made with a confirmed TOTP device if missing)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Role, User

    user, created = User.objects.get_or_create(
        username=username,
        defaults={"role": fields.pop("role", Role.OFFICER), "municipality": municipality, **fields},
    )
    if created:
        user.set_unusable_password()
        user.save()
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def build_cases_for(user, others) -> None:
    """Give ``user`` one agreed case of their own and one request from another municipality to answer."""
    from accounts.models import Role
    from cases import workflow
    from tests.builders import complete_preparation, create_case, fill_form

    asked = others[:3]
    case = create_case(user)
    complete_preparation(case, user)
    fill_form(case, user)
    sent = workflow.requests_send(case=case, actor=user, recipients=asked)
    for index, request in enumerate(sent):
        contact = officer(f"bench_pages_contact_{request.recipient_id}", request.recipient, is_contact_person=True)
        if index == 0:
            workflow.request_decline(
                request=request,
                actor=contact,
                ground="insufficient_resources",
                motivation="Syntetisk motivering.",
                resources_description="Syntetisk beskrivning av resurserna.",
            )
        elif index == 1:
            supervisor = officer(
                f"bench_pages_adult_{request.recipient_id}", request.recipient, role=Role.SUPERVISOR, unit="adult"
            )
            workflow.request_start_acceptance(request=request, actor=contact, units=["adult"])
            workflow.consent_give(consent=request.consents.get(), actor=supervisor)
    # A closed case of the user's own, so both users have a page of closed cases.
    closed = create_case(user)
    workflow.case_close(case=closed, actor=user, outcome="not_moved", not_moved_reason="own_solution")
    # Two cases of another municipality sent to the user's: one answered (declined), one waiting.
    sender = officer(f"bench_pages_sender_for_{user.pk}", others[3], is_contact_person=True)
    for answer in (True, False):
        incoming = create_case(sender)
        complete_preparation(incoming, sender)
        fill_form(incoming, sender)
        [request] = workflow.requests_send(case=incoming, actor=sender, recipients=[user.municipality])
        if answer:
            workflow.request_decline(
                request=request,
                actor=user,
                ground="insufficient_resources",
                motivation="Syntetisk motivering.",
                resources_description="Syntetisk beskrivning av resurserna.",
            )


def prepare():
    """Make the two benchmark officers and their cases (once); return them."""
    from django.contrib.auth.models import Permission
    from django.db import transaction
    from django.db.models import Count

    from accounts.models import User
    from cases.models import Case, CaseUserObjectPermission
    from municipalities.models import Municipality, Network

    if User.objects.filter(username="bench_pages_many").exists():
        return User.objects.get(username="bench_pages_few"), User.objects.get(username="bench_pages_many")
    network = Network.objects.get(slug="bench-01")
    municipalities = list(
        Municipality.objects.filter(network=network).annotate(sent=Count("sent_cases")).order_by("-sent", "pk")
    )
    busiest = municipalities[0]
    with transaction.atomic():
        small = Municipality.objects.create(
            network=network, name=SMALL_NAME, scb_code="4999", population=3_000, population_counted_on="2025-12-31"
        )
        few = officer("bench_pages_few", small, is_contact_person=True)
        many = officer("bench_pages_many", busiest, is_contact_person=True)
        others = [m for m in municipalities if m.pk != busiest.pk]
        build_cases_for(few, others)
        build_cases_for(many, others[4:])
        permission = Permission.objects.get(codename="work_on_case")
        held = set(CaseUserObjectPermission.objects.filter(user=many).values_list("content_object_id", flat=True))
        CaseUserObjectPermission.objects.bulk_create(
            CaseUserObjectPermission(user=many, permission=permission, content_object_id=pk)
            for pk in Case.objects.filter(sending_municipality=busiest).values_list("pk", flat=True)
            if pk not in held
        )
    return few, many


def count_queries(client, url: str) -> int:
    """Return the number of queries of a GET of ``url`` (after one warm-up GET that must answer 200)."""
    from django.db import connection

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(executed)


def measure(client, pages: list[tuple[str, str]], runs: int) -> dict[str, tuple[float, int]]:
    """Return each page's median seconds and query count.

    The pages are requested in turn, round after round, so a burst of load on the machine hits the floor
    and the pages alike.
    """
    queries = {name: count_queries(client, url) for name, url in pages}
    timings: dict[str, list[float]] = {name: [] for name, _url in pages}
    for _ in range(runs):
        for name, url in pages:
            started = time.perf_counter()
            client.get(url)
            timings[name].append(time.perf_counter() - started)
    return {name: (statistics.median(timings[name]), queries[name]) for name, _url in pages}


def pages_of(user):
    from django.urls import reverse

    from cases.models import Case, Request

    own_case = Case.objects.filter(created_by=user, requests__isnull=False).order_by("-pk").first()
    waiting = Request.objects.filter(recipient=user.municipality, status="sent").order_by("-pk").first()
    return [
        ("floor: notifications", reverse("notifications:list")),
        ("start page", reverse("home")),
        ("my cases", reverse("cases:list")),
        ("inbox", reverse("cases:inbox")),
        ("case page", reverse("cases:detail", args=[own_case.pk])),
        ("decision page", reverse("cases:decide", args=[waiting.pk])),
        ("reports", reverse("reports:index")),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup()
    from django.core.management import call_command

    from cases.selectors import case_list_for_user, inbox_for_user

    call_command("migrate", verbosity=0)
    few, many = prepare()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{args.runs} runs per page, {os.cpu_count()} CPUs, load average {load}")
    results = {}
    for label, user in (("few", few), ("many", many)):
        cases = case_list_for_user(user=user).count()
        inbox = inbox_for_user(user=user).count()
        print(f"{user.username}: {cases} cases in my cases, {inbox} requests in the inbox")
        client = verified_client(user)
        results[label] = measure(client, pages_of(user), args.runs)
    floor = {label: results[label]["floor: notifications"][0] for label in results}
    print()
    print(f"{'page':<22} {'1 case: ms':>10} {'q':>4} {'many: ms':>10} {'q':>4} {'× floor':>8}  verdict")
    failures = 0
    for name in results["few"]:
        few_s, few_q = results["few"][name]
        many_s, many_q = results["many"][name]
        ratio = many_s / floor["many"]
        ok = ratio <= TARGET_RATIO and few_q == many_q
        failures += not ok
        verdict = "ok" if ok else ("queries grow" if few_q != many_q else "OVER 3× floor")
        columns = f"{few_s * 1000:>10.1f} {few_q:>4} {many_s * 1000:>10.1f} {many_q:>4} {ratio:>8.2f}"
        print(f"{name:<22} {columns}  {verdict}")
    print(f"\n{failures} page(s) miss a target." if failures else "\nEvery page meets both targets.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
