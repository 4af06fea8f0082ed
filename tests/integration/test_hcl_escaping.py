"""Every accepted string reads back exactly: Terraform itself reads back what the ``hcl`` filter
writes, and YAML readers (cfn-flip's PyYAML, ruamel's YAML 1.2) and JSON read back the
CloudFormation template of a blueprint whose environment and tags hold hostile strings."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from generator.render.hcl import format_hcl, heredoc, literal
from tests.integration.conftest import TerraformTool

pytestmark = pytest.mark.integration

NAMED = ['"', "\\", "${var.x}", "%{ if true }x%{ endif }", "$${", "%%{", "$$${x}", "$", "x$", "%", "a\nb\r\tc",
         "\x00\x07\x1b\x7f", "\u2028\u2029", "\x85", "a\x85b", "é✓🙂", "}", "{", "#", "//", "/*", "EOT", "<<EOT", "",
         "\ufeff", "\ufffe", "\x9b[31m", "1e3", "true", "~", " lead", "trail ", "a\n", "\n".join(["l\x85"] * 12)]
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


def test_the_cloudformation_template_reads_back_every_accepted_string(tmp_path: Path) -> None:
    from cfn_flip import load_yaml
    from ruamel.yaml import YAML

    from generator.blueprint.load import parse_document
    from generator.blueprint.validate import validate_document
    from generator.render import render_blueprint
    from tests.conftest import ROOT

    strings = [s for s in _samples() if s]
    environment = {f"V{i}": s for i, s in enumerate(strings)}
    tags = {f"t{i}": s for i, s in enumerate(strings[:40])}
    text = (ROOT / "blueprints" / "webapp.yaml").read_text().replace("tags: {team: identity}", "tags: {}")
    document = parse_document(text, "webapp.yaml")
    document.data["services"][0]["environment"] = environment
    document.data["tags"] = tags
    loaded = validate_document(document)
    for fmt in ("yaml", "json"):
        rendered = render_blueprint(loaded, ("cloudformation",), fmt, "webapp.yaml")
        written = rendered.files[f"cloudformation/template.{fmt}"]
        readers = [load_yaml, YAML(typ="rt").load] if fmt == "yaml" else [json.loads]
        for read in readers:
            resources = read(written)["Resources"]
            tasks = [r for r in resources.values() if r["Type"] == "AWS::ECS::TaskDefinition"]
            (container,) = tasks[0]["Properties"]["ContainerDefinitions"]
            assert {e["Name"]: e["Value"] for e in container["Environment"]} == environment
            cluster = next(r for r in resources.values() if r["Type"] == "AWS::ECS::Cluster")
            assert {t["Key"]: t["Value"] for t in cluster["Properties"]["Tags"] if t["Key"] in tags} == tags
