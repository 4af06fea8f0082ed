"""The ``gen`` command line: its commands, with :mod:`generator.cli_parts`, the one place that
prints errors and chooses exit codes.

Heavy libraries (troposphere, boto3) are imported inside the commands that need them, so
``gen --help`` and ``gen validate`` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from generator.cli_parts import Command, choice, report, report_notes, reported_errors
from generator.errors import InternalError, UsageError, display_path, printable

STDIN_NAME = "<stdin>"

EXIT_CODES = """Exit codes: 0 success (warnings and notes included); 1 invalid blueprint: an error, or a warning
with --strict (or failed doctor checks); 2 usage error;
3 --check found stale output; 4 an AWS call failed (credentials, permissions, endpoint);
70 internal error: a bug in gen, please report it."""

app = typer.Typer(
    name="gen",
    help="Turn a gMSA blueprint into checked CloudFormation and Terraform for Windows containers on Amazon ECS.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from generator.version import gen_version

        typer.echo(f"gen {gen_version()}")
        raise typer.Exit()


@app.callback()
def _gen(
    version: Annotated[bool | None, typer.Option("--version", callback=_print_version, is_eager=True,
                                                 help="Print gen's version and exit.")] = None,
) -> None:
    """Turn a gMSA blueprint into checked CloudFormation and Terraform for Windows containers on Amazon ECS."""


def command(short_help: str) -> object:
    """``@app.command`` with gen's argument display and a one-line summary for ``gen --help``."""
    return app.command(cls=Command, short_help=short_help)


Blueprints = Annotated[list[Path], typer.Argument(metavar="BLUEPRINT...", show_default=False,
                                                  help="Blueprint files (YAML); - reads one from standard input.")]
Blueprint = Annotated[Path, typer.Argument(metavar="BLUEPRINT", show_default=False,
                                           help="Blueprint file (YAML); - reads it from standard input.")]
Strict = Annotated[bool, typer.Option("--strict", help="Count warnings as errors (notes never count).")]
Environments = Annotated[list[str], typer.Option("--env", metavar="NAME", show_default=False,
                                                 help="Only this environment of blueprints with environments: "
                                                 "(repeat for more; default: all of them).")]


@command("Write specs, CloudFormation and Terraform to OUT/<name>/.")
def render(
    blueprints: Blueprints,
    out: Annotated[Path, typer.Option(metavar="DIR", help="Folder that receives <name>/ per blueprint.")] = Path("out"),
    format: Annotated[str, typer.Option("--format", **choice("cloudformation", "terraform", "all"),
                                        help="What to generate.")] = "all",
    cfn_format: Annotated[str, typer.Option(**choice("yaml", "json"),
                                            help="CloudFormation template syntax.")] = "yaml",
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 3 if the files on disk are stale.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="With --check: print the whole unified diff to stdout.")] = False,
    strict: Strict = False,
    env: Environments = [],  # noqa: B006 - typer reads the default
) -> None:
    """Write credential specs, CloudFormation and Terraform to OUT/<name>/ (OUT/<name>-<env>/ per
    environment). Next steps, with the exact deploy commands, follow on stdout."""
    from generator.blueprint.validate import load_blueprints
    from generator.errors import StaleOutput
    from generator.next_steps import next_steps
    from generator.output import source_name, stale_diff, stale_files, write_all
    from generator.render import FORMATS, render_blueprint

    formats = FORMATS if format == "all" else (format,)
    with reported_errors():
        if diff and not check:
            raise UsageError("--diff goes with --check: it shows what --check finds")
        loaded = load_blueprints(blueprints, strict, tuple(env))
        report_notes(loaded)
        rendered = [render_blueprint(item, formats, cfn_format, source_name(item.path)) for item in loaded]
        if check:
            if diff:
                typer.echo("".join(stale_diff(out, item) for item in rendered), nl=False)
            report = [line for item in rendered for line in stale_files(out, item)
                      if not (diff and line.startswith("    "))]  # the whole diff is on stdout
            if report:
                raise StaleOutput(report)
            typer.echo(f"up to date: {', '.join((out / r.name).as_posix() for r in rendered)}", err=diff)
            return
        try:
            recovered = write_all(out, rendered)
        except OSError as exc:
            raise UsageError(f"cannot write {printable(out.as_posix())}: {exc.strerror or exc}") from None
        if recovered:
            typer.echo(f"finished an interrupted render into {printable(out.as_posix())} first")
        for item in rendered:
            typer.echo(f"wrote {printable((out / item.name).as_posix())}/ ({len(item.files)} files)")
        typer.echo(next_steps(out, list(zip(loaded, rendered))), nl=False)


