"""The pieces gen's command line is built from: how a command's errors become lines on stderr
and an exit code (the only place that does), how commands are listed and choices are checked, shell
completion, and how warnings and notes are printed.

The command line is click's, used directly: it imports in about a third of the time typer (a
layer over click) takes, which is most of what ``gen --help`` costs (see bench/startup.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator.errors import GenError, InternalError, printable

#: Shells click writes a completion script for (click.shell_completion).
SHELLS = ("bash", "zsh", "fish")


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn a :class:`GenError` into its lines on stderr and its exit code; nothing else prints.

    Any other exception is a bug in gen: one line asking for a report and exit code 70, never the
    code of an invalid blueprint (``GEN_TRACEBACK=1`` prints the traceback as well)."""
    try:
        yield
    except (click.exceptions.Exit, click.exceptions.Abort, click.exceptions.ClickException):
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
        click.echo(printable(line), err=True)
    raise click.exceptions.Exit(error.exit_code) from None


class Commands(click.Group):
    """gen's commands, listed in ``gen --help`` in the order they are declared (most used first)
    rather than alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


def words(items: list[str], last: str = "and") -> str:
    """``a, b and c``."""
    return ", ".join(items[:-1]) + f" {last} " + items[-1] if len(items) > 1 else "".join(items)


class Choice(click.Choice):
    """click's choice, whose mistake lists the valid values in words: "'pulumi' is not one of
    cloudformation, terraform or all"."""

    def __init__(self, *values: str) -> None:
        super().__init__(values)

    def get_invalid_choice_message(self, value: object, ctx: click.Context | None) -> str:
        return f"{value!r} is not one of {words(list(self.choices), 'or')}."


#: A path as given; ``-`` stays ``Path("-")`` (standard input), nothing is checked here.
PATH = click.Path(path_type=Path)


def show_completion(ctx: click.Context, param: click.Parameter, shell: str | None) -> None:
    """Print the completion script of ``shell`` and exit. gen prints it rather than editing a
    shell's start-up file: it writes only files it owns. ``eval "$(gen --show-completion bash)"``
    in ~/.bashrc turns it on (click.shell_completion: the script calls gen back with
    ``_GEN_COMPLETE`` set)."""
    if shell is None or ctx.resilient_parsing:
        return
    from click.shell_completion import get_completion_class

    completion = get_completion_class(shell)
    assert completion is not None  # Choice(*SHELLS) admits only shells click knows
    click.echo(completion(ctx.command, {}, "gen", "_GEN_COMPLETE").source())
    ctx.exit()


def report_notes(loaded: list) -> None:
    """Print the warnings and notes of valid blueprints to stderr, with their count."""
    from generator.errors import summary

    notes = sorted(n for item in loaded for n in item.notes)
    for note in notes:
        click.echo(str(note), err=True)
    if notes:
        click.echo(summary(notes), err=True)
