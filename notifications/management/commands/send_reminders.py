"""Run one reminder scan by hand and print what it sent (kinds and counts, never case details)."""

from collections import Counter

from django.core.management.base import BaseCommand

from notifications.email import MAX_EMAIL_ATTEMPTS, event_emails_retry
from notifications.models import NotificationKind, Reminder
from notifications.reminders import reminders_scan
from notifications.services import events_catch_up


class Command(BaseCommand):
    help = "Skicka påminnelser som har förfallit (en genomsökning, samma som Celery beat kör)."

    def handle(self, *args, **options) -> None:
        sent = reminders_scan()
        caught_up = events_catch_up()
        retried = event_emails_retry()
        counts = Counter(reminder.kind for reminder in sent)
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"{kind}: {count} ({NotificationKind(kind).label})")
        self.stdout.write(f"Påminnelser skickade: {len(sent)}")
        self.stdout.write(f"Händelser som notifierades i efterhand: {caught_up}")
        self.stdout.write(f"Notiser vars e-post skickades om: {retried}")
        waiting = Reminder.objects.filter(sent_at__isnull=True)
        given_up = waiting.filter(attempts__gte=MAX_EMAIL_ATTEMPTS).count()
        self.stdout.write(f"Påminnelser som väntar på att e-post ska gå fram: {waiting.count() - given_up}")
        if given_up:
            self.stderr.write(f"Påminnelser vars e-post inte gick fram på en vecka (kontrollera e-posten): {given_up}")