@command("Check blueprints; report every problem in every file.")
def validate(
    blueprints: Blueprints,
    strict: Strict = False,
    output: Annotated[str, typer.Option(**choice("text", "json", "sarif"),
                                        help="text (stderr) for people; json or sarif (SARIF 2.1.0, for code "
                                        "scanning) on stdout for machines.")] = "text",
    env: Environments = [],  # noqa: B006 - typer reads the default
) -> None:
    """Check blueprints (each environment of one that has them) and report every problem in
    every file, each naming its rule."""
    from generator.blueprint.validate import load_blueprints
    from generator.errors import BlueprintInvalid

    with reported_errors():
        if output == "text":
            loaded = load_blueprints(blueprints, strict, tuple(env))
            report_notes(loaded)
            for item in loaded:
                typer.echo(f"{printable(item.file)}{f' (environment {item.environment})' if item.environment else ''}: valid")
            return
        from generator.blueprint.report import as_json, as_sarif

        try:
            problems = [n for item in load_blueprints(blueprints, strict, tuple(env)) for n in item.notes]
            failed = False
        except BlueprintInvalid as exc:
            problems, failed = exc.problems, True
        checked = [STDIN_NAME if p.as_posix() == "-" else display_path(p) for p in blueprints]
        typer.echo(as_sarif(sorted(problems)) if output == "sarif" else as_json(sorted(problems), checked), nl=False)
        if failed:
            raise typer.Exit(1)


@command("Print the blueprint's JSON Schema (for editors).")
def schema() -> None:
    """Print the blueprint's JSON Schema (for editors: yaml-language-server, VS Code)."""
    from generator.blueprint.schema import schema_text

    typer.echo(schema_text(), nl=False)


@command("Print one credential spec, from a blueprint or flags.")
def credspec(
    blueprint: Annotated[Path | None, typer.Argument(metavar="[BLUEPRINT]", show_default=False,
                                                     help="Blueprint to take the domain from.")] = None,
    account: Annotated[str | None, typer.Option(help="gMSA account name.")] = None,
    dns_name: Annotated[str | None, typer.Option(help="Domain DNS name (DNSRoot).")] = None,
    netbios_name: Annotated[str | None, typer.Option(help="Domain NetBIOS name.")] = None,
    sid: Annotated[str | None, typer.Option(help="Domain SID (DomainSID).")] = None,
    guid: Annotated[str | None, typer.Option(help="Domain GUID (ObjectGUID).")] = None,
    forest: Annotated[str | None, typer.Option(help="Forest root DNS name, if not the domain.")] = None,
    env: Annotated[str | None, typer.Option("--env", metavar="NAME", help="The environment of the blueprint.")] = None,
    mode: Annotated[str | None, typer.Option(metavar="MODE", help="domain-joined (default) or domainless: the "
                                             "spec then names the domainless user's secret.")] = None,
    platform: Annotated[str | None, typer.Option(metavar="PLATFORM", help="windows (default) or linux (also "
                                                 "Fargate): how a domainless spec names its secret.")] = None,
    domainless_secret: Annotated[str | None, typer.Option(metavar="ARN", help="Secret of the domainless user "
                                                          "({username, password, domainName}).")] = None,
) -> None:
    """Print one credential spec, as New-CredentialSpec writes it, from a blueprint or flags
    (flags override the blueprint); every bad flag is reported at once. A domainless spec adds the
    AWS CCG plugin's HostAccountConfig."""
    from generator.plan.credspec import credential_spec, spec_text
    from generator.plan.credspec_request import resolve_request

    with reported_errors():
        domain, name, host = resolve_request(blueprint, account, dns_name, netbios_name, sid, guid, forest, env,
                                             mode, platform, domainless_secret)
        typer.echo(spec_text(credential_spec(name, domain, host)), nl=False)


