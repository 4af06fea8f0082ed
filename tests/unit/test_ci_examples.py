"""The CI examples in docs/ci/ are valid for their CI services, checked offline against the
schemas check-jsonschema vendors (GitHub's workflow schema and GitLab's CI schema)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

CHECK = Path(sys.executable).with_name("check-jsonschema")


@pytest.mark.parametrize(("path", "schema"), [("docs/ci/github-actions.yml", "vendor.github-workflows"),
                                              ("docs/ci/gitlab-ci.yml", "vendor.gitlab-ci")])
def test_the_ci_example_is_valid_for_its_service(path: str, schema: str) -> None:
    result = subprocess.run([str(CHECK), "--builtin-schema", schema, str(ROOT / path)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_workflow_is_refused_by_the_same_check(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text((ROOT / "docs" / "ci" / "github-actions.yml").read_text().replace("runs-on:", "run-on:"))
    result = subprocess.run([str(CHECK), "--builtin-schema", "vendor.github-workflows", str(broken)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1


@pytest.mark.parametrize("path", ["docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"])
def test_the_ci_example_runs_every_check_the_issue_asks_for(path: str) -> None:
    text = (ROOT / path).read_text()
    for step in ("gen validate --strict --output sarif", "gen render --check", "cfn-lint", "checkov",
                 "terraform -chdir=\"$module\" validate", "gen.sarif"):
        assert step in text, step
    yaml.safe_load(text)


def test_the_pre_commit_hooks_are_declared_for_other_repositories() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"gen-validate", "gen-render-check"}
    assert hooks["gen-validate"]["entry"] == "gen validate --strict"
    assert hooks["gen-render-check"]["entry"] == "gen render --check --diff"
