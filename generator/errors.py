"""The one error hierarchy of gen.

Every failure a user can cause is a :class:`GenError`. Only ``cli.py`` turns these into text on
stderr and an exit code; everything else raises them and never prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: How much a problem matters: errors make a blueprint invalid (exit 1); warnings do not, unless
#: ``--strict``; notes (``info``) never do.
ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a blueprint, pinned to where it is.

    Rendered as ``FILE:LINE:COL: SEVERITY GENxxx: key.path: message. Hint: hint``, the shape
    editors and CI annotators understand.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    rule: str = field(default="", compare=False)
    severity: str = field(default=ERROR, compare=False)

    def __str__(self) -> str:
        where = f"{printable(self.file)}:{self.line}:{self.column}: {self.severity}"
        if self.rule:
            where += f" {self.rule}"
        message = printable(self.message)
        text = f"{where}: {printable(self.path)}: {message}" if self.path else f"{where}: {message}"
        text = _sentence(text)
        if self.hint:
            text += f" Hint: {_sentence(printable(self.hint))}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def printable(text: str) -> str:
    """``text`` with every character that would break a line or act on a terminal escaped
    (``\\n``, ``\\x07``, ``\\u2028``, a lone surrogate, a bidirectional override), so that one
    problem stays on one line and prints in any encoding."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable():
            out.append(char)
        elif char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


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
    """One or more blueprints have errors; carries every problem found (warnings and notes too)
    so a user sees all of them in one run."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s)")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems] + [summary(self.problems)]


def summary(problems: list[Problem]) -> str:
    """``2 errors and 1 warning in 1 blueprint``: the count line after a list of problems."""
    files = {p.file for p in problems}
    counts = []
    for severity, singular, plural in ((ERROR, "error", "errors"), (WARNING, "warning", "warnings"),
                                       (INFO, "note", "notes")):
        n = sum(1 for p in problems if p.severity == severity)
        if n:
            counts.append(f"{n} {singular if n == 1 else plural}")
    counted = ", ".join(counts[:-1]) + (" and " if len(counts) > 1 else "") + counts[-1] if counts else "no problems"
    return f"{counted} in {len(files)} {'blueprint' if len(files) == 1 else 'blueprints'}"


class InternalError(GenError):
    """A bug in gen, not a mistake of the user: reported on one line, with its own exit code so CI
    can tell a crash from an invalid blueprint."""

    exit_code = 70  # EX_SOFTWARE in BSD's sysexits.h

    def __init__(self, error: BaseException):
        self.error = error
        super().__init__(f"{type(error).__name__}: {error}")

    def lines(self) -> list[str]:
        detail = str(self.error).splitlines()[0][:200] if str(self.error) else ""
        return [f"internal error: {type(self.error).__name__}{': ' + detail if detail else ''} - this is a bug in gen, "
                "not in your blueprint; please report it with the command and the blueprint "
                "(GEN_TRACEBACK=1 prints the traceback)"]


class UsageError(GenError):
    """The command line itself is wrong (missing option, conflicting flags, unreadable file); one
    line per mistake, so a user fixes every flag in one go."""

    exit_code = 2

    def __init__(self, message: str, *more: str):
        self.messages = (message, *more)
        super().__init__(message)

    def lines(self) -> list[str]:
        return [f"error: {message}" for message in self.messages]


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
