"""Accessible markup on every case page: unique ids, a label for every field, headings in order, no inline style."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases import workflow
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[str] = []
        self.headings: list[int] = []
        self.inline: list[str] = []
        self.th_without_scope = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "style" in attrs or tag == "style" or (tag == "script" and "src" not in attrs):
            self.inline.append(tag)
        if any(name.startswith("on") for name in attrs):
            self.inline.append(tag)
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.fields.append(attrs.get("id") or f"<{tag} name={attrs.get('name')}>")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "th" and "scope" not in attrs:
            self.th_without_scope += 1


def _check(body: str, url: str) -> None:
    markup = _Markup()
    markup.feed(body)
    duplicates = {i for i in markup.ids if markup.ids.count(i) > 1}
    assert not duplicates, f"{url}: duplicate ids {duplicates}"
    unlabelled = [field for field in markup.fields if field not in markup.label_for]
    assert not unlabelled, f"{url}: fields without a label {unlabelled}"
    assert markup.headings and markup.headings[0] == 1, f"{url}: the first heading is not h1"
    assert markup.headings.count(1) == 1, f"{url}: more than one h1"
    for before, after in zip(markup.headings, markup.headings[1:], strict=False):
        assert after <= before + 1, f"{url}: heading h{before} followed by h{after}"
    assert not markup.inline, f"{url}: inline script or style {markup.inline}"
    assert markup.th_without_scope == 0, f"{url}: a table header without scope"


def test_sending_pages_before_agreement(case_with_children, officer_koping):
    client = verified_client(officer_koping)
    urls = [reverse("home"), reverse("cases:list"), reverse("cases:create")]
    urls += [
        reverse(name, args=[case_with_children.pk])
        for name in ("cases:detail", "cases:target_group", "cases:preparation", "cases:form_draft", "cases:send")
    ]
    urls += [
        reverse("cases:close", args=[case_with_children.pk]),
        reverse("cases:access", args=[case_with_children.pk]),
    ]
    for url in urls:
        _check(client.get(url).content.decode(), url)
    # Pages with errors too.
    response = client.post(reverse("cases:preparation", args=[case_with_children.pk]), {"prep-risk_assessed_on": "x"})
    _check(response.content.decode(), "preparation with errors")
    response = client.post(reverse("cases:send", args=[case_with_children.pk]), {})
    _check(response.content.decode(), "send with errors")


def test_request_and_shared_pages(sent_case, contact_sala, officer_koping, supervisor_sala_adult):
    sala = verified_client(contact_sala)
    for url in (
        reverse("cases:inbox"),
        reverse("cases:request", args=[sent_case.sala.pk]),
        reverse("cases:decide", args=[sent_case.sala.pk]),
    ):
        _check(sala.get(url).content.decode(), url)
    response = sala.post(reverse("cases:decide", args=[sent_case.sala.pk]), {"decision": "decline"})
    _check(response.content.decode(), "decide with errors")
    koping = verified_client(officer_koping)
    url = reverse("cases:withdraw", args=[sent_case.sala.pk])
    _check(koping.get(url).content.decode(), url)
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult"])
    url = reverse("cases:consents")
    _check(verified_client(supervisor_sala_adult).get(url).content.decode(), url)
    workflow.consent_give(consent=sent_case.sala.consents.get(), actor=supervisor_sala_adult)
    for client in (koping, sala):
        for name in ("cases:detail", "cases:collaboration", "cases:move_plan"):
            url = reverse(name, args=[sent_case.case.pk])
            _check(client.get(url).content.decode(), url)


def test_pages_after_the_move(moved_case, officer_koping):
    client = verified_client(officer_koping)
    for name in ("cases:after_move", "cases:move_plan", "cases:detail"):
        url = reverse(name, args=[moved_case.case.pk])
        _check(client.get(url).content.decode(), url)
    client.post(reverse("cases:close", args=[moved_case.case.pk]), {"outcome": "moved"})
    url = reverse("cases:detail", args=[moved_case.case.pk])
    _check(client.get(url).content.decode(), url)


def test_only_the_most_specific_menu_entry_is_current(officer_koping):
    body = verified_client(officer_koping).get(reverse("cases:inbox")).content.decode()
    assert body.count('aria-current="page"') == 1
    assert f'href="{reverse("cases:inbox")}" aria-current="page"' in body
