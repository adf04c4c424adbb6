"""E-mails name nothing: not the network, a person, a municipality or a case.

Every e-mail sent by any test in this folder is checked by ``tests.notifications.mail``; this test makes
sure each kind of notification really sends one, so that the check covers them all.
"""

import datetime

import pytest
from django.core import mail

from cases import deadlines
from notifications.email import neutral_message
from notifications.reminders import reminders_scan
from tests.notifications import mail as checking
from tests.notifications.conftest import at, move


@pytest.mark.django_db
def test_every_reminder_email_is_the_neutral_sentence_and_a_link(agreed_case):
    moved_on = datetime.date(2026, 5, 12)
    move(agreed_case, moved_on)
    days = [
        deadlines.follow_up_reminder(moved_on),
        deadlines.follow_up_due(moved_on) + datetime.timedelta(days=1),
        deadlines.economic_responsibility_date(moved_on),
        deadlines.two_month_end(moved_on),
    ]
    for day in days:
        with at(day):
            reminders_scan()
    assert len(mail.outbox) >= 8
    words = checking.forbidden_words()
    for message in mail.outbox:
        assert message.subject == "Ny notis i ärendestödet"
        assert "Du har en ny notis i ärendestödet." in message.body
        assert "https://arendestod.example/notiser/" in message.body
        assert checking.violations_in(message.subject + message.body, words) == []


@pytest.mark.django_db
def test_the_checker_catches_a_network_name(vastmanland):
    words = checking.forbidden_words()
    assert checking.violations_in("Välkommen till Länskompotten", words) == ["kompott"]
    assert checking.violations_in("Ärende i Sala", words) == ["Sala"]
    assert "kompott" in checking.violations_in("https://lanskompott.test/notiser/", words)


def test_the_message_follows_site_url(settings):
    settings.SITE_URL = "https://socialtjanst.example/"
    message = neutral_message(to="a@example.org")
    assert "https://socialtjanst.example/notiser/" in message.body
    assert message.to == ["a@example.org"]
