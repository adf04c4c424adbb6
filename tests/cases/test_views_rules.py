"""The pages' promises: refused transitions change nothing, lists don't grow in queries, free text is checked."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import forms, workflow
from cases.models import CaseEvent, CaseStatus, MovePlan, Preparation
from cases.views import preparation as preparation_views
from tests.cases.conftest import complete_preparation, create_case, fill_form, update_children
from tests.conftest import municipality, verified_client

pytestmark = pytest.mark.django_db


def _send_cases(actor, count):
    sala, arboga = municipality("Sala"), municipality("Arboga")
    for _ in range(count):
        case = create_case(actor, children_ages=[5])
        complete_preparation(case, actor)
        fill_form(case, actor)
        workflow.requests_send(case=case, actor=actor, recipients=[sala, arboga])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(("url_name", "persona"), [("cases:list", "officer_koping"), ("cases:inbox", "contact_sala")])
def test_list_pages_do_not_grow_in_queries(request, url_name, persona, officer_koping, django_assert_max_num_queries):
    client = verified_client(request.getfixturevalue(persona))
    url = reverse(url_name)
    _send_cases(officer_koping, 2)
    with_two = _queries(client, url)
    _send_cases(officer_koping, 5)
    with django_assert_max_num_queries(with_two):
        response = client.get(url)
    assert response.content.decode().count("<tr") >= 7


def test_a_refused_transition_shows_the_message_and_changes_nothing(agreed_case, officer_koping):
    """Rule 10: the move cannot be confirmed before the Tax Agency's decision is recorded."""
    case = agreed_case.case
    MovePlan.objects.filter(case=case).update(protected_data_applied=True)
    events_before = CaseEvent.objects.filter(case=case).count()
    url = reverse("cases:move_plan", args=[case.pk])
    response = verified_client(officer_koping).post(url, {"form": "move", "move-moved_on": "2020-01-02"})
    assert response.status_code == 200
    body = response.content.decode()
    assert str(workflow.MSG_TAX_AGENCY_PENDING) in body
    assert 'value="2020-01-02"' in body  # the submitted date is kept
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    assert MovePlan.objects.get(case=case).moved_on is None
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_sending_is_refused_until_preparation_is_complete(new_case, officer_koping):
    """Rule 2: the page says what is missing and the workflow's refusal appears on the form."""
    fill_form(new_case, officer_koping)
    url = reverse("cases:send", args=[new_case.pk])
    client = verified_client(officer_koping)
    body = client.get(url).content.decode()
    assert "Förberedelsen är inte klar" in body
    response = client.post(url, {"recipients": [municipality("Sala").pk]})
    assert response.status_code == 200
    assert "Förfrågan kan inte skickas förrän förberedelsen är klar" in response.content.decode()
    assert not new_case.requests.exists()


def test_a_posted_excluded_municipality_is_refused_with_the_reason(officer_koping):
    """Rule 3: a municipality where the perpetrator's network is can never be asked."""
    vasteras = municipality("Västerås")
    case = create_case(officer_koping, excluded=[vasteras])
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    response = verified_client(officer_koping).post(
        reverse("cases:send", args=[case.pk]), {"recipients": [vasteras.pk]}
    )
    assert response.status_code == 200
    assert "Västerås är spärrad i det här ärendet och får aldrig tillfrågas." in response.content.decode()
    assert not case.requests.exists()


