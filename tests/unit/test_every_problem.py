"""Every problem in one run: the rules read whatever parts of a blueprint are valid, every
message names its rule, and retired rule ids stay listed and are never reused."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.blueprint.load import parse_document
from generator.blueprint.model import Blueprint, Service
from generator.blueprint.partial import Partial, PartNotValid
from generator.blueprint.validate import validate_document
from generator.cli import app
from generator.errors import BlueprintInvalid, Problem
from tests.conftest import ROOT

LEGACY = (ROOT / "blueprints" / "legacy.yaml").read_text()


def problems(text: str) -> list[Problem]:
    """Errors and warnings (not the example's placeholder note, GEN042)."""
    try:
        found = list(validate_document(parse_document(text, "bp.yaml")).notes)
    except BlueprintInvalid as exc:
        found = exc.problems
    return [p for p in found if p.rule != "GEN042"]


def test_the_four_mistakes_of_the_issue_are_reported_at_once() -> None:
    """An unknown key, a quoted number, an undeclared gMSA and a hostname Windows Server 2016
    refuses: two are shape problems, two are found by rules on the parts that are valid."""
    text = (LEGACY.replace("  gmsa_group: LegacyHosts\n", "  gmsa_group: LegacyHosts\n  instance_count: 2\n")
            .replace("    cpu: 1024\n", '    cpu: "1024"\n')
            .replace("    port: 80", "    port: 80\n    hostname: web01\n  - name: other\n    gmsa: OtherApp\n"
                     "    image: mcr.microsoft.com/windows/servercore:ltsc2016\n    cpu: 512\n    memory: 1024"))
    found = [(p.rule, p.path) for p in problems(text)]
    assert found == [("GEN102", "hosts.instance_count"), ("GEN104", "services[0].cpu"),
                     ("GEN007", "services[0].hostname"), ("GEN003", "services[1].gmsa")]


def test_a_rule_that_reads_an_invalid_part_is_skipped_not_guessed() -> None:
    # hosts.os is invalid: the Windows Server 2016 hostname rule cannot know the hosts' release.
    text = LEGACY.replace("windows-server-2016-full", "windows-server-2016").replace(
        "    port: 80", "    port: 80\n    hostname: web01")
    assert [p.rule for p in problems(text)] == ["GEN105"]


def test_an_invalid_default_is_not_replaced_by_the_default() -> None:
    # store: sm must not read as the default "ssm", which would make the s3: options a second mistake.
    text = LEGACY.replace("  store: file\n", "  store: fil\n  s3: {bucket: legacy-specs}\n")
    assert [p.rule for p in problems(text)] == ["GEN105"]


def test_rules_still_see_the_valid_items_of_a_list_by_their_own_index() -> None:
    text = LEGACY.replace("    port: 80", "    port: 80\n  - web\n  - name: two\n    gmsa: Nobody\n"
                          "    image: mcr.microsoft.com/windows/servercore:ltsc2016\n    cpu: 512\n    memory: 1024")
    assert [(p.rule, p.path) for p in problems(text)] == [("GEN104", "services[1]"), ("GEN003", "services[2].gmsa")]


def test_a_partial_section_reads_its_valid_keys_defaults_properties_and_methods() -> None:
    service = Partial(Service, {"name": "web", "network_mode": None, "task_role": None, "port": 80}, frozenset({"cpu"}))
    assert service.name == "web" and service.network_mode is None and service.port == 80
    with pytest.raises(PartNotValid):
        _ = service.cpu
    with pytest.raises(AttributeError):
        _ = service.nothing
    assert service.model_copy(update={"cpu": 512}).cpu == 512
    blueprint = Partial(Blueprint, {"fargate": None, "hosts": None}, frozenset({"network"}))
    assert blueprint.platform == "fargate" and blueprint.awsvpc(service) and blueprint.host_port(service) is None


def test_every_problem_of_every_bad_fixture_names_its_rule() -> None:
    from tests.conftest import BAD
    from tests.unit.test_fixtures import problems_of

    unnamed = [str(p) for path in BAD for p in problems_of(path) if not p.rule.startswith("GEN")]
    assert not unnamed


def test_the_reference_lists_every_rule_id() -> None:
    from generator.blueprint.rules import RULES

    reference = (ROOT / "docs" / "blueprint.md").read_text()
    assert all(f"| {r.id} |" in reference for r in RULES)


def test_a_retired_rule_is_listed_as_retired_and_its_id_never_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.blueprint.reference import markdown_reference
    from generator.blueprint.rules import registry

    monkeypatch.setattr(registry, "RULES", list(registry.RULES))
    monkeypatch.setattr("generator.blueprint.reference.RULES", registry.RULES)
    registry.retire("GEN999", "hosts had a fixed size", "retired in gen 0.2: ECS managed scaling sizes the hosts")
    row = next(line for line in markdown_reference().splitlines() if line.startswith("| GEN999 |"))
    assert row.endswith("| retired in gen 0.2: ECS managed scaling sizes the hosts |") and "| - |" in row
    assert all(r.id != "GEN999" for r, _ in registry.check_rules(_webapp_model()))
    with pytest.raises(ValueError, match="never reused"):
        registry.rule("GEN999", "something new")(lambda bp: iter(()))
    with pytest.raises(ValueError, match="needs a reason"):
        registry.retire("GEN038", "x", "")


def _webapp_model():  # noqa: ANN202
    return validate_document(parse_document((ROOT / "blueprints" / "webapp.yaml").read_text(), "w.yaml")).model


def test_credspec_reports_every_bad_flag_at_once() -> None:
    result = CliRunner().invoke(app, ["credspec", "--account", "bad name!", "--dns-name", "x", "--netbios-name", "A",
                                      "--sid", "S-1", "--guid", "zz"])
    lines = result.stderr.splitlines()
    assert result.exit_code == 2
    assert [line.split(":")[1].strip() for line in lines] == ["--account", "--dns-name", "--sid", "--guid"]


def test_credspec_reports_bad_and_missing_flags_together() -> None:
    result = CliRunner().invoke(app, ["credspec", "--account", "A", "--dns-name", "x"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: --dns-name: 'x' is not valid; expected a fully qualified DNS domain name, for example corp.example.com",
        "error: missing --netbios-name, --sid, --guid (Get-ADDomain shows DomainSID and ObjectGUID)",
    ]

