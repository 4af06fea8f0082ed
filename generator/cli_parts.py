"""The pieces gen's command line is built from: how a command's errors become lines on stderr
and an exit code (the only place that does), how arguments and choices are shown and checked,
and how warnings and notes are printed."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
import typer
import typer.core

from generator.errors import GenError, InternalError, printable


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn a :class:`GenError` into its lines on stderr and its exit code; nothing else prints.

    Any other exception is a bug in gen: one line asking for a report and exit code 70, never the
    code of an invalid blueprint (``GEN_TRACEBACK=1`` prints the traceback as well)."""
    try:
        yield
    except (typer.Exit, typer.Abort, click.exceptions.ClickException):
        raise
    except GenError as error:
        report(error)
    except Exception as bug:  # noqa: BLE001 - the one place that turns a crash into a report
        report(InternalError(bug))


def report(error: GenError) -> None:
    if isinstance(error, InternalError) and os.environ.get("GEN_TRACEBACK") == "1":
        import traceback

        traceback.print_exception(error.error, file=sys.stderr)
    for line in error.lines():
        typer.echo(printable(line), err=True)
    raise typer.Exit(error.exit_code) from None


class Argument(typer.core.TyperArgument):
    """A positional argument shown as its metavar alone: ``BLUEPRINT...`` in the usage line, no
    Python type name (``<list[Path]>``) in the help."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        name = name if self.required else f"[{name.strip('[]')}]"
        return name + ("..." if self.nargs != 1 and not name.endswith(("...", "...]")) else "")

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None


class Command(typer.core.TyperCommand):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for param in self.params:
            if type(param) is typer.core.TyperArgument:
                param.__class__ = Argument


def words(items: list[str], last: str = "and") -> str:
    """``a, b and c``."""
    return ", ".join(items[:-1]) + f" {last} " + items[-1] if len(items) > 1 else "".join(items)


def choice(*values: str) -> dict[str, object]:
    """Options of a typer.Option taking one of ``values``; a mistake lists them in words:
    "'pulumi' is not one of cloudformation, terraform or all"."""

    def parse(value: str) -> str:
        if value in values:
            return value
        raise typer.BadParameter(f"{value!r} is not one of {words(list(values), 'or')}.")

    return {"parser": parse, "metavar": "[" + "|".join(values) + "]"}


def report_notes(loaded: list) -> None:
    """Print the warnings and notes of valid blueprints to stderr, with their count."""
    from generator.errors import summary

    notes = sorted(n for item in loaded for n in item.notes)
    for note in notes:
        typer.echo(str(note), err=True)
    if notes:
        typer.echo(summary(notes), err=True)
