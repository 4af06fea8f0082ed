"""The PowerShell gen generates parses, and blueprint values reach it only as literals.

Every script (the host bootstrap and directory setup documents, ``ad/setup.ps1``) is parsed with
tree-sitter-powershell: no ERROR or MISSING node. A blueprint value may appear in a script only
inside a single-quoted (verbatim) string or here-string, where PowerShell expands nothing; values
that vary per deployment reach the SSM documents as parameters (``{{ name }}``), which SSM checks
against their allowedPattern before it substitutes them, themselves inside single quotes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tree_sitter_powershell
from tree_sitter import Language, Node, Parser

from generator.blueprint.load import parse_document
from generator.blueprint.validate import validate_document
from generator.plan import Plan, build_plan
from tests.conftest import RENDERABLE, ids, plan_of

PARSER = Parser(Language(tree_sitter_powershell.language()))
VERBATIM = {"verbatim_string_characters", "verbatim_here_string_characters"}

#: A blueprint whose values use every character their patterns let reach PowerShell: quotes,
#: parentheses and '!' in the S3 key prefix, spaces in the group, dots, dashes and underscores.
HOSTILE = """
version: 1
name: it-s
region: us-east-1
network:
  vpc_id: vpc-0a1b2c3d4e5f60718
  subnet_ids: [subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69788]
directory:
  dns_name: o-brien.example.com
  netbios_name: O-BRIEN
  forest: root-forest.example.com
  existing:
    dns_ips: [10.0.0.10]
hosts:
  os: windows-server-2022-core
  instance_type: m5.large
  min: 1
  max: 2
  gmsa_group: Hosts of O_Brien .Co-op
  join_secret: arn:aws:secretsmanager:us-east-1:111122223333:secret:it-s/join-AbCdEf
credential_specs:
  store: s3
  s3:
    bucket: o-brien-specs
    key_prefix: "it's(a)!/x_y.z-w/"
gmsa_accounts:
  - name: O_Brien.App-1
services:
  - name: web
    gmsa: O_Brien.App-1
    image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    cpu: 1024
    memory: 2048
