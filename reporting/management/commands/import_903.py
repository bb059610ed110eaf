"""manage.py import_903 --year Y DIR: import a year's SSDA903 return from a folder.

DIR holds the Header, Episodes and Reviews CSV files (recognised by their columns, not their
names). Shows a progress bar; on any problem prints every one (file, row, column, rule) and
imports nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reporting import ssda903
from reporting.imports.base import ImportFailed
from reporting.imports.ssda903 import import_ssda903


class Command(BaseCommand):
    help = "Import a year's SSDA903 return (Header, Episodes and Reviews CSV files in DIR)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="The year the collection starts: 2019 for 2019-20.",
        )
        parser.add_argument("directory", help="The folder holding the return's CSV files.")

    def handle(self, *args: object, year: int, directory: str, **options: object) -> None:
        folder = Path(directory)
        if not folder.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        files = {
            path.name: path.read_bytes()
            for path in sorted(folder.iterdir())
            if path.is_file() and path.suffix.lower() == ".csv"
        }
        if not files:
            raise CommandError(f"There are no CSV files in {directory}.")
        console = Console(
            file=self.stdout._out, width=120
        )  # the raw stream: rich writes its own line ends
        with Progress(
            TextColumn(f"SSDA903 {ssda903.year_label(year)}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task("import", total=None)
            try:
                summary = import_ssda903(
                    files,
                    year=year,
                    by=None,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            except ImportFailed as failure:
                bar.stop()
                console.print(_error_table(failure))
                raise CommandError(
                    f"{len(failure.errors)} problem(s) found; nothing was imported."
                ) from failure
        for kind, counts in summary.items():
            label = kind.replace("_", " ").capitalize()
            console.print(f"{label}: {counts['added']} added, {counts['updated']} updated")


def _error_table(failure: ImportFailed) -> Table:
    table = Table("File", "Row", "Column", "Rule", "Message", title="Problems")
    for error in failure.errors:
        row = "" if error.row is None else str(error.row)
        table.add_row(error.file, row, error.column, error.rule, error.message)
    return table
