"""What every national-return importer shares: the error it reports for a bad row, the
failure that carries all of them, and the progress callback.

An importer is a function ``(files, *, year, by, progress) -> summary`` that validates every
row first and reports every error, then writes everything in one transaction or nothing
(DEVELOPERS.md: imports are all-or-nothing and report every bad row). ``files`` maps each
uploaded file's name to its bytes; the summary counts what was added and updated, e.g.
``{"children": {"added": 3, "updated": 1}, "episodes": {...}}``.
"""

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from people.models import User

Progress = Callable[[int, int], None]
Summary = dict[str, dict[str, int]]
# Before the message of a rule of recording a birth that a date of birth from a file breaks.
HELD_UNBORN = "The service holds this child as unborn. "


@dataclass(frozen=True)
class RowError:
    """One thing wrong with one row: where (file, row, column), which rule, and what to do."""

    file: str
    row: int | None
    column: str
    rule: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ImportFailed(Exception):
    """Nothing was imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) found; nothing was imported")
        self.errors = errors


class Importer(Protocol):
    def __call__(
        self,
        files: Mapping[str, bytes],
        *,
        year: int | None,
        by: User | None,
        progress: Progress,
    ) -> Summary: ...


def no_progress(done: int, total: int) -> None:
    """The progress callback for callers that do not show progress."""
