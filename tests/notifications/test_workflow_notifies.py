"""The real workflow, not hand-made events: each state change that concerns the other municipality notifies it.

``test_events.py`` checks who hears of each kind of event; this file drives ``cases.workflow`` from the
first request to the revealed home town and checks that every listed change (new request, withdrawn,
superseded, decided, move confirmed, revealed) reaches the other municipality, once, and never the actor.
"""

import datetime

import pytest
from django.core import mail
from django.db.models import F
from django.utils import timezone

from accounts.models import Role
from cases import workflow
from cases.models import DeclineGround
from notifications.models import Notification, NotificationKind
from tests.builders import complete_preparation, create_case, fill_form
from tests.conftest import municipality

Kind = NotificationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Run one workflow call, then its on-commit side effects; return the notifications it created."""

    def run(call, **kwargs):
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            result = call(**kwargs)
        new = Notification.objects.exclude(pk__in=before)
        return result, sorted(new.values_list("user__username", "kind"))

    return run


def test_every_listed_state_change_reaches_the_other_municipality(
    step, officer_koping, contact_sala, contact_arboga, officer_vasteras, supervisor_sala_adult, make_user
):
    make_user(Role.OFFICER, "Fagersta", username="contact_fagersta", is_contact_person=True)
    case = create_case(officer_koping)
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)

    # New request: each recipient's contact person.
    recipients = [municipality(name) for name in ("Sala", "Arboga", "Västerås")]
    sent, told = step(workflow.requests_send, case=case, actor=officer_koping, recipients=recipients)
    assert told == [
        ("contact_arboga", Kind.REQUEST_RECEIVED),
        ("contact_sala", Kind.REQUEST_RECEIVED),
        ("officer_vasteras", Kind.REQUEST_RECEIVED),
    ]
    to_sala, to_arboga, to_vasteras = sorted(sent, key=lambda r: ["Sala", "Arboga", "Västerås"].index(r.recipient.name))

    # Decided (a decline): the sending side.
    _, told = step(
        workflow.request_decline,
        request=to_arboga,
        actor=contact_arboga,
        ground=DeclineGround.INSUFFICIENT_RESOURCES,
        motivation="Behovet kan inte tillgodoses.",
        resources_description="En socialsekreterare på vuxenenheten.",
    )
    assert told == [("officer_koping", Kind.REQUEST_DECLINED)]

    # Withdrawn: the recipient, at once.
    _, told = step(workflow.request_withdraw, request=to_vasteras, actor=officer_koping, reason="Fel kommun.")
    assert told == [("officer_vasteras", Kind.REQUEST_WITHDRAWN)]

    (to_fagersta,), told = step(
        workflow.requests_send, case=case, actor=officer_koping, recipients=[municipality("Fagersta")]
    )
    assert told == [("contact_fagersta", Kind.REQUEST_RECEIVED)]

    # Acceptance: the unit's supervisor is asked; the last consent accepts, which tells the sending side,
    # and closes Fagersta's open request as superseded, which tells Fagersta.
    _, told = step(workflow.request_start_acceptance, request=to_sala, actor=contact_sala, units=["adult"])
    assert told == [("supervisor_sala_adult", Kind.CONSENT_REQUESTED)]
    _, told = step(workflow.consent_give, consent=to_sala.consents.get(), actor=supervisor_sala_adult)
    assert told == [("contact_fagersta", Kind.REQUEST_SUPERSEDED), ("officer_koping", Kind.REQUEST_ACCEPTED)]
    to_fagersta.refresh_from_db()
    assert to_fagersta.status == "superseded"

    # Move confirmed by the sending side: the receiving side.
    case.refresh_from_db()
    moved_on = timezone.localdate() - datetime.timedelta(days=5)
    _, told = step(workflow.move_confirm, case=case, actor=officer_koping, moved_on=moved_on)
    assert told == [("contact_sala", Kind.MOVE_CONFIRMED)]

    # Revealed within two months, recorded by the receiving side: the sending side.
    case.refresh_from_db()
    _, told = step(workflow.case_revealed, case=case, actor=contact_sala, on=timezone.localdate())
    assert told == [("officer_koping", Kind.REVEALED)]

    # Nobody was told of their own change, and every notification went out by (neutral) e-mail once.
    assert not Notification.objects.filter(event__actor=F("user")).exists()
    assert len(mail.outbox) == Notification.objects.count() == 11
