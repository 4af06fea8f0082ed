"""The ``gen`` command line: its commands, with :mod:`generator.cli_parts`, the one place that
prints errors and chooses exit codes.

Heavy libraries (pydantic, troposphere, Jinja, boto3) are imported inside the commands that need
them, so ``gen --help`` and ``gen validate`` start fast.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from generator.cli_parts import PATH, SHELLS, Choice, Commands, report, report_notes, reported_errors, show_completion
from generator.errors import InternalError, UsageError, display_path, printable

STDIN_NAME = "<stdin>"

EXIT_CODES = """Exit codes: 0 success (warnings and notes included); 1 invalid blueprint: an error, or a warning
with --strict (or failed doctor checks); 2 usage error;
3 --check found stale output; 4 an AWS call failed (credentials, permissions, endpoint);
70 internal error: a bug in gen, please report it."""

F = TypeVar("F", bound=Callable[..., object])


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from generator.version import gen_version

        click.echo(f"gen {gen_version()}")
        ctx.exit()


@click.group(
    name="gen",
    cls=Commands,
    epilog=EXIT_CODES,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Print gen's version and exit.")
@click.option("--show-completion", type=Choice(*SHELLS), expose_value=False, is_eager=True, callback=show_completion,
              metavar="SHELL", help="Print the completion script of SHELL (bash, zsh or fish), for example "
              "eval \"$(gen --show-completion bash)\" in ~/.bashrc.")
def app() -> None:
    """Turn a gMSA blueprint into checked CloudFormation and Terraform for Windows containers on Amazon ECS."""


def command(short_help: str) -> Callable[[F], F]:
    """``@app.command`` with a one-line summary for ``gen --help``."""
    return app.command(short_help=short_help)  # type: ignore[return-value]


def _option(*decls: str, **kwargs: object) -> Callable[[F], F]:
    """``click.option`` that shows its default in the help where it has one worth showing."""
    kwargs.setdefault("show_default", kwargs.get("default") not in (None, False, ()))
    return click.option(*decls, **kwargs)  # type: ignore[return-value]


def _blueprints(function: F) -> F:
    return click.argument("blueprints", metavar="BLUEPRINT...", nargs=-1, required=True, type=PATH,
                          help="Blueprint files (YAML); - reads one from standard input.")(function)


def _blueprint(function: F) -> F:
    return click.argument("blueprint", metavar="BLUEPRINT", type=PATH,
                          help="Blueprint file (YAML); - reads it from standard input.")(function)


def _strict(function: F) -> F:
    return _option("--strict", is_flag=True, help="Count warnings as errors (notes never count).")(function)


def _environments(function: F) -> F:
    return _option("--env", "env", multiple=True, metavar="NAME",
                   help="Only this environment of blueprints with environments: (repeat for more; default: all "
                   "of them).")(function)


def _aws(region_help: str) -> Callable[[F], F]:
    """--profile, --region and --endpoint-url, the options of the commands that call AWS."""

    def options(function: F) -> F:
        function = _option("--endpoint-url", metavar="URL",
                           help="Send calls to this endpoint (LocalStack, moto).")(function)
        function = _option("--region", metavar="REGION", help=region_help)(function)
        return _option("--profile", metavar="PROFILE",
                       help="AWS profile (default: the standard credential chain).")(function)

    return options


REGION_OF_BLUEPRINT = "AWS region; must be the blueprint's (or its environment's), which is the default."


@command("Write specs, CloudFormation and Terraform to OUT/<name>/.")
@_blueprints
@_option("--out", type=PATH, default=Path("out"), metavar="DIR", help="Folder that receives <name>/ per blueprint.")
@_option("--format", "format", type=Choice("cloudformation", "terraform", "all"), default="all",
         help="What to generate.")
@_option("--cfn-format", type=Choice("yaml", "json"), default="yaml", help="CloudFormation template syntax.")
@_option("--check", is_flag=True, help="Write nothing; exit 3 if the files on disk are stale.")
@_option("--diff", is_flag=True, help="With --check: print the whole unified diff to stdout.")
@_strict
@_environments
def render(blueprints: tuple[Path, ...], out: Path, format: str, cfn_format: str, check: bool, diff: bool,
           strict: bool, env: tuple[str, ...]) -> None:
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
        loaded = load_blueprints(list(blueprints), strict, env)
        report_notes(loaded)
        rendered = [render_blueprint(item, formats, cfn_format, source_name(item.path)) for item in loaded]
        if check:
            if diff:
                click.echo("".join(stale_diff(out, item) for item in rendered), nl=False)
            report = [line for item in rendered for line in stale_files(out, item)
                      if not (diff and line.startswith("    "))]  # the whole diff is on stdout
            if report:
                raise StaleOutput(report)
            click.echo(f"up to date: {', '.join((out / r.name).as_posix() for r in rendered)}", err=diff)
            return
        try:
            recovered = write_all(out, rendered)
        except OSError as exc:
            raise UsageError(f"cannot write {printable(out.as_posix())}: {exc.strerror or exc}") from None
        if recovered:
            click.echo(f"finished an interrupted render into {printable(out.as_posix())} first")
        for item in rendered:
            click.echo(f"wrote {printable((out / item.name).as_posix())}/ ({len(item.files)} files)")
        click.echo(next_steps(out, list(zip(loaded, rendered))), nl=False)


@command("Check blueprints; report every problem in every file.")
@_blueprints
@_strict
@_option("--output", type=Choice("text", "json", "sarif"), default="text",
         help="text (stderr) for people; json or sarif (SARIF 2.1.0, for code scanning) on stdout for machines.")
@_environments
def validate(blueprints: tuple[Path, ...], strict: bool, output: str, env: tuple[str, ...]) -> None:
    """Check blueprints (each environment of one that has them) and report every problem in
    every file, each naming its rule."""
    from generator.blueprint.validate import load_blueprints
    from generator.errors import BlueprintInvalid

    with reported_errors():
        if output == "text":
            loaded = load_blueprints(list(blueprints), strict, env)
            report_notes(loaded)
            for item in loaded:
                click.echo(f"{printable(item.file)}{f' (environment {item.environment})' if item.environment else ''}: valid")
            return
        from generator.blueprint.report import as_json, as_sarif

        try:
            problems = [n for item in load_blueprints(list(blueprints), strict, env) for n in item.notes]
            failed = False
        except BlueprintInvalid as exc:
            problems, failed = exc.problems, True
        checked = [STDIN_NAME if p.as_posix() == "-" else display_path(p) for p in blueprints]
        click.echo(as_sarif(sorted(problems)) if output == "sarif" else as_json(sorted(problems), checked), nl=False)
        if failed:
            raise click.exceptions.Exit(1)


@command("Print the blueprint's JSON Schema (for editors).")
def schema() -> None:
    """Print the blueprint's JSON Schema (for editors: yaml-language-server, VS Code)."""
    from generator.blueprint.schema import schema_text

    click.echo(schema_text(), nl=False)


