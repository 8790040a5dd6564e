"""A problem in a file that staff edit, with where it is, as the checks report it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileProblem:
    """One problem, at a file and line (line 0: the file or folder as a whole)."""

    path: str
    line: int
    message: str
    error: bool = True

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {'error' if self.error else 'warning'}: {self.message}"
