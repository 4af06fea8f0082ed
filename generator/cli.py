"""The ``gen`` command line: the one place that prints errors and chooses exit codes.

Heavy libraries (troposphere, boto3) are imported inside the commands that need them, so
``gen --help`` and ``gen validate`` start fast.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import click
import typer

from generator.errors import GenError, InternalError, UsageError, printable

EXIT_CODES = """Exit codes: 0 success (warnings and notes included); 1 invalid blueprint: an error, or a warning
with --strict (or failed doctor checks); 2 usage error;
3 --check found stale output; 4 an AWS call failed (credentials, permissions, endpoint);
70 internal error: a bug in gen, please report it."""

app = typer.Typer(
    name="gen",
    help="Turn a gMSA blueprint into checked CloudFormation and Terraform for Windows containers on Amazon ECS.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


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
        _report(error)
    except Exception as bug:  # noqa: BLE001 - the one place that turns a crash into a report
        _report(InternalError(bug))


def _report(error: GenError) -> None:
    if isinstance(error, InternalError) and os.environ.get("GEN_TRACEBACK") == "1":
        import traceback

        traceback.print_exception(error.error, file=sys.stderr)
    for line in error.lines():
        typer.echo(printable(line), err=True)
    raise typer.Exit(error.exit_code) from None


class Format(str, enum.Enum):
    cloudformation = "cloudformation"
    terraform = "terraform"
    all = "all"


class CfnFormat(str, enum.Enum):
    yaml = "yaml"
    json = "json"


Blueprints = Annotated[list[Path], typer.Argument(help="Blueprint files (YAML).", show_default=False)]
Strict = Annotated[bool, typer.Option("--strict", help="Count warnings as errors (notes never count).")]


def report_notes(loaded: list) -> None:
    """Print the warnings and notes of valid blueprints to stderr, with their count."""
    from generator.errors import summary

    notes = sorted(n for item in loaded for n in item.notes)
    for note in notes:
        typer.echo(str(note), err=True)
    if notes:
        typer.echo(summary(notes), err=True)


@app.command()
def render(
    blueprints: Blueprints,
    out: Annotated[Path, typer.Option(help="Folder that receives <name>/ per blueprint.")] = Path("out"),
    format: Annotated[Format, typer.Option("--format", help="What to generate.")] = Format.all,
    cfn_format: Annotated[CfnFormat, typer.Option(help="CloudFormation template syntax.")] = CfnFormat.yaml,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 3 if the files on disk are stale.")] = False,
    strict: Strict = False,
) -> None:
    """Write credential specs, CloudFormation and Terraform to OUT/<name>/."""
    from generator.blueprint.validate import load_blueprints
    from generator.errors import StaleOutput
    from generator.output import source_name, stale_files, write_all
    from generator.render import FORMATS, render_blueprint

    formats = FORMATS if format is Format.all else (format.value,)
    with reported_errors():
        loaded = load_blueprints(blueprints, strict)
        report_notes(loaded)
        rendered = [render_blueprint(item, formats, cfn_format.value, source_name(item.path, out)) for item in loaded]
        if check:
            report = [line for item in rendered for line in stale_files(out, item)]
            if report:
                raise StaleOutput(report)
            typer.echo(f"up to date: {', '.join((out / r.name).as_posix() for r in rendered)}")
            return
        try:
            recovered = write_all(out, rendered)
        except OSError as exc:
            raise UsageError(f"cannot write {printable(out.as_posix())}: {exc.strerror or exc}") from None
        if recovered:
            typer.echo(f"finished an interrupted render into {printable(out.as_posix())} first")
        for item in rendered:
            typer.echo(f"wrote {printable((out / item.name).as_posix())}/ ({len(item.files)} files)")


@app.command()
def validate(blueprints: Blueprints, strict: Strict = False) -> None:
    """Check blueprints and report every problem in every file."""
    from generator.blueprint.validate import load_blueprints

    with reported_errors():
        loaded = load_blueprints(blueprints, strict)
        report_notes(loaded)
        for item in loaded:
            typer.echo(f"{printable(item.file)}: valid")


@app.command()
def schema() -> None:
    """Print the blueprint's JSON Schema (for editors: yaml-language-server, VS Code)."""
    from generator.blueprint.schema import schema_text

    typer.echo(schema_text(), nl=False)


