"""End every session of a user, e.g. when the account is disabled."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def user_sessions_end(*, user, keep: str | None = None) -> int:
    """Delete every stored session signed in as ``user`` (except the session ``keep``); return how many.

    Sessions live in the database (Django's default engine). Session keys rotate at sign-in and
    after the second step, so the store is read rather than a list of keys kept on the side; the
    store holds only the sessions of the last 30 minutes, which keeps this small.
    """
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == user_id and session.pk != keep
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
