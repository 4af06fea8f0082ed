"""gen in someone else's repository: the pre-commit hooks, tried from a scratch git repository
with pre-commit itself (which installs gen with pip from this checkout)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=test@example.com", "-c", "user.name=test", *args], cwd=folder,
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding one blueprint and its rendered output, committed."""
    folder = tmp_path_factory.mktemp("scratch")
    _git(folder, "init", "-q")
    (folder / "blueprints").mkdir()
    shutil.copy(ROOT / "blueprints" / "legacy.yaml", folder / "blueprints" / "legacy.yaml")
    subprocess.run([str(Path(sys.executable).with_name("gen")), "render", "blueprints/legacy.yaml"], cwd=folder,
                   check=True, capture_output=True)
    (folder / "notes.yaml").write_text("not: a blueprint\n")  # other YAML is not a blueprint
    _git(folder, "add", "-A")
    _git(folder, "commit", "-qm", "blueprints")
    return folder


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's own folder, shared, so gen's environment is installed once per revision."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(scratch: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Both hooks of this checkout, as pre-commit runs them from another repository."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PATH": f"{PRE_COMMIT.parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([str(PRE_COMMIT), "try-repo", str(ROOT), "--all-files"], cwd=scratch, env=env,
                          capture_output=True, text=True, check=False, timeout=900)


def test_the_hooks_pass_on_good_blueprints_and_current_output(scratch: Path, home: Path) -> None:
    result = _try_repo(scratch, home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"gen validate\.+Passed", result.stdout) and re.search(r"gen render --check\.+Passed", result.stdout)


def test_the_hooks_fail_on_a_mistake_and_on_stale_output(scratch: Path, home: Path) -> None:
    blueprint = scratch / "blueprints" / "legacy.yaml"
    good = blueprint.read_text()
    try:
        # hosts.desired is a warning, which the hook counts (--strict); max 3 makes out/ stale.
        blueprint.write_text(good.replace("  min: 1\n", "  min: 1\n  desired: 1\n").replace("max: 2", "max: 3"))
        result = _try_repo(scratch, home)
    finally:
        blueprint.write_text(good)
    assert result.returncode == 1
    assert "error GEN026: hosts.desired" in result.stdout, result.stdout
    assert "- exit code: 3" in result.stdout and "differs: out/legacy/cloudformation/template.yaml" in result.stdout
    assert "-      MaxSize: '2'\n+      MaxSize: '3'" in result.stdout, result.stdout
