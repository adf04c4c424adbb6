"""Random sequences of workflow actions by random users never break an invariant and never give a 500.

A Hypothesis state machine starts each example from a ready case of Köping (sent already to a random
set of Sala, Arboga and Fagersta, perhaps with the first one's acceptance started, or not sent yet) and
then applies actions of ``cases.workflow`` (send, withdraw, start acceptance, consent, decline, move,
close) chosen at random, each by a persona: the sending officer, a colleague without a grant, the
contact persons, a plain officer and the supervisors of the three municipalities that may be asked, an
officer of an unrelated municipality, and county staff. The sending side's actions are drawn for the
sending officer half of the time and the receiving side's for the fitting person of the request half
of the time, anyone otherwise, so the sequences get as far as agreement and closing (the test checks
that they did). A ``WorkflowError`` is an allowed refusal; anything else fails.

After every step the invariants of the rules are checked against the database:

- at most three open requests per case; at most one accepted request, with exactly one accept decision
  and one acceptance event, and no request left open beside it;
- no request was sent after the case closed, and none is open on a closed case;
- the set of people who may see the case is exactly the one the access rules give: ``visible_cases``
  agrees for every persona; after a step that changed something, ``case_get_for_user`` and a GET of
  the case page through a signed-in, verified client agree for the step's actor and one more persona in
  turn (404 for outsiders);
- after a step that changed something, the start page, the inbox and "my cases" answer 200 for the
  step's actor (the test client raises on a server error). A refused step changes nothing (the
  fingerprint of the case, its requests and consents is compared), so its pages are not fetched again.

Each example runs inside a transaction that is rolled back, so the examples are independent. 30
examples of up to 15 steps.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from accounts.models import Role, Unit
from cases import selectors, workflow
from cases.models import (
    OPEN_REQUEST_STATUSES,
    CaseEvent,
    CaseStatus,
    Decision,
    NotMovedReason,
    Outcome,
    Request,
    RequestStatus,
    UnitConsent,
)
from cases.workflow import WorkflowError
from tests.builders import complete_preparation, create_case, fill_form
from tests.conftest import municipality, verified_client

RECIPIENTS = ("Sala", "Arboga", "Fagersta")
UNITS = (Unit.ADULT, Unit.CHILDREN_FAMILY)
EXAMPLES = 30
STEPS = 15

# Who the personas are: key → (role, municipality, extra fields).
PERSONAS = {
    "sender": (Role.OFFICER, "Köping", {"is_contact_person": True}),
    "sender_colleague": (Role.OFFICER, "Köping", {}),
    "unrelated": (Role.OFFICER, "Västerås", {"is_contact_person": True}),
    "county": (Role.COUNTY, None, {}),
    **{
        f"{key}_{name.lower()}": spec
        for name in RECIPIENTS
        for key, spec in (
            ("contact", (Role.OFFICER, name, {"is_contact_person": True})),
            ("officer", (Role.OFFICER, name, {})),
            ("adult", (Role.SUPERVISOR, name, {"unit": Unit.ADULT})),
            ("children", (Role.SUPERVISOR, name, {"unit": Unit.CHILDREN_FAMILY})),
        )
    },
}
NAMES = sorted(PERSONAS)

personas = st.sampled_from(NAMES)
# The sending officer half of the time on the sending side's actions, anyone otherwise.
senders = st.one_of(st.just("sender"), personas)
# For the receiving side's actions: ``None`` means the fitting persona of the request's recipient.
receivers = st.one_of(st.none(), personas)
indexes = st.integers(min_value=0, max_value=8)
# Withdrawing and closing end the interesting part early: try them on half of the steps they are drawn.
rarely = st.integers(min_value=0, max_value=1).map(lambda n: n == 0)


class WorkflowMachine(RuleBasedStateMachine):
    """One case, many hands. ``users`` is set on the class by the test (made once per test run)."""

    users: dict = {}
    reached: set = set()  # the case statuses the examples reached, so the test knows it went far enough

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.clients: dict = {}
        self.last_actor = "sender"
        self.steps = 0
        self.changed = True  # the pages are fetched after a step that changed something (a refusal changes nothing)

    @initialize(
        children=st.booleans(),
        sent_to=st.lists(st.sampled_from(RECIPIENTS), max_size=3, unique=True),
        started=st.booleans(),
    )
    def ready_case(self, children, sent_to, started):
        """A ready case of Köping, already sent to ``sent_to`` (none: not sent yet); when ``started``, the
        first recipient's contact person has asked its adult unit to consent."""
        sender = self.users["sender"]
        self.case = create_case(sender, children_ages=[9] if children else [])
        complete_preparation(self.case, sender)
        fill_form(self.case, sender)
        if sent_to:
            sent = workflow.requests_send(case=self.case, actor=sender, recipients=[municipality(n) for n in sent_to])
            if started:
                contact = self.users[f"contact_{sent[0].recipient.name.lower()}"]
                workflow.request_start_acceptance(request=sent[0], actor=contact, units=[Unit.ADULT])
        self.case.refresh_from_db()

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- helpers ---------------------------------------------------------------------------------------------

    def client(self, name):
        if name not in self.clients:
            self.clients[name] = verified_client(self.users[name])
        return self.clients[name]

    def requests(self):
        return list(Request.objects.filter(case=self.case).select_related("case").order_by("pk"))

    def fingerprint(self):
        """What a step can change: the case's status and its requests' and consents' states."""
        requests = tuple(Request.objects.filter(case=self.case).order_by("pk").values_list("status", flat=True))
        consents = UnitConsent.objects.filter(request__case=self.case, consented_at__isnull=False).count()
        return self.case.status, requests, consents

    def act(self, name, call):
        """Run ``call`` as persona ``name``; a WorkflowError is an allowed refusal."""
        self.last_actor = name
        self.steps += 1
        self.case.refresh_from_db()
        before = self.fingerprint()
        try:
            call(self.users[name])
        except WorkflowError as error:
            assert str(error.message).strip(), "a refusal carries a message"
        self.case.refresh_from_db()
        self.changed = self.fingerprint() != before
        event(f"case reached {self.case.status}")
        self.reached.add(self.case.status)

    # -- rules -----------------------------------------------------------------------------------------------

    @rule(actor=senders, names=st.lists(st.sampled_from(RECIPIENTS), min_size=1, max_size=3, unique=True))
    def send(self, actor, names):
        recipients = [municipality(name) for name in names]
        self.act(actor, lambda user: workflow.requests_send(case=self.case, actor=user, recipients=recipients))

    @rule(actor=senders, index=indexes, attempt=rarely)
    def withdraw(self, actor, index, attempt):
        requests = self.requests()
        if requests and attempt:
            request = requests[index % len(requests)]
            self.act(
                actor, lambda user: workflow.request_withdraw(request=request, actor=user, reason="Ändrade planer.")
            )

    @rule(
        actor=receivers,
        index=indexes,
        units=st.lists(st.sampled_from(UNITS), min_size=1, max_size=2, unique=True),
        plain_officer=st.booleans(),
    )
    def start_acceptance(self, actor, index, units, plain_officer):
        requests = self.requests()
        if requests:
            request = requests[index % len(requests)]
            if actor is None:
                actor = f"{'officer' if plain_officer else 'contact'}_{request.recipient.name.lower()}"
            self.act(actor, lambda user: workflow.request_start_acceptance(request=request, actor=user, units=units))

    @rule(actor=receivers, index=indexes)
    def consent(self, actor, index):
        consents = list(
            UnitConsent.objects.filter(request__case=self.case).select_related("request__recipient").order_by("pk")
        )
        if consents:
            consent = consents[index % len(consents)]
            if actor is None:
                unit = "adult" if consent.unit == Unit.ADULT else "children"
                actor = f"{unit}_{consent.request.recipient.name.lower()}"
            self.act(actor, lambda user: workflow.consent_give(consent=consent, actor=user))

    @rule(actor=receivers, index=indexes, ground=st.sampled_from(("quota_received", "insufficient_resources")))
    def decline(self, actor, index, ground):
        requests = self.requests()
        if requests:
            request = requests[index % len(requests)]
            actor = actor or f"contact_{request.recipient.name.lower()}"
            self.act(
                actor,
                lambda user: workflow.request_decline(
                    request=request,
                    actor=user,
                    ground=ground,
                    motivation="Vi kan inte ta emot nu.",
                    resources_description="Inga lediga platser i öppenvården.",
                ),
            )

    @rule(actor=senders)
    def confirm_move(self, actor):
        moved_on = timezone.localdate() - datetime.timedelta(days=1)
        self.act(actor, lambda user: workflow.move_confirm(case=self.case, actor=user, moved_on=moved_on))

    @rule(
        actor=senders,
        outcome=st.sampled_from(Outcome.values),
        reason=st.sampled_from(NotMovedReason.values),
        attempt=rarely,
    )
    def close(self, actor, outcome, reason, attempt):
        if attempt:
            self.act(
                actor,
                lambda user: workflow.case_close(case=self.case, actor=user, outcome=outcome, not_moved_reason=reason),
            )

    # -- invariants ------------------------------------------------------------------------------------------

    @invariant()
    def at_most_three_open_requests(self):
        if hasattr(self, "case"):
            assert Request.objects.filter(case=self.case, status__in=OPEN_REQUEST_STATUSES).count() <= 3

    @invariant()
    def at_most_one_acceptance(self):
        if hasattr(self, "case"):
            accepted = Request.objects.filter(case=self.case, status=RequestStatus.ACCEPTED)
            assert accepted.count() <= 1
            assert Decision.objects.filter(request__case=self.case, outcome="accept").count() == accepted.count()
            events = CaseEvent.objects.filter(case=self.case, kind="request_accepted")
            assert events.count() == accepted.count()
            if accepted:
                assert self.case.receiving_municipality_id == accepted.get().recipient_id
                assert self.case.status in (CaseStatus.AGREED, CaseStatus.MOVED, CaseStatus.CLOSED)
                # Every other request is closed once one is accepted.
                assert not Request.objects.filter(case=self.case, status__in=OPEN_REQUEST_STATUSES).exists()

    @invariant()
    def nothing_sent_after_closing(self):
        if hasattr(self, "case") and self.case.status == CaseStatus.CLOSED:
            assert self.case.closed_at is not None
            assert not Request.objects.filter(case=self.case, sent_at__gt=self.case.closed_at).exists()
            assert not Request.objects.filter(case=self.case, status__in=OPEN_REQUEST_STATUSES).exists()

    def expected_viewers(self) -> set[str]:
        """Who may open the case, from the rules (not from the selectors): see cases/access.py."""
        viewers = {"sender"}  # the creator holds work_on_case; nobody granted the colleague anything
        accepted = Request.objects.filter(case=self.case, status=RequestStatus.ACCEPTED).first()
        if accepted is not None:
            name = accepted.recipient.name.lower()
            viewers.add(f"contact_{name}")
            started = CaseEvent.objects.filter(request=accepted, kind="acceptance_started").order_by("-at", "-pk")
            if started.first().actor_id == self.users[f"officer_{name}"].pk:
                viewers.add(f"officer_{name}")  # the officer who started the acceptance gets a grant
        return viewers

    @invariant()
    def nobody_sees_what_they_should_not(self):
        """Every persona through the selectors; after a change, the case page for the actor and one more."""
        if not hasattr(self, "case"):
            return
        expected = self.expected_viewers()
        for name in NAMES:
            user = self.users[name]
            sees = selectors.visible_cases(user).filter(pk=self.case.pk).exists()
            assert sees == (name in expected), (name, self.case.status, expected)
        if not self.changed:
            return
        url = reverse("cases:detail", args=[self.case.pk])
        for name in {self.last_actor, NAMES[self.steps % len(NAMES)]}:
            if name not in expected:
                with pytest.raises(Http404):
                    selectors.case_get_for_user(user=self.users[name], pk=self.case.pk)
            status = self.client(name).get(url).status_code
            assert status == (200 if name in expected else 404), (name, status, self.case.status)

    @invariant()
    def no_server_error_on_the_lists(self):
        """After a change, the start page, inbox and my cases of the step's actor (a 500 raises)."""
        if not hasattr(self, "case") or not self.changed:
            return
        client = self.client(self.last_actor)
        for url in (reverse("home"), reverse("cases:inbox"), reverse("cases:list")):
            response = client.get(url)
            assert response.status_code == 200, (url, self.last_actor, response.status_code)


@pytest.fixture
def personas_in_db(make_user):
    users = {}
    for name, (role, place, fields) in PERSONAS.items():
        users[name] = make_user(role, place, username=f"prop_{name}", **fields)
    return users


@pytest.mark.django_db
def test_random_workflow_sequences_keep_the_invariants(personas_in_db):
    WorkflowMachine.users = personas_in_db
    WorkflowMachine.reached = set()
    run_state_machine_as_test(
        WorkflowMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
            database=None,
        ),
    )
    # The generated sequences went through agreement and closing, not only refusals.
    assert {CaseStatus.REQUESTING, CaseStatus.AGREED, CaseStatus.CLOSED} <= WorkflowMachine.reached, (
        WorkflowMachine.reached
    )
