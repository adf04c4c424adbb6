"""Run one reminder scan by hand and print what it sent (kinds and counts, never case details)."""

from collections import Counter

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notifications.email import MAX_EMAIL_ATTEMPTS, event_emails_retry
from notifications.models import NotificationKind, Reminder
from notifications.reminders import reminders_scan
from notifications.services import events_catch_up


class Command(BaseCommand):
    help = "Send the reminders that are due (one scan, the same one Celery beat runs)."

    def handle(self, *args, **options) -> None:
        sent = reminders_scan()
        caught_up = events_catch_up()
        retried = event_emails_retry()
        counts = Counter(reminder.kind for reminder in sent)
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"{kind}: {count} ({NotificationKind(kind).label})")
        self.stdout.write(_("Påminnelser skickade: %(count)d") % {"count": len(sent)})
        self.stdout.write(_("Händelser som notifierades i efterhand: %(count)d") % {"count": caught_up})
        self.stdout.write(_("Notiser vars e-post skickades om: %(count)d") % {"count": retried})
        waiting = Reminder.objects.filter(sent_at__isnull=True)
        given_up = waiting.filter(attempts__gte=MAX_EMAIL_ATTEMPTS).count()
        self.stdout.write(
            _("Påminnelser som väntar på att e-post ska gå fram: %(count)d") % {"count": waiting.count() - given_up}
        )
        if given_up:
            self.stderr.write(
                _("Påminnelser vars e-post inte gick fram på en vecka (kontrollera e-posten): %(count)d")
                % {"count": given_up}
            )
