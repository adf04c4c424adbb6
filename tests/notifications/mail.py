"""E-mail backends for the notification tests.

``NeutralCheckingBackend`` is the locmem backend plus a check of every message against what an e-mail must
never carry: the network's name ("kompott"), a case reference, a municipality's or network's name, a
user's name. Violations are collected here and the autouse fixture of this folder fails the test on them.
"""

import os
import re
import threading
import time

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

VIOLATIONS: list[str] = []


def forbidden_words() -> list[str]:
    """Return every word an e-mail must not contain, read from the database now."""
    from accounts.models import User
    from cases.models import Case
    from municipalities.models import Municipality, Network

    words = ["kompott"]
    words += list(Case.objects.values_list("reference", flat=True))
    words += list(Municipality.objects.values_list("name", flat=True))
    words += list(Network.objects.values_list("name", flat=True))
    for first, last in User.objects.values_list("first_name", "last_name"):
        words += [w for w in (first, last) if len(w) > 2]
    return words


def violations_in(text: str, words: list[str]) -> list[str]:
    """Return the forbidden words found in ``text`` (case-insensitive; names as whole words)."""
    found = []
    lowered = text.lower()
    if "kompott" in lowered:
        found.append("kompott")
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", lowered):
            found.append(word)
    return found


class NeutralCheckingBackend(LocmemBackend):
    def send_messages(self, messages):
        words = forbidden_words()
        for message in messages:
            found = violations_in(f"{message.subject}\n{message.body}", words)
            if found:
                VIOLATIONS.append(f"{message.subject!r}: {found}")
        return super().send_messages(messages)


class FailingBackend(NeutralCheckingBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


class SlowBackend(NeutralCheckingBackend):
    """A mail server that takes its time, so that concurrent scans overlap."""

    lock = threading.Lock()

    def send_messages(self, messages):
        time.sleep(0.05)
        with self.lock:
            return super().send_messages(messages)


class SlowConsoleBackend(ConsoleBackend):
    """For a worker subprocess: the console backend, waiting ``LK_TEST_MAIL_DELAY`` seconds per message.

    A test kills the worker while it waits, in the middle of a batch.
    """

    def send_messages(self, messages):
        time.sleep(float(os.environ.get("LK_TEST_MAIL_DELAY", "0")))
        return super().send_messages(messages)
