"""Rules about AWS quotas a large blueprint reaches and gen cannot work around: security-group
rules, services per CloudFormation stack, outputs of the base stack, the execution role's inline
policy, IAM roles per account, and routes per load balancer (the quotas and their sources: :mod:`generator.facts.quotas`)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.ingress import Ingress, host_ingress, load_balancer_rules, task_ingress
from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import SERVICES, Finding, rule
from generator.errors import ERROR, WARNING
from generator.facts.quotas import (
    ALB_DOCS,
    ALB_MAX_RULES,
    ALB_MAX_TARGET_GROUPS,
    CFN_DOCS,
    GMSA_ACCOUNTS_MAX,
    IAM_DOCS,
    IAM_ROLE_POLICY_CHARS,
    IAM_ROLES_PER_ACCOUNT,
    IAM_ROLES_PER_ACCOUNT_MAX,
    SERVICE_STACKS,
    SERVICES_PER_STACK,
    SG_MAX_INBOUND_RULES,
    VPC_DOCS,
)
from generator.naming import service_stack

#: What the execution role's policy holds besides the ARNs it lists (statement ids, actions,
#: keys and punctuation of its six statements at most): measured at 1,180 characters, with room.
POLICY_FRAME_CHARS = 1_600
#: The longest an account id, partition and generated bucket name make an ARN.
_ACCOUNT, _PARTITION, _BUCKET = "123456789012", "aws-us-gov", "b" * 63


@rule("GEN060", "each security group needs at most 60 inbound rules: one per distinct port range and CIDR", VPC_DOCS)
def security_group_rules(bp: Blueprint) -> Iterator[Finding]:
    from_load_balancer = load_balancer_rules(bp)
    for (group, rules), extra in zip((("hosts'", host_ingress(bp)), ("awsvpc tasks'", task_ingress(bp))),
                                     from_load_balancer, strict=True):
        if len(rules) + extra > SG_MAX_INBOUND_RULES:
            yield Finding(
                ("network", "allowed_cidrs"),
                f"the {group} security group would need {len(rules) + extra} inbound rules ({_ranges(rules)} port ranges "
                f"from {len(bp.network.allowed_cidrs)} CIDRs{f', and {extra} from the load balancer' if extra else ''}), "
                f"more than the {SG_MAX_INBOUND_RULES} one group holds",
                "list fewer, wider CIDRs, or give the services adjacent ports (adjacent ports share one rule)",
            )


def _ranges(rules: tuple[Ingress, ...]) -> int:
    return len({(r.from_port, r.to_port) for r in rules})


@rule("GEN061", "each CloudFormation service stack holds at most 60 services", CFN_DOCS)
def services_per_stack(bp: Blueprint) -> Iterator[Finding]:
    members: dict[int, list[int]] = {}
    for index, service in enumerate(bp.services):
        members.setdefault(service_stack(service.name, SERVICE_STACKS), []).append(index)
    for number, indexes in sorted(members.items()):
        if len(indexes) > SERVICES_PER_STACK:
            first_over = indexes[SERVICES_PER_STACK]
            yield Finding(
                ("services", first_over, "name"),
                f"service stack services-{number:02d} would hold {len(indexes)} services, more than the "
                f"{SERVICES_PER_STACK} one stack holds within CloudFormation's 500 resources",
                "each service's stack follows from its name: split the services across blueprints, or rename this "
                "service before its first deploy",
            )


@rule("GEN062", "the base stack reports the specs of at most 188 gMSA accounts (CloudFormation's 200 outputs)",
      CFN_DOCS)
def accounts_within_outputs(bp: Blueprint) -> Iterator[Finding]:
    if len(bp.gmsa_accounts) > GMSA_ACCOUNTS_MAX:
        yield Finding(
            ("gmsa_accounts",),
            f"{len(bp.gmsa_accounts)} gMSA accounts need one output each, more than the {GMSA_ACCOUNTS_MAX} the base "
            "stack has room for within CloudFormation's 200 outputs",
            "let services share gMSA accounts, or split the services across blueprints",
        )


def execution_policy_chars(bp: Blueprint) -> int:
    """An upper bound of the characters of the task execution role's inline policy, as IAM counts
    them (white space aside): the spec ARNs of the accounts services use, every distinct secret
    and key ARN the services read, and the statements around them."""
    used = {s.gmsa.lower() for s in bp.services}
    accounts = [a.name for a in bp.gmsa_accounts if a.name.lower() in used]
    store = bp.credential_specs.store
    if store == "ssm":
        prefix = (bp.credential_specs.ssm.prefix if bp.credential_specs.ssm else None) or f"/{bp.name}/credentialspecs/"
        spec_arns = [f"arn:{_PARTITION}:ssm:{bp.region}:{_ACCOUNT}:parameter{prefix}{a}" for a in accounts]
    elif store == "s3":
        s3 = bp.credential_specs.s3
        key_prefix = s3.key_prefix if s3 is not None else ""
        spec_arns = [f"arn:{_PARTITION}:s3:::{_BUCKET}/{key_prefix}{a}.json" for a in accounts]
    else:
        spec_arns = []
    references = [v for s in bp.services for v in s.secrets.values()]
    arns = set(spec_arns) | {v.arn for v in references} | {v.kms_key for v in references if v.kms_key}
    return POLICY_FRAME_CHARS + sum(len(arn) + 3 for arn in arns)


@rule("GEN063", "the task execution role's inline policy stays within IAM's 10,240 characters per role", IAM_DOCS)
def execution_policy_size(bp: Blueprint) -> Iterator[Finding]:
    chars = execution_policy_chars(bp)
    if chars > IAM_ROLE_POLICY_CHARS:
        yield Finding(
            ("services",),
            f"the shared task execution role would need an inline policy of up to {chars:,} characters (every spec "
            f"and secret the services read), more than the {IAM_ROLE_POLICY_CHARS:,} IAM allows a role",
            "keep several values in one secret (valueFrom <secret ARN>:<json key>::), let services share gMSA "
            "accounts, or split the services across blueprints",
        )


@rule("GEN064", "the blueprint creates no more IAM roles than an account holds (1,000 by default, at most 5,000)",
      IAM_DOCS, severity=WARNING)
def roles_per_account(bp: Blueprint) -> Iterator[Finding]:
    task_roles = sum(1 for s in bp.services if s.task_role is not None)
    roles = task_roles + 4  # the hosts', directory setup's, spec writer's and execution roles at most
    if roles > IAM_ROLES_PER_ACCOUNT_MAX:
        yield Finding(("services",), f"the blueprint creates up to {roles:,} IAM roles, more than the "
                      f"{IAM_ROLES_PER_ACCOUNT_MAX:,} any account may hold",
                      "split the services across blueprints deployed to different accounts", severity=ERROR)
    elif roles > IAM_ROLES_PER_ACCOUNT:
        yield Finding(("services",), f"the blueprint creates up to {roles:,} IAM roles ({task_roles:,} task roles), "
                      f"more than the {IAM_ROLES_PER_ACCOUNT:,} an account holds by default",
                      "ask for an increase of the IAM quota 'Roles per account' (up to 5,000) before deploying, or "
                      "split the blueprint across accounts")


@rule("GEN065", "at most 100 services are routed through the load balancer (its rules and target groups)", ALB_DOCS,
      items=SERVICES)
def routes_per_load_balancer(bp: Blueprint) -> Iterator[Finding]:
    """Each routed service has one listener rule and one target group; an Application Load
    Balancer holds 100 of each (target groups: not adjustable)."""
    routed = [i for i, s in enumerate(bp.services) if bp.routed(s)]
    limit = min(ALB_MAX_RULES, ALB_MAX_TARGET_GROUPS)
    if len(routed) > limit:
        yield Finding(("services", routed[limit], "route"),
                      f"{len(routed)} services are routed, and a load balancer holds {limit} listener rules and "
                      f"target groups; this is the first past them",
                      "route the other services in a blueprint of their own (its own load balancer)")
