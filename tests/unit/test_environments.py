"""Environments: one blueprint, several deployments, merged as the contract says, each rendered
to out/<name>-<env>/ with its own names, and every problem pointing where it is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.blueprint.load import parse_document
from generator.blueprint.validate import validate_environments
from generator.cli import app
from generator.errors import BlueprintInvalid, Problem
from tests.conftest import ROOT

STOREFRONT = ROOT / "blueprints" / "storefront.yaml"
LEGACY = (ROOT / "blueprints" / "legacy.yaml").read_text()


def gen(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def environments(text: str, *selected: str) -> dict:
    return {item.environment: item.model for item in validate_environments(parse_document(text, "bp.yaml"), False, selected)}


def problems(text: str) -> list[Problem]:
    try:
        found = [n for item in validate_environments(parse_document(text, "bp.yaml")) for n in item.notes]
    except BlueprintInvalid as exc:
        found = exc.problems
    return [p for p in found if p.rule != "GEN042"]


def with_environments(overrides: str) -> str:
    return LEGACY + "environments:\n" + overrides


def test_the_example_merges_as_the_contract_says() -> None:
    models = environments(STOREFRONT.read_text())
    dev, prod = models["dev"], models["prod"]
    assert (dev.name, dev.region, prod.name, prod.region) == ("storefront-dev", "eu-west-1", "storefront-prod", "us-east-1")
    # mappings merge key by key: dev changes min and max, keeps the rest of hosts
    assert (dev.hosts.min, dev.hosts.max, dev.hosts.instance_type, dev.hosts.gmsa_group) == (1, 2, "m5.large", "StorefrontHosts")
    assert (prod.hosts.instance_type, prod.hosts.min, prod.hosts.max) == ("m5.2xlarge", 3, 12)
    # named items merge by name; {name, remove: true} removes one
    assert [(s.name, s.desired_count, s.port) for s in prod.services] == [("web", 6, 8080), ("jobs", 1, None)]
    assert [(s.name, s.desired_count) for s in dev.services] == [("web", 1)]
    assert [a.name for a in dev.gmsa_accounts] == ["Storefront01"]
    # other lists replace
    assert dev.network.subnet_ids == ["subnet-0c4e6a8b2d1f35792", "subnet-0d5f7b9c3e2a46803"]
    assert dev.network.allowed_cidrs == ["10.20.0.0/16"]


def test_null_removes_a_key_and_new_named_items_are_added_at_the_end() -> None:
    models = environments(with_environments(
        "  dev:\n    tags: {lifecycle: null, stage: dev}\n    services:\n"
        "      - {name: extra, gmsa: LegacyApp, image: mcr.microsoft.com/windows/servercore:ltsc2016, cpu: 256,"
        " memory: 512}\n"))
    assert models["dev"].tags == {"team": "line-of-business", "stage": "dev"}
    assert [s.name for s in models["dev"].services] == ["legacy-web", "extra"]


def test_only_the_environments_asked_for() -> None:
    assert list(environments(STOREFRONT.read_text(), "prod")) == ["prod"]
    code, _, err = gen("validate", str(STOREFRONT), "--env", "staging")
    assert code == 2 and "has no environment staging; it has dev, prod" in err
    code, _, err = gen("validate", "blueprints/webapp.yaml", "--env", "dev")
    assert code == 2 and "has no environments: section" in err


def test_render_writes_each_environment_to_its_own_folder_with_its_own_names(tmp_path: Path) -> None:
    code, out, err = gen("render", str(STOREFRONT), "--out", str(tmp_path), "--env", "prod", "--env", "dev")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["storefront-dev", "storefront-prod"]
    template = yaml.load((tmp_path / "storefront-prod" / "cloudformation" / "template.yaml").read_text(),
                         Loader=yaml.BaseLoader)
    names = [v for r in template["Resources"].values() for k, v in r.get("Properties", {}).items()
             if k.endswith("Name") and isinstance(v, str) and "storefront" in v and "." not in v]
    assert names and all(n.startswith("storefront-prod") or n.startswith("/ecs/storefront-prod") for n in names), names
    assert "environment prod" in (tmp_path / "storefront-prod" / "terraform" / "hosts.tf").read_text().splitlines()[0]
    code, out, _ = gen("render", str(STOREFRONT), "--out", str(tmp_path), "--env", "dev", "--check")
    assert code == 0 and out == f"up to date: {tmp_path.as_posix()}/storefront-dev\n"


def test_a_problem_inside_an_override_points_at_the_override() -> None:
    text = STOREFRONT.read_text().replace("        desired_count: 6\n", '        desired_count: "6"\n')
    line = text.splitlines().index('        desired_count: "6"') + 1
    [problem] = problems(text)
    assert (problem.line, problem.column, problem.path, problem.rule) == (
        line, 24, "environments.prod.services[0].desired_count", "GEN104")


def test_a_problem_of_one_environment_in_the_shared_part_says_which() -> None:
    text = STOREFRONT.read_text().replace("    memory: 2048\n", "    memory: 15000\n")
    [problem] = problems(text)
    assert problem.path == "services[0].memory" and problem.rule == "GEN012"
    assert problem.message.endswith("(in environment dev)")  # prod's m5.2xlarge has room for it


def test_a_problem_of_every_environment_is_reported_once() -> None:
    text = STOREFRONT.read_text().replace("    port: 8080\n", "    port: 3389\n")
    [problem] = problems(text)
    assert problem.rule == "GEN020" and "environment" not in problem.message


@pytest.mark.parametrize(("overrides", "message"), [
    ("  dev:\n    version: 2\n", "environments.dev.version: an environment cannot change version"),
    ("  dev:\n    services:\n      - {name: nope, remove: true}\n", "there is no services item named nope to remove"),
    ("  dev:\n    services:\n      - {name: legacy-web, remove: true, cpu: 1}\n", "holds only name and remove: true"),
    ("  dev:\n    services:\n      - {cpu: 1}\n", "an item of services in an environment needs its name"),
    ("  dev:\n    services:\n      - {name: legacy-web, remove: yes}\n", "remove is true or false"),
    ("  Dev: {}\n", "'Dev' is not an environment name"),
    ("  dev: 3\n", "an environment is a mapping of the keys it changes"),
    ("  {}\n", "environments needs at least one environment"),
])
def test_what_an_environment_may_not_do(overrides: str, message: str) -> None:
    found = problems(with_environments(overrides))
    assert [p.rule for p in found] == ["GEN110"] and message in str(found[0]), found


def test_names_grown_by_the_environment_are_checked_against_aws_limits() -> None:
    text = STOREFRONT.read_text().replace("name: storefront ", "name: storefront-commerce-apps ").replace(
        "    gmsa: Storefront01\n", "    gmsa: Storefront01\n    task_role: {managed_policy_arns: "
        "[arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]}\n    network_mode: awsvpc\n").replace(
        "  - name: web\n", "  - name: web-frontend-with-a-long-name-xy\n").replace(
        "      - name: web\n", "      - name: web-frontend-with-a-long-name-xy\n").replace("    port: 8080\n", "")
    found = [p for p in problems(text) if p.rule == "GEN041"]
    assert found and all("IAM role" in p.message and "AWS accepts at most 64" in p.message for p in found), found


def test_the_derived_names_rule_knows_every_name_the_plan_gives() -> None:
    from generator.blueprint.rules.name_limits import derived_names
    from tests.conftest import RENDERABLE, load, plan_of

    for deployment in RENDERABLE:
        plan = plan_of(deployment)
        known = {d.name for d in derived_names(load(deployment).model)}
        given = {plan.cluster.name, *(r.name for r in plan.roles), *(r.policy_name for r in plan.roles),
                 *(s.family for s in plan.services)}
        if plan.hosts is not None:
            given |= {plan.hosts.name, plan.hosts.instance_profile_name, plan.cluster.capacity_provider}
        if plan.bootstrap is not None and plan.bootstrap.document_name:
            given |= {plan.bootstrap.document_name, plan.bootstrap.association_name}
        if plan.spec_writer is not None:
            given.add(plan.spec_writer.function_name)
        if plan.dns_forwarding is not None:
            given.add(plan.dns_forwarding.name)
        if plan.directory_setup.instance is not None:
            given |= {plan.directory_setup.document_name, plan.directory_setup.instance.instance_profile_name}
        assert given <= known, (deployment.stem, sorted(given - known))


def test_the_schema_completes_and_checks_overrides() -> None:
    import jsonschema

    schema = json.loads((ROOT / "schema" / "blueprint.schema.json").read_text())
    data = yaml.safe_load(STOREFRONT.read_text())
    jsonschema.validate(data, schema)
    data["environments"]["prod"]["hosts"]["instance_typo"] = "m5.large"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data = yaml.safe_load(STOREFRONT.read_text())
    data["environments"]["prod"]["name"] = "other"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_discover_writes_into_an_environment(tmp_path: Path) -> None:
    from generator.aws.discover import Discovered, blueprint_region, write_into

    target = tmp_path / "storefront.yaml"
    target.write_text(STOREFRONT.read_text().replace(  # an existing directory needs the hosts' join secret
        "    hosts: {min: 1, max: 2}", "    hosts: {min: 1, max: 2, join_secret: "
        "arn:aws:secretsmanager:eu-west-1:210987654321:secret:storefront-dev/join-AbCdEf}"))
    assert blueprint_region(target, "dev") == "eu-west-1" and blueprint_region(target) == "us-east-1"
    found = Discovered("d-9267a1b2c3", "MicrosoftAD", "Active", "corp.storefront.example", "STOREFRONT",
                       ["10.30.0.10", "10.30.1.10"], "vpc-0d7f9b3c5e2a46801", ["subnet-0c4e6a8b2d1f35792"])
    changes = write_into(target, found, "dev")
    assert "environments.dev.directory.managed: null (the directory exists, gen no longer creates it here)" in changes
    models = environments(target.read_text())
    assert models["dev"].directory.managed is None and models["dev"].directory.existing.directory_id == "d-9267a1b2c3"
    assert models["prod"].directory.managed is not None, "only dev changed"
    assert "# each environment gets its own AWS Managed Microsoft AD" in target.read_text(), "comments are kept"
