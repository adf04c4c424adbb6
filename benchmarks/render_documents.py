"""Render each PDF document 20 times and print the median time per document.

    DJANGO_SETTINGS_MODULE=lanskompott.settings_test .venv/bin/python benchmarks/render_documents.py

It creates a throw-away test database from ``DATABASE_URL`` (in memory for SQLite, ``test_<name>`` for
PostgreSQL), fills it with one case of realistic size (a request form of about three pages, an accepted
decision with three consenting units, a move plan with both checklists and eight costs), times what a
download view does (build the context, render the PDF) and destroys the database again. The first,
cold render is timed apart and left out of the median.
"""

import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanskompott.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

RUNS = 20
# The plan asks for the request form in under 1.5 s on a 2-core machine.
REQUEST_FORM_BUDGET = 1.5

PARAGRAPH = (
    "Den enskilde har under flera år utsatts för våld i nära relation. Riskbedömning med FREDA och "
    "SARA visar hög risk för upprepat våld; polisen delar bedömningen. Behov av stöd i öppenvård, "
    "kontakt med kvinnojour och hjälp med skolbyte för barnen. Ärendet är avidentifierat: åäö ÅÄÖ. "
)


def build_data():
    """Create the network, two officers, a request with its decision and a move plan; return them."""
    from accounts.models import Role, Unit, User
    from cases.models import Case, CostItem, Decision, MovePlan, Request, RequestFormSection, UnitConsent
    from municipalities.models import Municipality

    call_command("load_network", "vastmanland", stdout=open(os.devnull, "w"))  # noqa: SIM115
    koping = Municipality.objects.get(name="Köping")
    sala = Municipality.objects.get(name="Sala")
    officer = User.objects.create(
        username="bench_officer", first_name="Åsa", last_name="Öhrström", role=Role.OFFICER, municipality=koping
    )
    supervisor = User.objects.create(
        username="bench_supervisor", first_name="Örjan", last_name="Ärlig", role=Role.SUPERVISOR,
        unit=Unit.ADULT, municipality=sala,
    )  # fmt: skip
    case = Case.objects.create(
        sending_municipality=koping, receiving_municipality=sala, created_by=officer, gender="woman",
        adult_confirmed=True, outpatient_manageable=True, status="agreed",
    )  # fmt: skip
    form = {section.value: PARAGRAPH * 3 for section in RequestFormSection}
    form["other"] = ""
    sent_at = timezone.now() - datetime.timedelta(days=20)
    request = Request.objects.create(
        case=case, round=1, sender=koping, recipient=sala, status="accepted", sent_at=sent_at, sent_by=officer,
        reply_by=timezone.localdate(sent_at) + datetime.timedelta(days=21), form=form,
    )  # fmt: skip
    for unit in (Unit.ADULT, Unit.CHILDREN_FAMILY, Unit.ECONOMIC_AID):
        UnitConsent.objects.create(request=request, unit=unit, supervisor=supervisor, consented_at=timezone.now())
    Decision.objects.create(request=request, outcome="accept", decided_by=supervisor, decided_at=timezone.now())
    move_plan = MovePlan.objects.create(
        case=case, round=1, sending_checklist={"tax_agency": True, "moving_firm": True},
        receiving_checklist={"police": True}, who_packs=PARAGRAPH, what_goes=PARAGRAPH, access_before_move="Ja.",
        protected_data_applied=True, protected_data_decided_on=timezone.localdate(),
        planned_move_date=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    for number in range(8):
        CostItem.objects.create(
            move_plan=move_plan, description=f"Kostnad {number + 1}", amount=Decimal("1250.50") * (number + 1),
            payer="sending" if number % 3 else "receiving",
        )  # fmt: skip
    return request, move_plan


def time_document(render) -> tuple[float, float, int]:
    """Return (cold seconds, median seconds of RUNS warm renders, PDF size in bytes)."""
    start = time.perf_counter()
    pdf = render()
    cold = time.perf_counter() - start
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = render()
        timings.append(time.perf_counter() - start)
    return cold, statistics.median(timings), len(pdf)


def main() -> int:
    from cases.documents import decision_letter_context, move_plan_context, request_form_context
    from cases.models import MovePlan, Request
    from lanskompott.pdf import render_pdf

    translation.activate("sv")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        request, move_plan = build_data()

        def request_form():
            fresh = Request.objects.select_related("case", "sender", "recipient", "sent_by").get(pk=request.pk)
            return render_pdf(
                template_name="documents/request_form.html",
                context=request_form_context(fresh),
                title="Förfrågningsunderlag",
            )

        def decision_letter():
            fresh = Request.objects.select_related("case", "sender", "recipient", "decision").get(pk=request.pk)
            return render_pdf(
                template_name="documents/decision_letter.html",
                context=decision_letter_context(fresh),
                title="Beslut om förfrågan",
            )

        def move_plan_document():
            fresh = MovePlan.objects.select_related("case").get(pk=move_plan.pk)
            return render_pdf(
                template_name="documents/move_plan.html", context=move_plan_context(fresh), title="Flyttplan"
            )

        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"{RUNS} renders per document, {os.cpu_count()} CPUs, load average {load}, database {connection.vendor}")
        print(f"{'document':<18} {'median':>9} {'cold':>9} {'size':>9}")
        results = {}
        for name, render in (
            ("request form", request_form),
            ("decision letter", decision_letter),
            ("move plan", move_plan_document),
        ):
            cold, median, size = time_document(render)
            results[name] = median
            print(f"{name:<18} {median:>8.3f}s {cold:>8.3f}s {size / 1024:>7.1f}kB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    within = results["request form"] < REQUEST_FORM_BUDGET
    print(f"request form median {'within' if within else 'OVER'} the {REQUEST_FORM_BUDGET} s budget")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
