"""Translate a plan into a Terraform root module, through Jinja2 templates.

Jinja is configured in :func:`environment` only: undefined names fail loudly, and every value
reaches HCL through the ``hcl`` filter (:func:`generator.render.hcl.literal`). The templates in
``templates/terraform/`` loop over the plan and format it; they decide nothing. The result is
laid out by :func:`generator.render.hcl.format_hcl`, so it is ``terraform fmt``-clean as
generated, without the terraform binary.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from generator.expr import text
from generator.naming import tf_name
from generator.output import header
from generator.plan import Plan
from generator.plan.credential_specs import SPEC_PARAMETER_TIER, SPEC_PARAMETER_TYPE
from generator.plan.iam import RolePlan
from generator.plan.policies import ASSUME_ROLE
from generator.plan.services import ServicePlan
from generator.plan.waivers import Waiver
from generator.render import hcl
from generator.render.bytecode_cache import bytecode_cache
from generator.resources import templates_dir

#: The hashicorp/aws provider versions this output is tested with (see tests/integration).
PROVIDER_VERSION = "~> 5.100"
#: hashicorp/aws 5.100 rejects these task OS families ("expected operating_system_family to be one
#: of [...]", seen in terraform validate): its AWS SDK predates them. Modules that need them ask
#: for a 6.x release instead, which gen's offline tests cannot install.
NEWER_PROVIDER_FOR_FAMILIES = {"WINDOWS_SERVER_2025_FULL": "~> 6.0", "WINDOWS_SERVER_2025_CORE": "~> 6.0"}
TERRAFORM_VERSION = ">= 1.5.0"


@cache
def environment() -> jinja2.Environment:
    """The one Jinja environment of gen, with its filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "terraform")),
        bytecode_cache=bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["hcl"] = hcl.literal
    env.filters["hcl_key"] = hcl.key
    env.filters["heredoc"] = hcl.heredoc
    env.filters["tf_name"] = tf_name
    env.filters["checkov_skips"] = checkov_skips
    env.filters["cidr32"] = lambda address: hcl.literal(text(address, "/32"))
    return env


def checkov_skips(waivers: tuple[Waiver, ...]) -> str:
    """Comment lines that tell checkov which findings on a resource are accepted, and why."""
    return "\n".join(f"# checkov:skip={w.check}:{w.reason}" for w in waivers)


def _statements(role_or_statements: Any) -> list[dict[str, Any]]:
    statements = role_or_statements.statements if isinstance(role_or_statements, RolePlan) else role_or_statements
    return [
        {
            "sid": s.sid,
            "effect": s.effect,
            "actions": list(s.actions),
            "resources": list(s.resources),
            "principal": s.principal,
            "conditions": [{"test": c.test, "variable": c.variable, "values": list(c.values)} for c in s.conditions],
        }
        for s in statements
    ]


def _context(plan: Plan) -> dict[str, Any]:
    """What the templates see: the plan, plus the plan's lists shaped as HCL maps for for_each."""
    with_roles = [s for s in plan.services if s.task_role is not None]
    os_family = plan.hosts.os_family if plan.hosts is not None else "LINUX"
    stored = plan.stack_specs
    bucket_created = plan.bucket is not None and plan.bucket.create
    return {
        "plan": plan,
        "header": header(plan.source).rstrip("\n"),
        "provider_version": NEWER_PROVIDER_FOR_FAMILIES.get(os_family, PROVIDER_VERSION),
        "provider_note": os_family in NEWER_PROVIDER_FOR_FAMILIES,
        "os_family": os_family,
        "terraform_version": TERRAFORM_VERSION,
        "statements": _statements,
        "tags": {t.key: t.value for t in plan.tags},
        "assume_role_action": ASSUME_ROLE,
        "spec_parameter_type": SPEC_PARAMETER_TYPE,
        "spec_parameter_tier": SPEC_PARAMETER_TIER,
        "stored_specs": {
            s.tf_key: {
                "description": s.description,
                **({"name": s.parameter_name} if s.parameter_name else {}),
                **({"bucket": s.bucket} if s.bucket is not None and not bucket_created else {}),
                **({"key": s.key} if s.key else {}),
            }
            for s in stored
        },
        "spec_texts": {s.tf_key: s.text for s in stored},
        "stored_parameter_waivers": stored[0].parameter_waivers if stored else (),
        # A created bucket is referenced, so that Terraform creates it before the objects.
        "spec_bucket_expression": "aws_s3_bucket.credential_specs.id" if bucket_created else "each.value.bucket",
        # Every service shares one for_each resource, so these settings are the same for all.
        "service_waivers": (plan.services[0].log_group_waivers,
                            tuple(dict.fromkeys(w for s in plan.services for w in s.task_definition_waivers)))
        if plan.services
        else ((), ()),
        "retain_logs": plan.services[0].retain_logs if plan.services else True,
        "services": {
            s.tf_key: {
                "family": s.family,
                "log_group": s.log_group,
                "desired_count": s.desired_count,
                "minimum_healthy_percent": s.minimum_healthy_percent,
                "maximum_percent": s.maximum_percent,
                "placement": [{"type": kind, "field": field} for kind, field in s.placement],
                "compatibilities": list(s.compatibilities),
                "network_mode": s.network_mode,
                "placement_constraints": list(s.placement_constraints),
                "cpu": s.task_cpu,
                "memory": s.task_memory,
                "circuit_breaker": s.circuit_breaker,
                "propagate_tags": s.propagate_tags,
                "ecs_managed_tags": s.ecs_managed_tags,
                "containers": [s.container],
                **(_target(s) if plan.load_balancer is not None else {}),
            }
            for s in plan.services
        },
        "target_groups": {
            g.tf_key: {
                "name": g.name,
                "target_type": g.target_type,
                "port": g.port,
                "deregistration_delay": g.deregistration_delay,
                "health_path": g.health.path,
                "matcher": g.health.matcher,
                "interval": g.health.interval,
                "timeout": g.health.timeout,
                "healthy_threshold": g.health.healthy_threshold,
                "unhealthy_threshold": g.health.unhealthy_threshold,
                "priority": g.priority,
                "hosts": [value for field, value in g.conditions if field == "host-header"],
                "path": next(value for field, value in g.conditions if field == "path-pattern"),
            }
            for g in (plan.load_balancer.target_groups if plan.load_balancer is not None else ())
        },
        "health_port": plan.load_balancer.target_groups[0].health.port
        if plan.load_balancer is not None and plan.load_balancer.target_groups
        else "",
        "target_group_waivers": tuple(dict.fromkeys(w for g in plan.load_balancer.target_groups for w in g.waivers))
        if plan.load_balancer is not None
        else (),
        "scaling": {
            s.scaling.tf_key: {
                "service_namespace": s.scaling.service_namespace,
                "scalable_dimension": s.scaling.scalable_dimension,
                "resource_id": s.scaling.resource_id,
                "min_capacity": s.scaling.min_capacity,
                "max_capacity": s.scaling.max_capacity,
                "policy_name": s.scaling.policy_name,
                "target_value": s.scaling.target_value,
                "metric": s.scaling.metric,
                "scale_in_cooldown": s.scaling.scale_in_cooldown,
                "scale_out_cooldown": s.scaling.scale_out_cooldown,
            }
            for s in plan.scaled_services
            if s.scaling is not None
        },
        # Every service runs on one platform, so these are the same for all.
        "runtime": (plan.services[0].os_family, plan.services[0].cpu_architecture) if plan.services else ("", ""),
        "platform_version": plan.services[0].platform_version if plan.services else None,
        "service_dependencies": service_dependencies(plan),
        "task_roles": {
            s.tf_key: {"name": s.task_role.name, "description": s.task_role.description} for s in with_roles
        },
        "task_role_principal": with_roles[0].task_role.service_principal if with_roles else "",
        "task_role_policies": {
            f"{s.tf_key} {arn}": {"service": s.tf_key, "policy_arn": arn}
            for s in with_roles
            for arn in s.task_role.managed_policy_arns
        },
    }


