"""``manage.py import_cin FILE``: import a CIN census XML file (the census year is read from
the file); ``manage.py import_cin --strategy-discussions FILE``: attach strategy discussion
dates from a CSV (``CHILD,S47_START,STRATEGY_DATE,ICPC_DATE``). All or nothing: on any
problem every one is listed (file, line, element or column, rule) and nothing is written."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from reporting.imports.base import ImportFailed, Summary
from reporting.imports.cin import import_cin
from reporting.imports.strategy import import_strategy_discussions


class Command(BaseCommand):
    help = "Import a CIN census XML file, or strategy discussion dates (--strategy-discussions)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--strategy-discussions",
            action="store_true",
            help="FILE is a CSV of CHILD,S47_START,STRATEGY_DATE,ICPC_DATE (yyyy-mm-dd).",
        )
        parser.add_argument(
            "--year",
            type=int,
            help="The year the census starts (2024 for 2024-25); checked against the file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        files = {path.name: path.read_bytes()}
        importer = import_strategy_discussions if options["strategy_discussions"] else import_cin
        console = Console(file=self.stdout, highlight=False)
        columns = (TextColumn("Importing"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("import", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                summary = importer(files, year=options["year"], by=None, progress=progress)
            except ImportFailed as failure:
                bar.stop()
                for error in failure.errors:
                    where = f"{error.file}, line {error.row}" if error.row else error.file
                    column = f", {error.column}" if error.column else ""
                    self.stderr.write(f"{where}{column}: [{error.rule}] {error.message}")
                raise CommandError(str(failure)) from failure
        self.stdout.write(self.style.SUCCESS(_describe(summary)))


def _describe(summary: Summary) -> str:
    parts = [
        f"{name.replace('_', ' ')}: "
        + ", ".join(f"{count} {change}" for change, count in counts.items())
        for name, counts in summary.items()
    ]
    return "Imported. " + "; ".join(parts)
