"""Import a new year's populations from SCB (code;name;population). A bad row saves nothing."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from municipalities.population import apply_population, parse_population_file


class Command(BaseCommand):
    help = "Update populations from a CSV file 'code;name;population' (UTF-8)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--counted-on",
            type=date.fromisoformat,
            default=None,
            help="The date the population was counted (YYYY-MM-DD); default 31 December of last year.",
        )

    def handle(self, *args, file: Path, counted_on: date | None, **options) -> None:
        if counted_on is None:
            counted_on = date(timezone.localdate().year - 1, 12, 31)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            counts = apply_population(rows=parse_population_file(text), counted_on=counted_on)
        except ValueError as exc:
            raise CommandError(f"{file}: {exc} Nothing was saved.") from exc
        self.stdout.write(f"{counts['updated']} updated, {counts['unchanged']} unchanged.")