@command("Print one credential spec, from a blueprint or flags.")
@click.argument("blueprint", metavar="[BLUEPRINT]", required=False, type=PATH,
                help="Blueprint to take the domain from.")
@_option("--account", metavar="NAME", help="gMSA account name.")
@_option("--dns-name", metavar="DNS", help="Domain DNS name (DNSRoot).")
@_option("--netbios-name", metavar="NAME", help="Domain NetBIOS name.")
@_option("--sid", metavar="SID", help="Domain SID (DomainSID).")
@_option("--guid", metavar="GUID", help="Domain GUID (ObjectGUID).")
@_option("--forest", metavar="DNS", help="Forest root DNS name, if not the domain.")
@_option("--env", metavar="NAME", help="The environment of the blueprint.")
@_option("--mode", metavar="MODE", help="domain-joined (default) or domainless: the spec then names the domainless "
         "user's secret.")
@_option("--platform", metavar="PLATFORM", help="windows (default) or linux (also Fargate): how a domainless spec "
         "names its secret.")
@_option("--domainless-secret", metavar="ARN", help="Secret of the domainless user ({username, password, "
         "domainName}).")
def credspec(blueprint: Path | None, account: str | None, dns_name: str | None, netbios_name: str | None,
             sid: str | None, guid: str | None, forest: str | None, env: str | None, mode: str | None,
             platform: str | None, domainless_secret: str | None) -> None:
    """Print one credential spec, as New-CredentialSpec writes it, from a blueprint or flags
    (flags override the blueprint); every bad flag is reported at once. A domainless spec adds the
    AWS CCG plugin's HostAccountConfig."""
    from generator.plan.credspec import credential_spec, spec_text
    from generator.plan.credspec_request import resolve_request

    with reported_errors():
        domain, name, host = resolve_request(blueprint, account, dns_name, netbios_name, sid, guid, forest, env,
                                             mode, platform, domainless_secret)
        click.echo(spec_text(credential_spec(name, domain, host)), nl=False)


@command("Write a commented starter blueprint that validates.")
@click.argument("path", metavar="[PATH]", required=False, type=PATH, default=Path("blueprint.yaml"),
                help="Where to write the starter blueprint (default: blueprint.yaml); its file name names the blueprint.")
