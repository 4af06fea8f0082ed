"""The command line as a user sees it: output, messages, exit codes, start-up cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import app
from tests.conftest import BAD, ROOT

runner = CliRunner()


def gen(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_render_writes_specs_cloudformation_and_terraform(tmp_path: Path) -> None:
    code, out, err = gen("render", "blueprints/payroll.yaml", "--out", str(tmp_path))
    assert code == 0, err
    assert out.startswith(f"wrote {tmp_path.as_posix()}/payroll/ (14 files)\n\nNext steps:\n")
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert "payroll/credentialspecs/PayrollApi.json" in files
    assert "payroll/cloudformation/template.yaml" in files
    assert "payroll/terraform/services.tf" in files
    assert "payroll/ad/setup.ps1" in files


def test_render_one_format_and_json_templates(tmp_path: Path) -> None:
    code, _, err = gen("render", "blueprints/payroll.yaml", "--out", str(tmp_path), "--format", "cloudformation",
                       "--cfn-format", "json")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "payroll").iterdir()) == [".gen-manifest.json", "ad", "cloudformation",
                                                                        "credentialspecs"]
    json.loads((tmp_path / "payroll" / "cloudformation" / "template.json").read_text())


def test_check_exits_3_and_shows_what_changed(tmp_path: Path) -> None:
    gen("render", "blueprints/payroll.yaml", "--out", str(tmp_path))
    spec = tmp_path / "payroll" / "credentialspecs" / "PayrollApi.json"
    spec.write_text(spec.read_text().replace("PayrollApi", "Edited"))
    code, out, err = gen("render", "blueprints/payroll.yaml", "--out", str(tmp_path), "--check")
    assert code == 3
    assert f"differs: {spec.as_posix()}" in err and '+        "MachineAccountName": "PayrollApi",' in err
    assert "Edited" in spec.read_text(), "--check writes nothing"


def test_check_passes_on_current_output(tmp_path: Path) -> None:
    gen("render", "blueprints/legacy.yaml", "--out", str(tmp_path))
    code, out, _ = gen("render", "blueprints/legacy.yaml", "--out", str(tmp_path), "--check")
    assert (code, out) == (0, f"up to date: {tmp_path.as_posix()}/legacy\n")


def test_validate_reports_every_problem_of_every_file_then_a_count() -> None:
    bad = [p.relative_to(ROOT).as_posix() for p in BAD[:3]]
    code, out, err = gen("validate", "blueprints/webapp.yaml", *bad)
    lines = err.strip().splitlines()
    assert code == 1 and out == ""
    assert len(lines) == 5 and lines[-1] == "3 errors and 1 note in 4 blueprints"
    assert sorted(line.split(":")[0] for line in lines[:-1] if " error " in line) == sorted(bad)


def test_an_invalid_blueprint_writes_nothing(tmp_path: Path) -> None:
    code, _, err = gen("render", "blueprints/webapp.yaml", BAD[0].relative_to(ROOT).as_posix(), "--out", str(tmp_path))
    assert code == 1 and "Traceback" not in err
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_a_missing_file_is_a_usage_error() -> None:
    code, _, err = gen("validate", "nope.yaml")
    assert (code, err) == (2, "error: nope.yaml: no such file\n")


def test_blueprints_rendered_together_need_different_names(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text((ROOT / "blueprints" / "webapp.yaml").read_text())
    code, _, err = gen("validate", "blueprints/webapp.yaml", str(copy))
    assert code == 1 and '"webapp" is also the name of blueprints/webapp.yaml' in err


def test_schema_is_shipped_and_current() -> None:
    code, out, _ = gen("schema")
    assert code == 0
    assert out == (ROOT / "schema" / "blueprint.schema.json").read_text(), "run: gen schema > schema/blueprint.schema.json"
    schema = json.loads(out)
    assert schema["additionalProperties"] is False and "services" in schema["properties"]


def test_init_writes_a_starter_that_validates_and_renders(tmp_path: Path) -> None:
    target = tmp_path / "bp.yaml"
    assert gen("init", str(target))[0] == 0
    assert gen("validate", "--strict", str(target))[0] == 0
    assert gen("render", str(target), "--out", str(tmp_path / "out"))[0] == 0
    code, _, err = gen("init", str(target))
    assert code == 2 and "exists" in err


def test_credspec_from_flags_is_what_new_credentialspec_writes() -> None:
    code, out, err = gen("credspec", "--account", "PayrollApi", "--dns-name", "corp.example.net", "--netbios-name", "CORP",
                         "--sid", "S-1-5-21-1004336348-1177238915-682003330", "--guid", "2b9d1a8e-5c3f-4e1a-9d7b-0f2e6c4a8b31")
    assert code == 0, err
    assert out == (ROOT / "out" / "payroll" / "credentialspecs" / "PayrollApi.json").read_text()


def test_credspec_from_a_blueprint_with_flags_overriding() -> None:
    code, out, _ = gen("credspec", "tests/fixtures/good/pending-ssm.yaml", "--account", "Pending02",
                       "--sid", "S-1-5-21-7-8-9", "--guid", "8665abd4-e947-4dd0-9a51-f8254943c90b")
    spec = json.loads(out)
    assert code == 0 and spec["DomainJoinConfig"]["Sid"] == "S-1-5-21-7-8-9"
    assert spec["DomainJoinConfig"]["MachineAccountName"] == "Pending02"


@pytest.mark.parametrize(("blueprint", "account"), [("blueprints/windows-domainless.yaml", "claims/ClaimsApi"),
                                                  ("blueprints/fargate.yaml", "tickets/TicketsWeb")])
def test_credspec_of_a_domainless_blueprint_is_the_spec_it_renders(blueprint: str, account: str) -> None:
    code, out, err = gen("credspec", blueprint)
    name, spec = account.split("/")
    assert code == 0, err
    assert out == (ROOT / "out" / name / "credentialspecs" / f"{spec}.json").read_text()


@pytest.mark.parametrize(("platform", "plugin_input"), [
    ("windows", '{"credentialArn": "arn:aws:secretsmanager:eu-west-1:210987654321:secret:gmsa/reader-AbCdEf"}'),
    ("linux", {"CredentialArn": "arn:aws:secretsmanager:eu-west-1:210987654321:secret:gmsa/reader-AbCdEf"}),
])
def test_credspec_domainless_from_flags_names_the_secret_as_its_platform_reads_it(platform: str, plugin_input: object) -> None:
    code, out, err = gen("credspec", "--account", "App01", "--dns-name", "corp.example.net", "--netbios-name", "CORP",
                         "--sid", "S-1-5-21-7-8-9", "--guid", "8665abd4-e947-4dd0-9a51-f8254943c90b",
                         "--mode", "domainless", "--platform", platform,
                         "--domainless-secret", "arn:aws:secretsmanager:eu-west-1:210987654321:secret:gmsa/reader-AbCdEf")
    assert code == 0, err
    host = json.loads(out)["ActiveDirectoryConfig"]["HostAccountConfig"]
    assert host == {"PortableCcgVersion": "1", "PluginGUID": "{859E1386-BDB4-49E8-85C7-3070B13920E1}",
                    "PluginInput": plugin_input}


def test_credspec_domain_joined_has_no_host_account_even_from_a_linux_blueprint() -> None:
    code, out, err = gen("credspec", "blueprints/linux-ec2.yaml", "--account", "LedgerSvc",
                         "--sid", "S-1-5-21-7-8-9", "--guid", "8665abd4-e947-4dd0-9a51-f8254943c90b")
    assert code == 0, err
    assert "HostAccountConfig" not in json.loads(out)["ActiveDirectoryConfig"]


def test_credspec_reports_every_bad_domainless_flag() -> None:
    code, _, err = gen("credspec", "--account", "App01", "--mode", "sideways", "--platform", "mac",
                       "--domainless-secret", "not-an-arn")
    assert code == 2
    assert "--mode: 'sideways' is not valid; expected domain-joined or domainless" in err
    assert "--platform: 'mac' is not valid; expected windows or linux" in err
    assert "--domainless-secret: 'not-an-arn' is not valid; expected a Secrets Manager secret ARN" in err
    code, _, err = gen("credspec", "--account", "App01", "--dns-name", "corp.example.net", "--netbios-name", "CORP",
                       "--sid", "S-1-5-21-7-8-9", "--guid", "8665abd4-e947-4dd0-9a51-f8254943c90b", "--mode", "domainless")
    assert code == 2 and "missing --domainless-secret" in err
    code, _, err = gen("credspec", "--account", "App01", "--dns-name", "corp.example.net", "--netbios-name", "CORP",
                       "--sid", "S-1-5-21-7-8-9", "--guid", "8665abd4-e947-4dd0-9a51-f8254943c90b",
                       "--domainless-secret", "arn:aws:secretsmanager:eu-west-1:210987654321:secret:gmsa/reader-AbCdEf")
    assert code == 2 and "a domain-joined spec names no secret; add --mode domainless" in err


@pytest.mark.parametrize(("args", "message"), [
    (["tests/fixtures/good/pending-ssm.yaml", "--account", "Pending01"], "the blueprint gives no domain SID/GUID; missing --sid, --guid"),
    (["--account", "A", "--dns-name", "a.example", "--netbios-name", "A", "--sid", "S-1-5-21-1-2-3", "--guid", "zz"],
     "--guid: 'zz' is not valid; expected a GUID"),
    (["tests/fixtures/good/pending-ssm.yaml"], "declares 2 accounts; choose one with --account"),
])
def test_credspec_mistakes_are_usage_errors(args: list[str], message: str) -> None:
    code, _, err = gen("credspec", *args)
    assert code == 2 and message in err


def test_help_documents_every_exit_code() -> None:
    code, out, _ = gen("--help")
    assert code == 0
    flat = " ".join(out.split())
    for fragment in ("0 success", "1 invalid blueprint", "2 usage error", "3 --check found stale output", "4 an AWS call failed"):
        assert fragment in flat


def test_a_usage_mistake_exits_2() -> None:
    assert gen("render", "blueprints/webapp.yaml", "--format", "pulumi")[0] == 2


PROBE = """
import sys
from generator.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted(m for m in ("boto3", "botocore", "troposphere", "awacs", "jinja2") if m in sys.modules)
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize(("args", "allowed"), [
    (["--help"], set()),
    (["validate", "blueprints/webapp.yaml"], set()),
    (["render", "blueprints/webapp.yaml", "--check", "--format", "cloudformation"], {"troposphere", "awacs"}),
])
def test_light_commands_do_not_import_heavy_libraries(args: list[str], allowed: set[str]) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    heavy = result.stderr.strip().splitlines()[-1].removeprefix("HEAVY=")
    assert set(filter(None, heavy.split(","))) <= allowed, result.stderr


