"""The contact-person hand-over: the new person sees the old person's open cases; every grant recorded."""

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import User
from audit.models import AuditAction, AuditEvent
from cases.events import EventKind
from cases.models import CaseEvent
from municipalities.services import HandoverError, contact_person_handover
from tests.conftest import municipality, verified_client
from tests.factories import CaseFactory


@pytest.fixture
def koping_cases(officer_koping):
    koping = municipality("Köping")
    open_case = CaseFactory(sending_municipality=koping, created_by=officer_koping)
    agreed_case = CaseFactory(sending_municipality=koping, created_by=officer_koping, status="agreed")
    closed_case = CaseFactory(
        sending_municipality=koping, created_by=officer_koping, status="closed", closed_at=timezone.now()
    )
    other_case = CaseFactory(sending_municipality=koping, created_by=officer_koping)
    for case in (open_case, agreed_case, closed_case):
        assign_perm("cases.work_on_case", officer_koping, case)
    return {"open": open_case, "agreed": agreed_case, "closed": closed_case, "not_granted": other_case}


def fresh(user: User) -> User:
    """Return ``user`` from the database: permission caches start empty."""
    return User.objects.get(pk=user.pk)


def test_handover_keeps_the_old_persons_open_cases_visible_to_the_new_one(
    officer_koping, officer_koping_colleague, administrator, koping_cases
):
    granted = contact_person_handover(old=officer_koping, new=officer_koping_colleague, actor=administrator)

    new, old = fresh(officer_koping_colleague), fresh(officer_koping)
    assert set(granted) == {koping_cases["open"].pk, koping_cases["agreed"].pk}
    assert new.has_perm("cases.work_on_case", koping_cases["open"])
    assert new.has_perm("cases.work_on_case", koping_cases["agreed"])
    assert not new.has_perm("cases.work_on_case", koping_cases["closed"])
    assert not new.has_perm("cases.work_on_case", koping_cases["not_granted"])
    # The old person keeps access until an administrator deactivates the account.
    assert old.has_perm("cases.work_on_case", koping_cases["open"])
    assert (old.is_contact_person, new.is_contact_person) == (False, True)

    events = CaseEvent.objects.filter(kind=EventKind.ACCESS_GRANTED)
    assert {event.case_id for event in events} == set(granted)
    for event in events:
        assert event.actor == administrator
        assert event.data == {"user_id": new.pk, "handover_from_user_id": old.pk}
    assert AuditEvent.objects.filter(action=AuditAction.GRANT, case_id__in=granted).count() == 2


def test_a_second_handover_grants_nothing_twice(officer_koping, officer_koping_colleague, administrator, koping_cases):
    contact_person_handover(old=officer_koping, new=officer_koping_colleague, actor=administrator)
    granted_back = contact_person_handover(old=officer_koping_colleague, new=officer_koping, actor=administrator)
    assert granted_back == []
    assert CaseEvent.objects.filter(kind=EventKind.ACCESS_GRANTED).count() == 2


@pytest.mark.parametrize(
    ("new_name", "message"),
    [("officer_vasteras", "samma kommun"), ("officer_koping", "annan person")],
)
def test_handover_refuses_another_municipality_or_the_same_person(
    request, officer_koping, officer_vasteras, administrator, new_name, message
):
    new = request.getfixturevalue(new_name)
    with pytest.raises(HandoverError, match=message):
        contact_person_handover(old=officer_koping, new=new, actor=administrator)
    assert fresh(officer_koping).is_contact_person


def test_handover_refuses_a_non_administrator(officer_koping, officer_koping_colleague):
    with pytest.raises(HandoverError, match="administratör"):
        contact_person_handover(old=officer_koping, new=officer_koping_colleague, actor=officer_koping_colleague)


def test_handover_from_the_admin(officer_koping, officer_koping_colleague, administrator, koping_cases):
    client = verified_client(administrator)
    url = reverse("admin:accounts_user_changelist")
    form = client.post(url, {"action": "hand_over_contact_person", "_selected_action": [officer_koping.pk]})
    assert form.status_code == 200
    choices = [user.pk for user in form.context["form"].fields["new"].queryset]
    assert choices == [officer_koping_colleague.pk]

    response = client.post(
        url,
        {
            "action": "hand_over_contact_person",
            "_selected_action": [officer_koping.pk],
            "apply": "1",
            "new": officer_koping_colleague.pk,
        },
    )
    assert response.status_code == 302
    assert fresh(officer_koping_colleague).has_perm("cases.work_on_case", koping_cases["open"])
    assert fresh(officer_koping_colleague).is_contact_person