@_option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: Path, force: bool) -> None:
    """Write a commented starter blueprint that validates, named after its file (payments.yaml:
    payments), and blueprint.schema.json beside it for editors unless one is there."""
    from generator.blueprint.schema import schema_text
    from generator.blueprint.starter import SCHEMA_FILE, starter
    from generator.files.atomic import write_starter
    from generator.resources import templates_dir

    with reported_errors():
        text = starter((templates_dir() / "starter.yaml").read_text(encoding="utf-8"), path.name)
        write_starter(path, text.encode("utf-8"), force)
        click.echo(f"wrote {printable(str(path))}; edit the values marked CHANGE ME, then run: gen validate {printable(str(path))}")
        schema_path = path.parent / SCHEMA_FILE
        if not schema_path.exists():
            write_starter(schema_path, schema_text().encode("utf-8"), False)
            click.echo(f"wrote {printable(str(schema_path))} for editors (refresh it with: gen schema > {SCHEMA_FILE})")


# --- commands that call AWS (boto3 is imported inside them) -------------------------------------


def _region_of(blueprint_region: str, option: str | None) -> str:
    """The blueprint's region; a different --region would look for its resources in the wrong place."""
    if option is not None and option != blueprint_region:
        raise UsageError(f"the blueprint deploys to {blueprint_region}; --region {option} would look elsewhere")
    return blueprint_region


def _deployments(blueprint: Path, env: tuple[str, ...]) -> list:
    """The blueprint, or each of its environments chosen with --env (all without it)."""
    from generator.blueprint.validate import load_environments

    return load_environments(blueprint, False, env)


def _heading(item: object, several: bool) -> None:
    """Before each environment's lines, when there are several."""
    if several:
        click.echo(f"{item.model.name}:")  # type: ignore[attr-defined]


@command("Write each credential spec to its store, where it differs.")
@_blueprint
@_option("--sid", metavar="SID", help="Domain SID, overriding the blueprint.")
@_option("--guid", metavar="GUID", help="Domain GUID, overriding the blueprint.")
@_option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@_environments
@_aws(REGION_OF_BLUEPRINT)
def publish(blueprint: Path, sid: str | None, guid: str | None, dry_run: bool, env: tuple[str, ...],
            profile: str | None, region: str | None, endpoint_url: str | None) -> None:
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
                click.echo(f"{outcome.state}: {outcome.location}")


@command("Print or --write a blueprint's directory from AWS.")
@_option("--directory-id", metavar="ID", required=True, help="Directory Service id (d-...).")
@_option("--write", type=PATH, metavar="BLUEPRINT", help="Update this blueprint in place instead of printing.")
@_option("--env", metavar="NAME", help="With --write: write into this environment of the blueprint.")
@_aws("AWS region of the directory. Default: with --write, the blueprint's (or --env's), which --region must then "
      "equal; without it, the profile's (AWS_REGION, AWS_DEFAULT_REGION or the profile's region setting).")
def discover(directory_id: str, write: Path | None, env: str | None, profile: str | None, region: str | None,
             endpoint_url: str | None) -> None:
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
            click.echo(as_yaml(found, aws.region), nl=False)
            return
        changes = write_into(write, found, env)
    for change in changes or ["nothing to change"]:
        click.echo(f"{write}: {change}")


@command("Check a live deployment; exit 1 on a failing check.")
@_blueprint
@_option("--output", type=Choice("table", "json"), default="table", help="table for people, json for machines.")
@_environments
@_aws(REGION_OF_BLUEPRINT)
def doctor(blueprint: Path, output: str, env: tuple[str, ...], profile: str | None, region: str | None,
           endpoint_url: str | None) -> None:
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
            click.echo(as_json(checks) if output == "json" else as_table(checks), nl=False)
            failed = failed or any(c.status == FAIL for c in checks)
    if failed:
        raise click.exceptions.Exit(1)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point; a crash outside a command is reported like one inside.

    pydantic plugins are off unless the environment says otherwise: what a blueprint means must
    not depend on what else is installed, and looking for plugins reads the metadata of every
    installed package at each start (pydantic.plugin._loader; PYDANTIC_DISABLE_PLUGINS is its
    documented switch).

    The garbage collector runs less often: a render allocates many objects that live until it
    ends (models, plan, templates) and makes little cyclic garbage, and at CPython's default
    threshold the full collections it sets off walk them again and again (about 5% of a render
    of 500 services; mypy tunes its collector the same way, for the same reason)."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.set_threshold(200_000, 30, 30)
    try:
        app(args=argv, prog_name="gen")
    except Exception as bug:  # noqa: BLE001 - see reported_errors
        try:
            report(InternalError(bug))
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
