"""Erase the free text of cases closed more than CASE_RETENTION_MONTHS months ago."""

from django.conf import settings
from django.core.management.base import BaseCommand

from cases.retention import erase_expired_cases


class Command(BaseCommand):
    help = "Erase the free text and request forms of cases closed longer ago than the retention time."

    def handle(self, *args, **options) -> None:
        count = erase_expired_cases()
        self.stdout.write(
            f"Erased the free text of {count} case(s) closed over {settings.CASE_RETENTION_MONTHS} months ago."
        )
