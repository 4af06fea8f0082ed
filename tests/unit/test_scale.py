"""A thousand services: every CloudFormation stack within its quotas, services in stacks that do
not move as the blueprint grows or shrinks, security groups within their rules, and blueprints
that fit one stack still one stack. Not timed: speed is bench/render.py's."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache

import pytest

from generator.blueprint.ingress import Ingress, consolidated
from generator.blueprint.load import parse_document
from generator.blueprint.rules.quotas import execution_policy_chars
from generator.blueprint.validate import LoadedBlueprint, validate_environments
from generator.expr import resolved
from generator.facts import quotas
from generator.plan import build_plan
from generator.render import FORMATS, render_blueprint
from generator.render.cloudformation.services import resources_of
from generator.render.cloudformation.template import split_templates
from tests.conftest import RENDERABLE, Deployment, ids, load, plan_of
from tests.scale import blueprint_text, routed_text


@cache
def loaded(services: int) -> LoadedBlueprint:
    [item] = validate_environments(parse_document(blueprint_text(services), f"scale-{services}.yaml"), strict=True)
    return item


@cache
def thousand() -> dict[str, str]:
    rendered = render_blueprint(loaded(1000), FORMATS)
    return rendered.files


def _templates(files: dict[str, str]) -> dict[str, dict]:
    """The stacks as data: the JSON form of the same templates."""
    plan = build_plan(loaded(1000).model, "scale-1000.yaml")
    from generator.render.cloudformation.template import render_templates

    texts = render_templates(plan, "json")
    assert sorted(n.removesuffix(".json") for n in texts) == sorted(
        p.removeprefix("cloudformation/").removesuffix(".yaml") for p in files if p.startswith("cloudformation/"))
    return {name.removesuffix(".json"): json.loads(text) for name, text in texts.items()}


def test_a_thousand_services_render_every_stack_within_cloudformations_quotas() -> None:
    files = thousand()
    stacks = _templates(files)
    assert len(stacks) > 2
    for name, template in stacks.items():
        assert len(template["Resources"]) <= quotas.CFN_MAX_RESOURCES, name
        assert len(template.get("Parameters", {})) <= quotas.CFN_MAX_PARAMETERS, name
        assert len(template.get("Outputs", {})) <= quotas.CFN_MAX_OUTPUTS, name
        assert len(files[f"cloudformation/{name}.yaml"].encode()) <= quotas.CFN_MAX_TEMPLATE_BYTES, name
        for resource in template["Resources"].values():
            if resource["Type"] == "AWS::EC2::SecurityGroup":
                assert len(resource["Properties"].get("SecurityGroupIngress", [])) <= quotas.SG_MAX_INBOUND_RULES


def test_every_service_is_in_exactly_one_service_stack_wired_to_the_base_stacks_exports() -> None:
    stacks = _templates(thousand())
    base = stacks.pop("template")
    exports = {o["Export"]["Name"] for o in base["Outputs"].values() if "Export" in o}
    names = Counter()
    for name, template in stacks.items():
        assert re.fullmatch(r"services-\d\d", name)
        for resource in template["Resources"].values():
            if resource["Type"] == "AWS::ECS::Service":
                names[resource["Properties"]["ServiceName"]] += 1
        imported = set(re.findall(r'"Fn::ImportValue": "([^"]+)"', json.dumps(template)))
        assert imported and imported <= exports, name
    assert names == Counter({f"svc{i:04d}": 1 for i in range(1000)})
    assert not [r for r in base["Resources"].values() if r["Type"] in ("AWS::ECS::Service", "AWS::ECS::TaskDefinition")]


def test_a_thousand_services_render_terraform_too() -> None:
    services = thousand()["terraform/services.tf"]
    assert services.count('"svc') >= 1000


def test_the_execution_role_policy_stays_within_iams_limit_and_rule_gen063s_bound() -> None:
    stacks = _templates(thousand())
    role = stacks["template"]["Resources"]["TaskExecutionRole"]["Properties"]
    chars = len(re.sub(r"\s", "", json.dumps(role["Policies"][0]["PolicyDocument"])))
    assert chars <= execution_policy_chars(loaded(1000).model) <= quotas.IAM_ROLE_POLICY_CHARS


@pytest.mark.parametrize("deployment", RENDERABLE, ids=ids(RENDERABLE))
def test_what_fits_one_stack_stays_one_stack(deployment: Deployment) -> None:
    rendered = render_blueprint(load(deployment), ("cloudformation",))
    assert [p for p in rendered.files if p.startswith("cloudformation/")] == ["cloudformation/template.yaml"]


@pytest.mark.parametrize("deployment", RENDERABLE, ids=ids(RENDERABLE))
def test_rule_gen063_bounds_the_execution_policy_of_every_example(deployment: Deployment) -> None:
    plan = plan_of(deployment)
    document = {"Statement": [{"Sid": s.sid, "Effect": s.effect, "Action": list(s.actions),
                               "Resource": [resolved(r, "210987654321") for r in s.resources]}
                              for s in plan.execution_role.statements], "Version": "2012-10-17"}
    chars = len(re.sub(r"\s", "", json.dumps(document)))
    assert chars <= execution_policy_chars(load(deployment).model)


ROUTED = [d for d in RENDERABLE if load(d).model.load_balancer is not None]


@pytest.mark.parametrize("deployment", [*RENDERABLE[:3], *ROUTED], ids=ids([*RENDERABLE[:3], *ROUTED]))
def test_resources_of_counts_what_a_service_adds(deployment: Deployment) -> None:
    plan = plan_of(deployment)
    base = split_templates(plan)
    services = sum(len(t.resources) for stem, t in base.items() if stem != "template")
    assert services == sum(resources_of(s) for s in plan.services)


def test_resources_of_counts_the_scale_blueprints_services() -> None:
    plan = build_plan(loaded(200).model, "scale-200.yaml")
    templates = split_templates(plan)
    assert sum(len(t.resources) for stem, t in templates.items() if stem != "template") == \
        sum(resources_of(s) for s in plan.services)


def _stacks_of(text: str) -> dict[str, str]:
    # No inbound rules: services removed from the middle leave gaps between ports (rule GEN060).
    text = text.replace("allowed_cidrs: [10.0.0.0/8, 192.168.0.0/16]", "allowed_cidrs: []")
    [item] = validate_environments(parse_document(text, "grow.yaml"))
    plan = build_plan(item.model, "grow.yaml")
    return {service: stack.file for stack in plan.service_stacks for service in stack.services}


def test_growing_or_shrinking_the_blueprint_never_moves_a_service_to_another_stack() -> None:
    before = _stacks_of(blueprint_text(300))
    grown = _stacks_of(blueprint_text(400))
    head, services = blueprint_text(300).split("services:\n")
    # Remove every third service, from the whole list.
    items = services.split("  - name: ")
    shrunk_text = head + "services:\n" + "  - name: ".join(items[:1] + [it for i, it in enumerate(items[1:]) if i % 3 != 1])
    shrunk = _stacks_of(shrunk_text)
    assert len(shrunk) < 250 and len(grown) == 400
    assert all(grown[s] == stack for s, stack in before.items())
    assert all(before[s] == stack for s, stack in shrunk.items())


def test_one_rule_per_distinct_port_and_cidr_in_the_order_services_declare_them() -> None:
    rules = consolidated([("a", 80), ("b", 443), ("c", 80)], ["10.0.0.0/8", "10.0.0.0/8", "192.168.0.0/16"])
    assert [(r.from_port, r.to_port, r.cidr, r.services) for r in rules] == [
        (80, 80, "10.0.0.0/8", ("a", "c")), (80, 80, "192.168.0.0/16", ("a", "c")),
        (443, 443, "10.0.0.0/8", ("b",)), (443, 443, "192.168.0.0/16", ("b",))]
    assert rules[0].description == "a, c from 10.0.0.0/8"


def test_adjacent_ports_share_a_range_only_past_the_quota() -> None:
    ports = [(f"s{p}", p) for p in range(8000, 8070)] + [("far", 9000)]
    assert len(consolidated(ports[:60], ["10.0.0.0/8"])) == 60
    rules = consolidated(ports, ["10.0.0.0/8"])
    assert [(r.from_port, r.to_port) for r in rules] == [(8000, 8069), (9000, 9000)]
    assert len(rules[0].description) <= quotas.SG_RULE_DESCRIPTION_CHARS
    assert rules[0].description.startswith("s8000, s8001") and rules[0].description.endswith(" more from 10.0.0.0/8")


def test_a_description_keeps_whole_names() -> None:
    rule = Ingress(1, 2, "10.0.0.0/8", tuple("x" * 60 for _ in range(10)))
    assert rule.description == ", ".join(["x" * 60] * 3) + " and 7 more from 10.0.0.0/8"


def _refs(value: object) -> set[str]:
    """Every logical id ``value`` refers to by Ref, Fn::GetAtt or Fn::Sub (pseudo parameters aside)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub":
                text = inner if isinstance(inner, str) else inner[0]
                found |= {m.split(".")[0] for m in re.findall(r"\$\{([^!}][^}]*)\}", text)}
            found |= _refs(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _refs(inner)
    return {f for f in found if not f.startswith("AWS::")}


def test_routed_services_split_with_their_target_groups_rules_and_scaling() -> None:
    """90 routed services do not fit one stack: each service stack holds its services' target
    groups and listener rules, on the base stack's listener through its export, and every
    reference stays inside its own stack."""
    [item] = validate_environments(parse_document(routed_text(90), "routed-90.yaml"), strict=True)
    plan = build_plan(item.model, "routed-90.yaml")
    from generator.render.cloudformation.template import render_templates

    stacks = {name.removesuffix(".json"): json.loads(text) for name, text in render_templates(plan, "json").items()}
    base = stacks.pop("template")
    assert len(stacks) > 1
    assert not [r for r in base["Resources"].values()
                if r["Type"] in ("AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::ElasticLoadBalancingV2::ListenerRule")]
    export = next(o["Export"]["Name"] for n, o in base["Outputs"].items() if n == "ExportRulesListenerArn")
    routed = Counter()
    for name, template in {"template": base, **stacks}.items():
        resources = template["Resources"]
        assert len(resources) <= quotas.CFN_MAX_RESOURCES, name
        for logical_id, resource in resources.items():
            assert _refs(resource.get("Properties", {})) <= set(resources) | set(template.get("Parameters", {})), \
                (name, logical_id)
            assert set(resource.get("DependsOn", [])) <= set(resources), (name, logical_id)
            if resource["Type"] == "AWS::ElasticLoadBalancingV2::ListenerRule":
                assert resource["Properties"]["ListenerArn"] == {"Fn::ImportValue": export}
                routed[name] += 1
        services = [r for r in resources.values() if r["Type"] == "AWS::ECS::Service"]
        assert routed[name] == len(services) == sum(
            r["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup" for r in resources.values()), name
    assert sum(routed.values()) == 90
