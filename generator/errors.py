"""The one error hierarchy of gen.

Every failure a user can cause is a :class:`GenError`. Only ``cli.py`` turns these into text on
stderr and an exit code; everything else raises them and never prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a blueprint, pinned to where it is.

    Rendered as ``FILE:LINE:COL: key.path: message. Hint: hint``, the shape editors and CI
    annotators understand.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    rule: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        text = _sentence(text)
        if self.hint:
            text += f" Hint: {_sentence(self.hint)}"
        return text


def _sentence(text: str) -> str:
    """End ``text`` with exactly one full stop unless it already ends a sentence."""
    text = text.rstrip()
    return text if text.endswith(("?", "!", ".")) else text + "."


class GenError(Exception):
    """Base of every error gen reports to a user; ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def lines(self) -> list[str]:
        """The lines the CLI prints to stderr for this error."""
        return [f"error: {self}"]


class BlueprintInvalid(GenError):
    """One or more blueprints have problems; carries all of them so a user sees every one."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s)")

    def lines(self) -> list[str]:
        files = {p.file for p in self.problems}
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        blueprints = "blueprint" if len(files) == 1 else "blueprints"
        return [str(p) for p in self.problems] + [f"{count} {noun} in {len(files)} {blueprints}"]


class UsageError(GenError):
    """The command line itself is wrong (missing option, conflicting flags, unreadable file)."""

    exit_code = 2


class StaleOutput(GenError):
    """``--check`` found generated files that differ from what the blueprints render now."""

    exit_code = 3

    def __init__(self, report: list[str]):
        self.report = report
        super().__init__("generated output is stale")

    def lines(self) -> list[str]:
        return self.report + ["error: generated output is stale; run the same command without --check"]


class AwsError(GenError):
    """A call to AWS failed for a reason the user can act on (credentials, permissions, endpoint).

    ``code`` is the AWS error code when AWS answered, so callers can treat e.g. a missing
    parameter as an answer rather than a failure.
    """

    exit_code = 4

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


def display_path(path: Path) -> str:
    """The path as a user should read it in messages and headers: relative to the working
    directory when inside it, so that output does not depend on where a checkout lives."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name