def test_the_console_script_and_module_entry_points_agree() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    as_module = subprocess.run([sys.executable, "-m", "generator", "validate", "blueprints/legacy.yaml"], cwd=ROOT,
                               capture_output=True, text=True, env=env, check=False)
    script = Path(sys.executable).with_name("gen")
    as_script = subprocess.run([str(script), "validate", "blueprints/legacy.yaml"], cwd=ROOT, capture_output=True,
                               text=True, check=False)
    assert as_module.returncode == as_script.returncode == 0
    assert as_module.stdout == as_script.stdout == "blueprints/legacy.yaml: valid\n"


@pytest.mark.parametrize(("args", "code", "message"), [
    ([BAD[0].relative_to(ROOT).as_posix()], 1, "1 error in 1 blueprint"),
    (["blueprints/webapp.yaml", "--out", "README.md"], 2, "error: README.md is not a folder"),
])
def test_a_user_mistake_never_prints_a_traceback_from_a_subprocess(args: list[str], code: int, message: str) -> None:
    script = Path(sys.executable).with_name("gen")
    result = subprocess.run([str(script), "render", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == code and "Traceback" not in result.stderr and message in result.stderr, result.stderr


def test_output_is_the_same_from_any_working_directory(tmp_path: Path) -> None:
    script = str(Path(sys.executable).with_name("gen"))
    subprocess.run([script, "render", "blueprints/webapp.yaml", "--out", str(tmp_path / "a" / "out")], cwd=ROOT,
                   check=True, capture_output=True)
    subprocess.run([script, "render", "webapp.yaml", "--out", str(tmp_path / "b" / "out")], cwd=ROOT / "blueprints",
                   check=True, capture_output=True)
    trees = [{p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
             for root in (tmp_path / "a" / "out", tmp_path / "b" / "out")]
    assert trees[0] == trees[1] and len(trees[0]) == 13  # 12 files and the manifest


def test_a_secret_looking_variable_is_never_echoed(tmp_path: Path) -> None:
    blueprint = tmp_path / "bp.yaml"
    blueprint.write_text((ROOT / "blueprints" / "webapp.yaml").read_text().replace(
        "    desired_count: 2\n", "    desired_count: 2\n    environment:\n      API_TOKEN: 123456789\n"))
    code, _, err = gen("validate", str(blueprint))
    assert code == 1 and "123456789" not in err and "not shown" in err


def test_warnings_are_printed_and_fail_only_with_strict(tmp_path: Path) -> None:
    blueprint = tmp_path / "bp.yaml"
    blueprint.write_text((ROOT / "blueprints" / "legacy.yaml").read_text().replace("  max: 2\n", "  max: 2\n  desired: 1\n"))
    code, out, err = gen("validate", str(blueprint))
    assert code == 0 and out.endswith("valid\n")
    assert "warning GEN026: hosts.desired:" in err and err.rstrip().endswith("1 warning and 1 note in 1 blueprint")
    code, out, err = gen("validate", "--strict", str(blueprint))
    assert code == 1 and "error GEN026: hosts.desired:" in err and err.rstrip().endswith("1 error and 1 note in 1 blueprint")


def test_a_bug_is_one_line_asking_for_a_report_and_its_own_exit_code(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr("generator.blueprint.validate.validate_document", broken)
    code, out, err = gen("validate", "blueprints/webapp.yaml")
    assert code == 70 and out == ""
    assert err.count("\n") == 1 and err.startswith("internal error: RuntimeError: something") and "report" in err


def test_a_bug_outside_a_command_is_reported_the_same_way() -> None:
    probe = ("import sys, generator.cli as c\n"
             "c.app = lambda **kw: (_ for _ in ()).throw(ValueError('boom'))\n"
             "c.main(['validate', 'x'])\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 70 and result.stderr.startswith("internal error: ValueError: boom")
    assert "Traceback" not in result.stderr


def test_help_documents_the_internal_error_code() -> None:
    assert "70 internal error" in " ".join(gen("--help")[1].split())


@pytest.mark.parametrize(("target", "force", "message"), [
    ("{tmp}", True, "is a folder"),
    ("/proc/x.yaml", True, "cannot write /proc/x.yaml"),
    ("/dev/full", True, "/dev/full is not a regular file"),
    ("/dev/null", False, "/dev/null is not a regular file"),
])
def test_init_mistakes_are_one_line_usage_errors(tmp_path: Path, target: str, force: bool, message: str) -> None:
    code, _, err = gen("init", target.format(tmp=tmp_path), *(["--force"] if force else []))
    assert code == 2 and err.count("\n") == 1 and message in err, err


def test_init_replaces_a_file_atomically_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "bp.yaml"
    target.write_text("old")
    target.chmod(0o640)
    assert gen("init", str(target), "--force")[0] == 0
    assert target.read_text().startswith("#") and (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blueprint.schema.json", "bp.yaml"]


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: os.mkfifo(p), "is not a regular file"),
    (lambda p: p.mkdir(), "is a folder"),
])
def test_fifos_and_folders_are_refused_before_they_are_read(tmp_path: Path, make, message: str) -> None:  # noqa: ANN001
    target = tmp_path / "bp.yaml"
    make(target)
    code, _, err = gen("validate", str(target))
    assert code == 2 and message in err


def test_devices_are_refused_before_they_are_read() -> None:
    code, _, err = gen("validate", "/dev/zero")
    assert code == 2 and "is not a regular file" in err


def test_a_file_past_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    from generator.blueprint.limits import MAX_FILE_BYTES

    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES * 50)  # sparse: 100 MiB that gen must not read
    code, _, err = gen("validate", str(big))
    assert code == 1 and "GEN108" in err and "larger than gen reads" in err


def test_a_blueprint_file_name_cannot_inject_into_the_output(tmp_path: Path) -> None:
    from cfn_flip import load_yaml

    name = "x\nTransform: AWS::Serverless-2016-10-31\n#.yaml"
    blueprint = tmp_path / name
    blueprint.write_text((ROOT / "blueprints" / "webapp.yaml").read_text())
    code, out, err = gen("render", str(blueprint), "--out", str(tmp_path / "out"))
    assert code == 0, err
    template = (tmp_path / "out" / "webapp" / "cloudformation" / "template.yaml").read_text()
    assert "Transform" not in load_yaml(template) and template.splitlines()[0].endswith("#.yaml; do not edit.")
    for tf in (tmp_path / "out" / "webapp" / "terraform").glob("*.tf"):
        assert tf.read_text().splitlines()[1].startswith("# Change the blueprint"), tf
    code, _, err = gen("validate", str(blueprint.with_name("x\ny.yaml")))
    assert code == 2 and err.count("\n") == 1 and "x\\ny.yaml" in err


def test_more_resources_than_a_stack_holds_render_to_several_stacks(tmp_path: Path) -> None:
    text = (ROOT / "blueprints" / "webapp.yaml").read_text()
    services = "".join(f"  - {{name: s{n}, gmsa: WebApp01, image: mcr.microsoft.com/windows/servercore:ltsc2019, "
                       "cpu: 128, memory: 256}\n" for n in range(163))
    blueprint = tmp_path / "many.yaml"
    blueprint.write_text(text[: text.index("services:")] + "services:\n" + services)
    code, out, err = gen("render", str(blueprint), "--out", str(tmp_path / "out"), "--format", "cloudformation")
    assert code == 0, err
    stacks = sorted(p.name for p in (tmp_path / "out" / "webapp" / "cloudformation").iterdir())
    assert stacks[-1] == "template.yaml" and len(stacks) > 2 and all(p.startswith("services-") for p in stacks[:-1])
    assert f"the system is {len(stacks)} CloudFormation stacks: webapp first" in out
    assert 'for f in ' in out and '--stack-name "webapp-$(basename "$f" .yaml)"' in out
