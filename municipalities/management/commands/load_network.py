"""Load (or update) a county network and its member municipalities. Running it again changes nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from municipalities.models import Municipality, Network
from municipalities.networks import NETWORKS
from municipalities.population import apply_population, parse_population_file


class Command(BaseCommand):
    help = "Load a county network with its municipalities and populations, e.g. 'load_network vastmanland'."

    def add_arguments(self, parser) -> None:
        parser.add_argument("network", choices=sorted(NETWORKS))

    @transaction.atomic
    def handle(self, *args, network: str, **options) -> None:
        definition = NETWORKS[network]
        try:
            rows = parse_population_file(definition.population_file.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        record, created = Network.objects.update_or_create(
            slug=definition.slug,
            defaults={
                "name": definition.name,
                "county_board": definition.county_board,
                "county_board_email": definition.county_board_email,
            },
        )
        counts = apply_population(rows=rows, counted_on=definition.population_counted_on, network=record)
        for municipality in Municipality.objects.filter(network=record):
            national = municipality.scb_code in definition.national_members
            if municipality.national_network != national:
                municipality.national_network = national
                municipality.save(update_fields=["national_network"])
        self.stdout.write(
            f"{record.name}: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged."
        )
