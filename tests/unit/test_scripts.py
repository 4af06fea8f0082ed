"""scripts/find-terraform-mirror: the test command finds a provider mirror by itself, never a
temporary plugin cache, and TF_PLUGIN_DIR still wins."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import ROOT

FIND = ROOT / "scripts" / "find-terraform-mirror"


def _provider(root: Path) -> Path:
    binary = root / "registry.terraform.io" / "hashicorp" / "aws" / "5.100.0" / "linux_amd64" / "terraform-provider-aws_v5.100.0_x5"
    binary.parent.mkdir(parents=True)
    binary.write_text("")
    return root


def _find(roots: list[Path], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "TF_PLUGIN_DIR"}
    environment.update(MIRROR_ROOTS=" ".join(map(str, roots)), TEMPORARY_ROOTS=str(tmp_path / "tmp"), **env)
    return subprocess.run([str(FIND)], capture_output=True, text=True, env=environment, check=False)


def test_the_mirror_holding_the_aws_provider_is_found_not_a_plugin_cache(tmp_path: Path) -> None:
    roots = tmp_path / "a", tmp_path / "b"
    _provider(roots[0] / "project" / ".terraform" / "providers")  # a module's own cache
    (roots[0] / "empty" / "registry.terraform.io" / "hashicorp" / "aws").mkdir(parents=True)  # holds no provider
    _provider(tmp_path / "tmp" / "cache")  # under TMPDIR
    mirror = _provider(roots[1] / "tf-plugins")
    result = _find([roots[0], tmp_path / "tmp", roots[1]], tmp_path)
    assert (result.returncode, result.stdout) == (0, f"{mirror}\n")


def test_tf_plugin_dir_wins_and_no_mirror_is_said(tmp_path: Path) -> None:
    assert _find([tmp_path], tmp_path, TF_PLUGIN_DIR="/somewhere").stdout == "/somewhere\n"
    assert _find([tmp_path], tmp_path).returncode == 1


def test_the_test_command_says_loudly_which_mirror_it_uses() -> None:
    text = (ROOT / "scripts" / "test").read_text()
    assert "scripts/find-terraform-mirror" in text and "==> Terraform provider mirror:" in text
    assert "NO TERRAFORM PROVIDER MIRROR" in text
    assert "head -n 1" not in (ROOT / ".ci" / "run").read_text()