@app.command()
def credspec(
    blueprint: Annotated[Path | None, typer.Argument(help="Blueprint to take the domain from.", show_default=False)] = None,
    account: Annotated[str | None, typer.Option(help="gMSA account name.")] = None,
    dns_name: Annotated[str | None, typer.Option(help="Domain DNS name (DNSRoot).")] = None,
    netbios_name: Annotated[str | None, typer.Option(help="Domain NetBIOS name.")] = None,
    sid: Annotated[str | None, typer.Option(help="Domain SID (DomainSID).")] = None,
    guid: Annotated[str | None, typer.Option(help="Domain GUID (ObjectGUID).")] = None,
    forest: Annotated[str | None, typer.Option(help="Forest root DNS name, if not the domain.")] = None,
) -> None:
    """Print one credential spec, as New-CredentialSpec writes it, from a blueprint or flags."""
    from generator.plan.credspec import credential_spec, spec_text
    from generator.plan.credspec_request import resolve_request

    with reported_errors():
        domain, name = resolve_request(blueprint, account, dns_name, netbios_name, sid, guid, forest)
        typer.echo(spec_text(credential_spec(name, domain)), nl=False)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter blueprint.")] = Path("blueprint.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter blueprint that validates."""
    from generator.files.atomic import write_starter
    from generator.resources import templates_dir

    with reported_errors():
        write_starter(path, (templates_dir() / "starter.yaml").read_bytes(), force)
        typer.echo(f"wrote {printable(str(path))}; edit the values marked CHANGE ME, then run: gen validate {printable(str(path))}")


# --- commands that call AWS (boto3 is imported inside them) -------------------------------------

Profile = Annotated[str | None, typer.Option(help="AWS profile (default: the standard credential chain).")]
Region = Annotated[str | None, typer.Option(help="AWS region (default: the blueprint's, or the profile's).")]
EndpointUrl = Annotated[str | None, typer.Option(help="Send calls to this endpoint (LocalStack, moto).")]


def _region_of(blueprint_region: str, option: str | None) -> str:
    """The blueprint's region; a different --region would look for its resources in the wrong place."""
    if option is not None and option != blueprint_region:
        raise UsageError(f"the blueprint deploys to {blueprint_region}; --region {option} would look elsewhere")
    return blueprint_region


class Output(str, enum.Enum):
    table = "table"
    json = "json"


@app.command()
def publish(
    blueprint: Annotated[Path, typer.Argument(help="Blueprint whose specs to publish.", show_default=False)],
    sid: Annotated[str | None, typer.Option(help="Domain SID, overriding the blueprint.")] = None,
    guid: Annotated[str | None, typer.Option(help="Domain GUID, overriding the blueprint.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    profile: Profile = None,
    region: Region = None,
    endpoint_url: EndpointUrl = None,
) -> None:
    """Write each account's credential spec to its store (SSM or S3), only where it differs."""
    from generator.aws.publish import plan_with_domain
    from generator.aws.publish import publish as publish_specs
    from generator.aws.session import Aws, Target
    from generator.blueprint.validate import load_blueprint

    with reported_errors():
        loaded = load_blueprint(blueprint)
        plan = plan_with_domain(loaded, sid, guid)
        aws = Aws(Target(profile, _region_of(plan.region, region), endpoint_url), plan.region)
        for outcome in publish_specs(aws, plan, dry_run):
            typer.echo(f"{outcome.state}: {outcome.location}")


@app.command()
def discover(
    directory_id: Annotated[str, typer.Option("--directory-id", help="Directory Service id (d-...).", show_default=False)],
    write: Annotated[Path | None, typer.Option(help="Update this blueprint in place instead of printing.")] = None,
    profile: Profile = None,
    region: Region = None,
    endpoint_url: EndpointUrl = None,
) -> None:
    """Print (or --write) the blueprint's directory: and network: sections from an existing directory."""
    from generator.aws.discover import as_yaml, blueprint_region, write_into
    from generator.aws.discover import discover as describe
    from generator.aws.session import Aws, Target

    with reported_errors():
        if write is not None and not write.exists():
            raise UsageError(f"{write}: no such file")
        if write is not None:  # the directory must be where the blueprint deploys
            region = _region_of(blueprint_region(write), region)
        aws = Aws(Target(profile, region, endpoint_url), None)
        found = describe(aws, directory_id)
        if write is None:
            typer.echo(as_yaml(found, aws.region), nl=False)
            return
        changes = write_into(write, found)
    for change in changes or ["nothing to change"]:
        typer.echo(f"{write}: {change}")


@app.command()
def doctor(
    blueprint: Annotated[Path, typer.Argument(help="Blueprint of the deployment to check.", show_default=False)],
    output: Annotated[Output, typer.Option(help="table for people, json for machines.")] = Output.table,
    profile: Profile = None,
    region: Region = None,
    endpoint_url: EndpointUrl = None,
) -> None:
    """Check a live deployment: directory, cluster, gMSA hosts, specs, IAM, services. Exit 1 on a failure."""
    from generator.aws.doctor import FAIL, as_json, as_table, run_checks
    from generator.aws.session import Aws, Target
    from generator.blueprint.validate import load_blueprint
    from generator.plan import build_plan

    with reported_errors():
        loaded = load_blueprint(blueprint)
        plan = build_plan(loaded.model, loaded.file)
        aws = Aws(Target(profile, _region_of(plan.region, region), endpoint_url), plan.region)
        checks = run_checks(aws, plan)
    typer.echo(as_json(checks) if output is Output.json else as_table(checks), nl=False)
    if any(c.status == FAIL for c in checks):
        raise typer.Exit(1)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point; a crash outside a command is reported like one inside."""
    try:
        app(args=argv, prog_name="gen")
    except Exception as bug:  # noqa: BLE001 - see reported_errors
        try:
            _report(InternalError(bug))
        except typer.Exit as done:
            sys.exit(done.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