"""


def hostile_text(domainless: bool = False) -> str:
    """HOSTILE, or its domainless form: hosts that join nothing, a spec naming the SID and GUID."""
    if not domainless:
        return HOSTILE
    return (
        HOSTILE.replace("  forest: root-forest.example.com\n", "  forest: root-forest.example.com\n"
                        "  sid: S-1-5-21-1111111111-2222222222-3333333333\n"
                        "  guid: 0d4b7e2a-6c1f-4a9e-b3d8-5f7a2c9e1b64\n")
        .replace("  gmsa_group: Hosts of O_Brien .Co-op\n", "")
        .replace("  join_secret: arn:aws:secretsmanager:us-east-1:111122223333:secret:it-s/join-AbCdEf\n", "")
        .replace("credential_specs:\n", "credential_specs:\n  mode: domainless\n  domainless_secret: "
                 "arn:aws:secretsmanager:us-east-1:111122223333:secret:it-s/reader-AbCdEf\n")
    )


def hostile_plan(managed: bool = False, domainless: bool = False) -> Plan:
    text = hostile_text(domainless)
    if managed:
        text = text.replace("  existing:\n    dns_ips: [10.0.0.10]\n", "  managed:\n    admin_password_secret: "
                            "arn:aws:secretsmanager:us-east-1:111122223333:secret:it-s/admin-AbCdEf\n")
        # A new directory gets its own SID and GUID, and its setup creates the domainless user.
        text = re.sub(r"  (sid|guid): .*\n|  domainless_secret: .*\n", "", text)
    loaded = validate_document(parse_document(text, "hostile.yaml"))
    return build_plan(loaded.model, "hostile.yaml")


def scripts(plan: Plan) -> dict[str, str]:
    """Every PowerShell script of ``plan``, by name."""
    found = {}
    if plan.bootstrap is not None and plan.bootstrap.content is not None:
        found["host bootstrap"] = _lines(plan.bootstrap.content)
    if plan.directory_setup.content is not None:
        found["directory setup"] = _lines(plan.directory_setup.content)
    if plan.directory_setup.script:
        found["ad/setup.ps1"] = plan.directory_setup.script
    return found


def _lines(document: dict) -> str:
    """The script of an SSM document: one block holding every line."""
    [block] = document["mainSteps"][0]["inputs"]["runCommand"]
    assert str(block).endswith("\n") and "\n" in str(block).rstrip("\n")
    return str(block)


def _problems(node: Node) -> list[str]:
    found = []
    if node.type == "ERROR" or node.is_missing:
        found.append(f"{node.type} at {node.start_point[0] + 1}:{node.start_point[1] + 1}")
    for child in node.children:
        found += _problems(child)
    return found


def _verbatim_ranges(node: Node) -> list[tuple[int, int]]:
    ranges = [(node.start_byte, node.end_byte)] if node.type in VERBATIM else []
    for child in node.children:
        ranges += _verbatim_ranges(child)
    return ranges


def blueprint_values(plan_source: Path | None, hostile: bool = False, domainless: bool = False) -> list[str]:
    """The values a blueprint writes that could reach a script (long enough not to match by chance)."""
    text = hostile_text(domainless) if hostile else plan_source.read_text()  # type: ignore[union-attr]
    model = validate_document(parse_document(text, "x.yaml")).model
    values = {model.directory.dns_name, model.directory.netbios_name}
    if model.hosts is not None and model.hosts.gmsa_group:
        values.add(model.hosts.gmsa_group)
    values |= {a.name for a in model.gmsa_accounts}
    if model.directory.forest:
        values.add(model.directory.forest)
    if model.credential_specs.s3 is not None:
        values |= {v for v in (model.credential_specs.s3.bucket, model.credential_specs.s3.key_prefix) if v}
    if model.credential_specs.ssm is not None and model.credential_specs.ssm.prefix:
        values.add(model.credential_specs.ssm.prefix)
    return sorted(v for v in values if len(v) >= 4)


CASES = [(path, name) for path in RENDERABLE for name in scripts(plan_of(path))]


@pytest.mark.parametrize(("path", "script"), CASES, ids=[f"{p.stem}-{n}" for p, n in CASES])
def test_every_generated_script_parses(path: Path, script: str) -> None:
    source = scripts(plan_of(path))[script].encode()
    tree = PARSER.parse(source)
    assert not _problems(tree.root_node), _problems(tree.root_node)


@pytest.mark.parametrize(("managed", "domainless"), [(False, False), (True, False), (False, True), (True, True)],
                         ids=["existing", "managed", "existing-domainless", "managed-domainless"])
def test_hostile_values_appear_only_inside_verbatim_strings(managed: bool, domainless: bool) -> None:
    plan = hostile_plan(managed, domainless)
    values = blueprint_values(None, hostile=True, domainless=domainless)
    checked = 0
    for name, text in scripts(plan).items():
        source = text.encode()
        tree = PARSER.parse(source)
        assert not _problems(tree.root_node), (name, _problems(tree.root_node))
        ranges = _verbatim_ranges(tree.root_node)
        for value in values:
            # In a verbatim literal a single quote is written twice.
            for written in {value, value.replace("'", "''")}:
                for match in re.finditer(re.escape(written.encode()), source):
                    inside = any(start <= match.start() and match.end() <= end for start, end in ranges)
                    line = source[: match.start()].count(b"\n") + 1
                    assert inside, f"{name}:{line}: {value!r} outside a single-quoted string"
                    checked += 1
    assert checked > 5, "the hostile values should reach the scripts"


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_example_values_appear_only_inside_verbatim_strings(path: Path) -> None:
    plan = plan_of(path)
    for name, text in scripts(plan).items():
        source = text.encode()
        ranges = _verbatim_ranges(PARSER.parse(source).root_node)
        for value in blueprint_values(path):
            for match in re.finditer(re.escape(value.encode()), source):
                assert any(start <= match.start() and match.end() <= end for start, end in ranges), (name, value)


def test_ssm_parameters_are_substituted_inside_single_quotes() -> None:
    for path in RENDERABLE:
        for name, text in scripts(plan_of(path)).items():
            for match in re.finditer(r"(.)\{\{ *\w+ *\}\}(.)", text):
                assert (match.group(1), match.group(2)) == ("'", "'"), (path.name, name, match.group(0))
