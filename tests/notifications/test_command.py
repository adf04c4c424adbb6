"""``manage.py send_reminders``: one scan by hand, printing kinds and counts only."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from tests.notifications.conftest import SENT_ON, at


@pytest.mark.django_db
def test_send_reminders_prints_kinds_and_counts_without_case_details(request_to_sala):
    out = StringIO()
    with at(SENT_ON + datetime.timedelta(days=14)):
        call_command("send_reminders", stdout=out)
        again = StringIO()
        call_command("send_reminders", stdout=again)
    text = out.getvalue()
    assert "reply_7_days: 1" in text
    assert "Påminnelser skickade: 1" in text
    assert request_to_sala.case.reference not in text
    assert "Sala" not in text and "Köping" not in text
    assert "Påminnelser skickade: 0" in again.getvalue()
    assert "Påminnelser som väntar på att e-post ska gå fram: 0" in again.getvalue()
