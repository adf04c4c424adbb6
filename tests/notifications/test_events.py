"""Every state change that concerns the other municipality notifies it, once, never its actor."""

import pytest
from django.core import mail

from cases.events import EventKind, record_event
from cases.models import UnitConsent
from notifications.models import Notification, NotificationKind
from notifications.services import notify_for_event
from tests.conftest import municipality
from tests.factories import RequestFactory
from tests.notifications.conftest import SENT_ON, at

Kind = NotificationKind


def record(django_capture_on_commit_callbacks, **kwargs):
    """Record an event and run the on-commit notification task (eager in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        return record_event(**kwargs)


def told(event) -> dict[str, str]:
    return dict(Notification.objects.filter(event=event).values_list("user__username", "kind"))


@pytest.mark.django_db
def test_request_sent_tells_the_recipients_contact_persons(
    django_capture_on_commit_callbacks, request_to_sala, officer_koping, supervisor_sala_adult, contact_arboga
):
    event = record(
        django_capture_on_commit_callbacks,
        case=request_to_sala.case,
        kind=EventKind.REQUEST_SENT,
        actor=officer_koping,
        request=request_to_sala,
    )
    assert told(event) == {"contact_sala": Kind.REQUEST_RECEIVED}
    assert len(mail.outbox) == 1
    assert "Du har en ny notis i ärendestödet." in mail.outbox[0].body
    assert "https://arendestod.example/notiser/" in mail.outbox[0].body


@pytest.mark.django_db
def test_one_event_for_several_requests_tells_each_recipient(
    django_capture_on_commit_callbacks, request_to_sala, officer_koping, contact_arboga
):
    to_arboga = RequestFactory(case=request_to_sala.case, recipient=municipality("Arboga"), sent_by=officer_koping)
    event = record(
        django_capture_on_commit_callbacks,
        case=request_to_sala.case,
        kind=EventKind.REQUEST_SENT,
        actor=officer_koping,
        data={"request_ids": [request_to_sala.pk, to_arboga.pk]},
    )
    assert told(event) == {"contact_sala": Kind.REQUEST_RECEIVED, "contact_arboga": Kind.REQUEST_RECEIVED}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event_kind", "kind"),
    [(EventKind.REQUEST_WITHDRAWN, Kind.REQUEST_WITHDRAWN), (EventKind.REQUEST_SUPERSEDED, Kind.REQUEST_SUPERSEDED)],
)
def test_withdrawn_or_superseded_tells_the_recipient_and_the_supervisors_asked(
    django_capture_on_commit_callbacks,
    request_to_sala,
    officer_koping,
    supervisor_sala_adult,
    supervisor_sala_children,
    event_kind,
    kind,
):
    UnitConsent.objects.create(request=request_to_sala, unit="adult")
    event = record(
        django_capture_on_commit_callbacks,
        case=request_to_sala.case,
        kind=event_kind,
        actor=officer_koping,
        request=request_to_sala,
    )
    assert told(event) == {"contact_sala": kind, "supervisor_sala_adult": kind}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event_kind", "kind"),
    [(EventKind.REQUEST_ACCEPTED, Kind.REQUEST_ACCEPTED), (EventKind.REQUEST_DECLINED, Kind.REQUEST_DECLINED)],
)
def test_decision_tells_the_sending_side(
    django_capture_on_commit_callbacks, request_to_sala, contact_sala, officer_koping_colleague, event_kind, kind
):
    event = record(
        django_capture_on_commit_callbacks,
        case=request_to_sala.case,
        kind=event_kind,
        actor=contact_sala,
        request=request_to_sala,
    )
    # The colleague holds no grant on the case: not told.
    assert told(event) == {"officer_koping": kind}


@pytest.mark.django_db
def test_acceptance_started_tells_the_supervisors_of_the_chosen_units(
    django_capture_on_commit_callbacks, request_to_sala, contact_sala, supervisor_sala_adult, supervisor_sala_children
):
    UnitConsent.objects.create(request=request_to_sala, unit="children_family")
    event = record(
        django_capture_on_commit_callbacks,
        case=request_to_sala.case,
        kind=EventKind.ACCEPTANCE_STARTED,
        actor=contact_sala,
        request=request_to_sala,
    )
    assert told(event) == {"supervisor_sala_children": Kind.CONSENT_REQUESTED}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event_kind", "kind"),
    [
        (EventKind.MOVE_CONFIRMED, Kind.MOVE_CONFIRMED),
        (EventKind.REVEALED, Kind.REVEALED),
        (EventKind.CASE_CLOSED, Kind.CASE_CLOSED),
    ],
)
def test_later_changes_tell_the_other_side(
    django_capture_on_commit_callbacks, agreed_case, officer_koping, contact_sala, event_kind, kind
):
    by_sender = record(django_capture_on_commit_callbacks, case=agreed_case, kind=event_kind, actor=officer_koping)
    assert told(by_sender) == {"contact_sala": kind}
    by_receiver = record(django_capture_on_commit_callbacks, case=agreed_case, kind=event_kind, actor=contact_sala)
    assert told(by_receiver) == {"officer_koping": kind}


@pytest.mark.django_db
def test_revealed_after_a_new_round_began_still_tells_the_former_receiver(
    django_capture_on_commit_callbacks, agreed_case, officer_koping, contact_sala
):
    agreed_case.receiving_municipality = None
    agreed_case.round = 2
    agreed_case.status = "requesting"
    agreed_case.save(update_fields=["receiving_municipality", "round", "status"])
    event = record(django_capture_on_commit_callbacks, case=agreed_case, kind=EventKind.REVEALED, actor=officer_koping)
    assert told(event) == {"contact_sala": Kind.REVEALED}


@pytest.mark.django_db
def test_own_side_changes_tell_nobody(django_capture_on_commit_callbacks, case_koping, officer_koping, contact_sala):
    for kind in (EventKind.CASE_CREATED, EventKind.PREPARATION_UPDATED, EventKind.FORM_UPDATED):
        event = record(django_capture_on_commit_callbacks, case=case_koping, kind=kind, actor=officer_koping)
        assert told(event) == {}
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_same_event_delivered_twice_notifies_and_mails_once(
    django_capture_on_commit_callbacks, request_to_sala, officer_koping
):
    event = record(
        django_capture_on_commit_callbacks,
        case=request_to_sala.case,
        kind=EventKind.REQUEST_SENT,
        actor=officer_koping,
        request=request_to_sala,
    )
    notify_for_event(event_id=event.pk)
    assert Notification.objects.filter(event=event).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_event_email_is_sent_by_the_next_scan(
    django_capture_on_commit_callbacks, request_to_sala, officer_koping, settings
):
    from notifications.tasks import reminders_scan_task

    settings.EMAIL_BACKEND = "tests.notifications.mail.FailingBackend"
    event = record(
        django_capture_on_commit_callbacks,
        case=request_to_sala.case,
        kind=EventKind.REQUEST_SENT,
        actor=officer_koping,
        request=request_to_sala,
    )
    notification = Notification.objects.get(event=event)
    assert notification.emailed_at is None
    settings.EMAIL_BACKEND = "tests.notifications.mail.NeutralCheckingBackend"
    with at(SENT_ON):  # no reminder due that day: only the failed e-mail goes out
        reminders_scan_task.delay()
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_users_without_email_get_the_notification_only(
    django_capture_on_commit_callbacks, request_to_sala, officer_koping, contact_sala
):
    contact_sala.email = ""
    contact_sala.save(update_fields=["email"])
    event = record(
        django_capture_on_commit_callbacks,
        case=request_to_sala.case,
        kind=EventKind.REQUEST_SENT,
        actor=officer_koping,
        request=request_to_sala,
    )
    assert told(event) == {"contact_sala": Kind.REQUEST_RECEIVED}
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_event_whose_task_was_lost_is_notified_by_the_scan(request_to_sala, officer_koping):
    import datetime

    from django.utils import timezone

    from cases.models import CaseEvent
    from notifications.tasks import reminders_scan_task

    # Written without its on-commit task (as if the broker had been down at that moment).
    with at(SENT_ON):
        event = CaseEvent.objects.create(
            case=request_to_sala.case,
            request=request_to_sala,
            at=timezone.now(),
            actor=officer_koping,
            actor_municipality=officer_koping.municipality,
            kind=EventKind.REQUEST_SENT,
        )
        reminders_scan_task.delay()
        assert told(event) == {}  # the task may still be on its way: not yet
    with at(SENT_ON + datetime.timedelta(days=1)):
        reminders_scan_task.delay()
        assert told(event) == {"contact_sala": Kind.REQUEST_RECEIVED}
        reminders_scan_task.delay()
    assert Notification.objects.filter(event=event).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_change_rolled_back_notifies_nobody(django_capture_on_commit_callbacks, request_to_sala, officer_koping):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record_event(
            case=request_to_sala.case,
            kind=EventKind.REQUEST_SENT,
            actor=officer_koping,
            request=request_to_sala,
        )
        raise RuntimeError("the transition failed after writing its event")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []
