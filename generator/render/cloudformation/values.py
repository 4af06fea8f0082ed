"""What every CloudFormation builder shares: plan values as intrinsic functions, tags, IAM
policy documents, retention policies and checkov waivers.

Deploy-time values of the plan (:mod:`generator.expr`) become ``Ref``, ``Fn::Sub`` and
``Fn::GetAtt`` here, and nowhere else.
"""

from __future__ import annotations

import re

from typing import Any

from awacs import aws as awacs_aws
from awacs.aws import Action as AwacsAction
from awacs.aws import Allow, Condition, Deny, PolicyDocument, Principal, Statement
from troposphere import GetAtt, Join, Ref, Select, Sub, Tags

from generator import expr
from generator.plan import Plan
from generator.plan.policies import Statement as PlanStatement
from generator.plan.waivers import Waiver

#: The template parameters holding AMI ids (resolved from their SSM parameters).
HOST_IMAGE_PARAMETER = "HostImageId"
SETUP_IMAGE_PARAMETER = "DirectorySetupImageId"
#: Logical ids other builders refer to.
DIRECTORY = "Directory"
JOIN_SECRET = "JoinSecret"
DOMAINLESS_SECRET = "DomainlessSecret"
SETUP_INSTANCE = "DirectorySetupInstance"
SETUP_ASSOCIATION = "DirectorySetupAssociation"
LOAD_BALANCER = "LoadBalancer"

#: Deploy-time values that are a plain ``Ref``: in ``Fn::Sub`` they are ``${name}``.
_REFS = {
    expr.ACCOUNT_ID: "AWS::AccountId",
    expr.DIRECTORY_ID: DIRECTORY,
    expr.HOST_IMAGE_ID: HOST_IMAGE_PARAMETER,
    expr.SETUP_IMAGE_ID: SETUP_IMAGE_PARAMETER,
    expr.JOIN_SECRET_ARN: JOIN_SECRET,
    expr.DOMAINLESS_SECRET_ARN: DOMAINLESS_SECRET,
    expr.SETUP_INSTANCE_ID: SETUP_INSTANCE,
}
_PSEUDO = {"partition": "AWS::Partition", "region": "AWS::Region"}


def ref_name(ref: expr.Ref) -> str:
    """The logical id or pseudo parameter a deploy-time value refers to."""
    return _ref_name(ref)


def _ref_name(ref: expr.Ref) -> str:
    if ref.name in _PSEUDO:
        return _PSEUDO[ref.name]
    if ref in _REFS:
        return _REFS[ref]
    raise ValueError(f"no CloudFormation form for {ref}")


#: The partition of an ARN written inside a text (a script that carries a credential spec).
_ARN_PARTITION = re.compile(r"\barn:aws(?:-cn|-us-gov)?:")


def cfn(value: Any) -> Any:
    """A plan value as CloudFormation: literals as they are, deploy-time values as intrinsics.

    Inside an ``Fn::Sub`` an ARN's partition is written ``${AWS::Partition}`` (cfn-lint I3042):
    the same bytes at deploy time, since every ARN a blueprint gives is in the partition of its
    region (rule GEN010) and the stack deploys there."""
    if isinstance(value, expr.Text):
        parts = []
        for part in value.parts:
            if isinstance(part, str):
                parts.append(_ARN_PARTITION.sub("arn:${AWS::Partition}:", part.replace("${", "${!")))
            else:
                parts.append("${" + _ref_name(part) + "}")
        return Sub("".join(parts))
    if isinstance(value, expr.Ref):
        if value == expr.DIRECTORY_DNS_IPS:
            return Join(",", GetAtt(DIRECTORY, "DnsIpAddresses"))
        if value == expr.LOAD_BALANCER_DNS_NAME:
            return GetAtt(LOAD_BALANCER, "DNSName")
        if value.name.startswith("directory_dns_ip_"):
            return Select(int(value.name.rsplit("_", 1)[1]), GetAtt(DIRECTORY, "DnsIpAddresses"))
        return Ref(_ref_name(value))
    if isinstance(value, dict):
        return {k: cfn(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [cfn(v) for v in value]
    return value


def pascal_keys(value: Any, *, inside_options: bool = False) -> Any:
    """ECS API shape (``portMappings``) -> CloudFormation shape (``PortMappings``).

    Keys of ``options`` maps (log driver options) are data, not properties, and stay as they are.
    """
    if isinstance(value, dict):
        return {
            (k if inside_options else k[:1].upper() + k[1:]): pascal_keys(v, inside_options=(k == "options"))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [pascal_keys(v) for v in value]
    return value


def kept(retain: bool) -> dict[str, str]:
    """DeletionPolicy and UpdateReplacePolicy of a resource whose data the plan keeps or not."""
    policy = "Retain" if retain else "Delete"
    return {"DeletionPolicy": policy, "UpdateReplacePolicy": policy}


def waived(waivers: tuple[Waiver, ...]) -> dict[str, Any]:
    """Resource Metadata telling checkov which findings are accepted, and why."""
    return {"checkov": {"skip": [{"id": w.check, "comment": w.reason} for w in waivers]}}


def tags(plan: Plan, **extra: str) -> Tags:
    """The blueprint's tags, and ``extra`` ones (such as a Name)."""
    return Tags({**{t.key: t.value for t in plan.tags}, **extra})


def _statement(statement: PlanStatement) -> Statement:
    kwargs: dict[str, Any] = {
        "Sid": statement.sid,
        "Effect": Allow if statement.effect == "Allow" else Deny,
        "Action": [AwacsAction(*a.split(":", 1)) for a in statement.actions],
        "Resource": [cfn(r) for r in statement.resources],
    }
    if statement.principal is not None:
        kwargs["Principal"] = Principal("AWS", statement.principal) if statement.principal != "*" else Principal("*")
    if statement.conditions:
        # awacs has one class per condition test (Bool, StringEquals, ...).
        kwargs["Condition"] = Condition(
            [getattr(awacs_aws, c.test)(c.variable, c.values[0] if len(c.values) == 1 else list(c.values))
             for c in statement.conditions]
        )
    return Statement(**kwargs)


def policy(statements: tuple[PlanStatement, ...]) -> PolicyDocument:
    """An IAM policy document of the plan's statements."""
    return PolicyDocument(Version="2012-10-17", Statement=[_statement(s) for s in statements])