@command("Write a commented starter blueprint that validates.")
def init(
    path: Annotated[Path, typer.Argument(metavar="[PATH]", help="Where to write the starter blueprint; its file "
                                         "name names the blueprint.")] = Path("blueprint.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter blueprint that validates, named after its file (payments.yaml:
    payments), and blueprint.schema.json beside it for editors unless one is there."""
    from generator.blueprint.schema import schema_text
    from generator.blueprint.starter import SCHEMA_FILE, starter
    from generator.files.atomic import write_starter
    from generator.resources import templates_dir

    with reported_errors():
        text = starter((templates_dir() / "starter.yaml").read_text(encoding="utf-8"), path.name)
        write_starter(path, text.encode("utf-8"), force)
        typer.echo(f"wrote {printable(str(path))}; edit the values marked CHANGE ME, then run: gen validate {printable(str(path))}")
        schema_path = path.parent / SCHEMA_FILE
        if not schema_path.exists():
            write_starter(schema_path, schema_text().encode("utf-8"), False)
            typer.echo(f"wrote {printable(str(schema_path))} for editors (refresh it with: gen schema > {SCHEMA_FILE})")


# --- commands that call AWS (boto3 is imported inside them) -------------------------------------

Profile = Annotated[str | None, typer.Option(help="AWS profile (default: the standard credential chain).")]
Region = Annotated[str | None, typer.Option(help="AWS region; must be the blueprint's (or its environment's), which is "
                                            "the default.")]
EndpointUrl = Annotated[str | None, typer.Option(metavar="URL", help="Send calls to this endpoint (LocalStack, moto).")]


def _region_of(blueprint_region: str, option: str | None) -> str:
    """The blueprint's region; a different --region would look for its resources in the wrong place."""
    if option is not None and option != blueprint_region:
        raise UsageError(f"the blueprint deploys to {blueprint_region}; --region {option} would look elsewhere")
    return blueprint_region


def _deployments(blueprint: Path, env: list[str]) -> list:
    """The blueprint, or each of its environments chosen with --env (all without it)."""
    from generator.blueprint.validate import load_environments

    return load_environments(blueprint, False, tuple(env))


def _heading(item: object, several: bool) -> None:
    """Before each environment's lines, when there are several."""
    if several:
        typer.echo(f"{item.model.name}:")  # type: ignore[attr-defined]


@command("Write each credential spec to its store, where it differs.")
def publish(
    blueprint: Blueprint,
    sid: Annotated[str | None, typer.Option(help="Domain SID, overriding the blueprint.")] = None,
    guid: Annotated[str | None, typer.Option(help="Domain GUID, overriding the blueprint.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    env: Environments = [],  # noqa: B006 - typer reads the default
    profile: Profile = None,
    region: Region = None,
    endpoint_url: EndpointUrl = None,
) -> None:
    """Write each account's credential spec to its store (SSM or S3), only where it differs. The
    deploy writes every spec itself; this updates them later (new SID and GUID, a changed store)."""
    from generator.aws.publish import plan_with_domain
    from generator.aws.publish import publish as publish_specs
    from generator.aws.session import Aws, Target

    with reported_errors():
        deployments = _deployments(blueprint, env)
        for loaded in deployments:
            _heading(loaded, len(deployments) > 1)
            plan = plan_with_domain(loaded, sid, guid)
            aws = Aws(Target(profile, _region_of(plan.region, region), endpoint_url), plan.region)
            for outcome in publish_specs(aws, plan, dry_run):
                typer.echo(f"{outcome.state}: {outcome.location}")


@command("Print or --write a blueprint's directory from AWS.")
def discover(
    directory_id: Annotated[str, typer.Option("--directory-id", metavar="ID", show_default=False,
                                              help="Directory Service id (d-...).")],
    write: Annotated[Path | None, typer.Option(metavar="BLUEPRINT", help="Update this blueprint in place instead of "
                                               "printing.")] = None,
    env: Annotated[str | None, typer.Option("--env", metavar="NAME", help="With --write: write into this environment "
                                            "of the blueprint.")] = None,
    profile: Profile = None,
    region: Annotated[str | None, typer.Option(help="AWS region of the directory. Default: with --write, the "
                                               "blueprint's (or --env's), which --region must then equal; without "
                                               "it, the profile's (AWS_REGION, AWS_DEFAULT_REGION or the profile's "
                                               "region setting).")] = None,
    endpoint_url: EndpointUrl = None,
) -> None:
    """Print (or --write) the blueprint's directory: and network: sections from an existing
    directory."""
    from generator.aws.discover import as_yaml, blueprint_region, write_into
    from generator.aws.discover import discover as describe
    from generator.aws.session import Aws, Target

    with reported_errors():
        if env is not None and write is None:
            raise UsageError("--env goes with --write: it names the environment to write into")
        if write is not None and not write.exists():
            raise UsageError(f"{write}: no such file")
        if write is not None:  # the directory must be where the blueprint deploys
            region = _region_of(blueprint_region(write, env), region)
        aws = Aws(Target(profile, region, endpoint_url), None)
        found = describe(aws, directory_id)
        if write is None:
            typer.echo(as_yaml(found, aws.region), nl=False)
            return
        changes = write_into(write, found, env)
    for change in changes or ["nothing to change"]:
        typer.echo(f"{write}: {change}")


@command("Check a live deployment; exit 1 on a failing check.")
def doctor(
    blueprint: Blueprint,
    output: Annotated[str, typer.Option(**choice("table", "json"),
                                        help="table for people, json for machines.")] = "table",
    env: Environments = [],  # noqa: B006 - typer reads the default
    profile: Profile = None,
    region: Region = None,
    endpoint_url: EndpointUrl = None,
) -> None:
    """Check a live deployment: directory, cluster, gMSA hosts, specs, IAM, services. Exit 1 on a
    failure."""
    from generator.aws.doctor import FAIL, as_json, as_table, run_checks
    from generator.aws.session import Aws, Target
    from generator.plan import build_plan

    failed = False
    with reported_errors():
        deployments = _deployments(blueprint, env)
        for loaded in deployments:
            plan = build_plan(loaded.model, loaded.file)
            aws = Aws(Target(profile, _region_of(plan.region, region), endpoint_url), plan.region)
            checks = run_checks(aws, plan)
            if output != "json":
                _heading(loaded, len(deployments) > 1)
            typer.echo(as_json(checks) if output == "json" else as_table(checks), nl=False)
            failed = failed or any(c.status == FAIL for c in checks)
    if failed:
        raise typer.Exit(1)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point; a crash outside a command is reported like one inside."""
    try:
        app(args=argv, prog_name="gen")
    except Exception as bug:  # noqa: BLE001 - see reported_errors
        try:
            report(InternalError(bug))
        except typer.Exit as done:
            sys.exit(done.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