def _target(service: ServicePlan) -> dict[str, Any]:
    """A service's load balancer settings: none, or its target group (keyed by service)."""
    target = service.target
    return {
        "grace_period": target.grace_period if target is not None else None,
        "targets": [{"target_group": service.tf_key, "container_name": service.name,
                     "container_port": target.container_port}] if target is not None else [],
    }


def service_dependencies(plan: Plan) -> list[str]:
    """What must exist before the services start tasks: capacity, the specs the stack stores,
    and the directory setup (the gMSAs)."""
    depends = ["aws_ecs_cluster_capacity_providers.this"]
    stored = {s.store for s in plan.stack_specs}
    if "ssm" in stored:
        depends.append("aws_ssm_parameter.credential_spec")
    if "s3" in stored:
        depends.append("aws_s3_object.credential_spec")
    if plan.directory_setup.managed and plan.services:
        depends.append("aws_ssm_association.directory_setup")
    if plan.load_balancer is not None and plan.load_balancer.target_groups:
        # ECS refuses a target group no listener uses yet (CFN guide, AWS::ECS::Service).
        depends.append("aws_lb_listener_rule.service")
    return depends


#: Files of the module, in the order HashiCorp's style guide lists them, and when each exists.
FILES: tuple[tuple[str, Any], ...] = (
    ("versions.tf", lambda plan: True),
    ("providers.tf", lambda plan: True),
    ("variables.tf", lambda plan: plan.hosts is not None or plan.directory_setup.managed),
    ("locals.tf", lambda plan: True),
    ("directory.tf", lambda plan: plan.directory.managed is not None),
    ("directory_setup.tf", lambda plan: plan.directory_setup.managed),
    ("hosts.tf", lambda plan: True),
    ("bootstrap.tf", lambda plan: plan.bootstrap is not None and plan.bootstrap.content is not None),
    ("credential_specs.tf", lambda plan: plan.bucket is not None or bool(plan.stack_specs)),
    ("iam.tf", lambda plan: True),
    ("load_balancer.tf", lambda plan: plan.load_balancer is not None),
    ("services.tf", lambda plan: bool(plan.services)),
    ("autoscaling.tf", lambda plan: bool(plan.scaled_services)),
    ("dns.tf", lambda plan: plan.dns_forwarding is not None),
    ("outputs.tf", lambda plan: True),
)


def render_module(plan: Plan) -> dict[str, str]:
    """File name -> content of the Terraform root module of ``plan``."""
    env = environment()
    context = _context(plan)
    files = {}
    for name, present in FILES:
        if present(plan):
            raw = env.get_template(f"{name}.j2").render(context)
            files[name] = hcl.format_hcl(_tidy(raw))
    return files


def _tidy(text: str) -> str:
    """Collapse runs of blank lines left by template conditionals; end with one newline."""
    lines: list[str] = []
    for line in text.split("\n"):
        if not line.strip() and (not lines or not lines[-1].strip()):
            continue
        lines.append(line.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
