"""The rendered output of every example and good fixture passes cfn-lint (no finding at all),
terraform fmt and validate (no warning), and checkov (no failed check)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.output import write_rendered
from generator.render import FORMATS, render_blueprint
from tests.conftest import RENDERABLE, ids, load
from tests.integration.conftest import TerraformTool

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every renderable blueprint rendered afresh; stem -> out/<name>/."""
    out = tmp_path_factory.mktemp("out")
    folders = {}
    for path in RENDERABLE:
        item = render_blueprint(load(path), FORMATS)
        write_rendered(out, item)
        folders[path.stem] = out / item.name
    return folders


def test_cfn_lint_reports_no_finding_at_all(rendered: dict[str, Path]) -> None:
    templates = [str(folder / "cloudformation" / "template.yaml") for folder in rendered.values()]
    cfn_lint = str(Path(sys.executable).with_name("cfn-lint"))
    result = subprocess.run([cfn_lint, "--format", "json", "--include-checks", "I", "--", *templates],
                            capture_output=True, text=True, check=False)
    findings = json.loads(result.stdout or "[]")
    assert findings == [], "\n".join(f"{f['Filename']}:{f['Location']['Start']['LineNumber']} {f['Rule']['Id']} {f['Message']}"
                                     for f in findings)
    assert result.returncode == 0, result.stderr


def test_checkov_finds_nothing_that_is_not_waived(rendered: dict[str, Path], checkov: str) -> None:
    root = next(iter(rendered.values())).parent
    result = subprocess.run([checkov, "-d", str(root), "--framework", "cloudformation", "terraform", "-o", "json",
                             "--compact"], capture_output=True, text=True, check=False, timeout=900)
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    failed = [(c["check_id"], c["resource"], c["file_path"]) for r in reports for c in r["results"]["failed_checks"]]
    assert failed == []
    passed = sum(r["summary"]["passed"] for r in reports)
    skipped = sum(r["summary"]["skipped"] for r in reports)
    assert passed > 100 and skipped > 0, (passed, skipped)
    for report in reports:
        for check in report["results"]["skipped_checks"]:
            assert check["check_result"].get("suppress_comment"), f"{check['check_id']} is skipped without a reason"


def skip_without_required_provider(module: Path, terraform: TerraformTool) -> None:
    """Skip, loudly, a module that asks for a provider release the offline mirror does not hold."""
    wanted = re.search(r'^\s+version\s+=\s+"([^"]+)"', (module / "versions.tf").read_text(), re.MULTILINE).group(1)
    major = wanted.split()[-1].split(".")[0]
    held = sorted(p.name for p in terraform.mirror.glob("registry.terraform.io/hashicorp/aws/*"))
    if not any(v.split(".")[0] == major for v in held):
        pytest.skip(f"PROVIDER NOT IN MIRROR: the module needs hashicorp/aws {wanted} but the mirror holds only "
                    f"{', '.join(held)}; terraform init/validate were NOT run for it")


@pytest.mark.parametrize("stem", [p.stem for p in RENDERABLE], ids=ids(RENDERABLE))
def test_terraform_fmt_and_validate_are_clean(rendered: dict[str, Path], stem: str, terraform: TerraformTool,
                                               tmp_path: Path) -> None:
    module = tmp_path / "module"
    shutil.copytree(rendered[stem] / "terraform", module)
    skip_without_required_provider(module, terraform)
    fmt = terraform.run(module, "fmt", "-check", "-recursive", "-diff", check=False)
    assert fmt.returncode == 0, f"terraform fmt would change:\n{fmt.stdout}"
    terraform.run(module, "init", "-backend=false", "-input=false", "-no-color")
    validated = json.loads(terraform.run(module, "validate", "-json", "-no-color", check=False).stdout)
    assert validated["valid"], validated["diagnostics"]
    assert validated["warning_count"] == 0, validated["diagnostics"]
