"""Errors that name the thing: file, line and column."""

from __future__ import annotations

from pathlib import Path


class SourceFileError(ValueError):
    """A source file that cannot be read as its tool's format.

    The message names the file, the 1-based line (a CSV header is line 1) and the
    column, and says what was expected, so a user can open the file and fix it.
    """

    def __init__(
        self, path: Path | str, line: int | None, column: str | None, message: str
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        where = self.path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
