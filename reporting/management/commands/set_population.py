"""``manage.py set_population --year Y --population N --source TEXT``: enter or correct the
0-17 population of reporting year Y (2025 for 2025-26), used in rates per 10,000."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iro_service.core.errors import ApplicationError
from reporting.annual_services import population_set


class Command(BaseCommand):
    help = "Enter the 0-17 population of a reporting year (ONS mid-year estimate) and its source."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="2025 for 2025-26")
        parser.add_argument("--population", type=int, required=True)
        parser.add_argument("--source", required=True, help="e.g. 'ONS mid-2024 estimate'")

    def handle(self, *args: object, **options: object) -> None:
        try:
            row = population_set(
                year=options["year"],
                population=options["population"],
                source=options["source"],
                by=None,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Population for {row} saved ({row.source})."))