def test_bad_input_keeps_the_data(new_case, officer_koping):
    url = reverse("cases:preparation", args=[new_case.pk])
    response = verified_client(officer_koping).post(
        url, {"prep-risk_assessed_on": "inte ett datum", "prep-notes": "Min anteckning"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Min anteckning" in body
    assert 'aria-invalid="true"' in body
    assert 'href="#id_prep-risk_assessed_on"' in body  # the summary links to the field
    assert Preparation.objects.get(case=new_case).notes == ""


def test_a_refusal_about_one_field_is_shown_at_that_field(new_case, officer_koping):
    """The workflow refuses a date in the future; the page shows it at the date and links to it."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = verified_client(officer_koping).post(
        reverse("cases:preparation", args=[new_case.pk]),
        {"prep-consent_given_on": tomorrow.isoformat(), "prep-notes": "Min anteckning"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert str(workflow.MSG_FUTURE_DATE) in body
    assert 'href="#id_prep-consent_given_on"' in body  # the summary links to the field
    assert 'id="id_prep-consent_given_on_error"' in body  # the message stands at the field
    assert "Min anteckning" in body
    assert Preparation.objects.get(case=new_case).consent_given_on is None


def test_closing_as_moved_before_the_move_is_shown_at_the_outcome(agreed_case, officer_koping):
    response = verified_client(officer_koping).post(
        reverse("cases:close", args=[agreed_case.case.pk]), {"outcome": "moved"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert str(workflow.MSG_CLOSE_MOVED_BEFORE_MOVE) in body
    assert 'href="#id_outcome_0"' in body and 'id="id_outcome_error"' in body
    agreed_case.case.refresh_from_db()
    assert agreed_case.case.status == CaseStatus.AGREED


def test_a_child_removed_while_the_preparation_page_was_open(case_with_children, officer_koping, monkeypatch):
    """Another tab removed a child after this page read the children: a clear message, not a 500."""
    case = case_with_children
    seven, sixteen = case.children.get(age=7), case.children.get(age=16)
    read_children = preparation_views._child_forms
    calls = []

    def children_then_removed(*args):
        child_forms = read_children(*args)
        if not calls:  # the other tab saves the target group right after this request read the children
            update_children(case, officer_koping, [7])
        calls.append(args)
        return child_forms

    monkeypatch.setattr(preparation_views, "_child_forms", children_then_removed)
    response = verified_client(officer_koping).post(
        reverse("cases:preparation", args=[case.pk]),
        {
            "prep-notes": "Min anteckning",
            f"child-{seven.pk}-informed": "on",
            f"child-{sixteen.pk}-informed": "on",
            f"child-{sixteen.pk}-heard": "on",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert str(workflow.MSG_CHILD_GONE) in body
    assert "Min anteckning" in body  # kept in the form, nothing saved
    assert re.search(rf'<input type="checkbox" name="child-{seven.pk}-informed"[^>]* checked', body)  # kept
    assert f"child-{sixteen.pk}" not in body  # the page shows the children as they are now
    assert Preparation.objects.get(case=case).notes == ""
    seven.refresh_from_db()
    assert seven.informed is False


def test_wrong_role_gets_a_message_not_an_error(sent_case, contact_arboga):
    """Arboga may not accept Sala's request: it cannot even see it."""
    url = reverse("cases:decide", args=[sent_case.sala.pk])
    assert (
        verified_client(contact_arboga).post(url, {"decision": "accept", "accept-units": ["adult"]}).status_code == 404
    )


def test_every_free_text_field_goes_through_the_identifier_check():
    """Each free-text field is made by _free_text_field, so the identity-number validator reaches all of them."""
    form_classes = [
        value
        for value in vars(forms).values()
        if isinstance(value, type) and issubclass(value, forms.UIForm) and value is not forms.UIForm
    ]
    checked = 0
    for form_class in form_classes:
        kwargs = {}
        if "municipalities" in form_class.__init__.__code__.co_varnames:
            kwargs["municipalities"] = None
        if "colleagues" in form_class.__init__.__code__.co_varnames:
            kwargs["colleagues"] = None
        try:
            form = form_class(**kwargs)
        except (AttributeError, TypeError):
            form = form_class.__new__(form_class)
            form.fields = dict(form_class.base_fields)
        for name, field in form.fields.items():
            if isinstance(field, forms.forms.CharField) and name != "children_ages":
                assert getattr(field, "free_text", False), f"{form_class.__name__}.{name}"
                assert list(forms.FREE_TEXT_VALIDATORS) == [
                    v for v in field.validators if v in forms.FREE_TEXT_VALIDATORS
                ]
                checked += 1
    assert checked >= 15


def test_rule_2_children_of_15_and_over_speak_for_themselves(officer_koping):
    case = create_case(officer_koping, children_ages=[14, 15])
    by_age = {child.age: child for child in case.children.all()}
    assert (by_age[14].speaks_for_self, by_age[15].speaks_for_self) == (False, True)
    body = verified_client(officer_koping).get(reverse("cases:preparation", args=[case.pk])).content.decode()
    legends = re.findall(r"<legend>(Barn \d+, \d+ år[^<]*)</legend>", body)
    assert sorted(legends) == sorted(["Barn 1, 14 år", "Barn 2, 15 år – för sin egen talan"]) or sorted(
        legends
    ) == sorted(["Barn 1, 15 år – för sin egen talan", "Barn 2, 14 år"])
