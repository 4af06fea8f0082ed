"""Terraform itself reads back every string the ``hcl`` filter writes, hostile ones included."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from generator.render.hcl import format_hcl, heredoc, literal
from tests.integration.conftest import TerraformTool

pytestmark = pytest.mark.integration

NAMED = ['"', "\\", "${var.x}", "%{ if true }x%{ endif }", "$${", "%%{", "$$${x}", "$", "x$", "%", "a\nb\r\tc",
         "\x00\x07\x1b\x7f", "\u2028\u2029", "\x85", "é✓🙂", "}", "{", "#", "//", "/*", "EOT", "<<EOT", ""]
ALPHABET = ['$', '%', '{', '}', '\\', '"', "\n", "\t", "\r", "\x01", "a", " ", "é", "\u2028", "#"]


def _samples() -> list[str]:
    rng = random.Random(20261127)
    return NAMED + ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))) for _ in range(200)]


def test_terraform_reads_back_exactly_what_was_escaped(terraform: TerraformTool, tmp_path: Path) -> None:
    strings = _samples()
    spec_like = '{\n    "Sid": "${not-interpolated}",\n    "Path": "C:\\\\ProgramData\\\\x"\n}\n'
    module = (
        f'output "strings" {{\n  value = {literal(strings, 2)}\n}}\n\n'
        f'output "keys" {{\n  value = {literal({s: i for i, s in enumerate(strings[:12])}, 2)}\n}}\n\n'
        f'output "heredoc" {{\n  value = {heredoc(spec_like, 2)}\n}}\n'
    )
    (tmp_path / "main.tf").write_text(format_hcl(module))
    terraform.run(tmp_path, "init", "-input=false", "-no-color")
    assert terraform.run(tmp_path, "fmt", "-check", check=False).returncode == 0, "the literals are not fmt-clean"
    terraform.run(tmp_path, "apply", "-auto-approve", "-input=false", "-no-color")
    outputs = json.loads(terraform.run(tmp_path, "output", "-json").stdout)
    assert outputs["strings"]["value"] == strings
    assert outputs["keys"]["value"] == {s: i for i, s in enumerate(strings[:12])}
    assert outputs["heredoc"]["value"] == spec_like
