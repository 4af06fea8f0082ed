"""What every CloudFormation builder shares: plan values as intrinsic functions, tags, IAM
policy documents, retention policies and checkov waivers.

Deploy-time values of the plan (:mod:`generator.expr`) become ``Ref``, ``Fn::Sub`` and
``Fn::GetAtt`` here, and nowhere else.
"""

from __future__ import annotations

from typing import Any

from awacs import aws as awacs_aws
from awacs.aws import Action as AwacsAction
from awacs.aws import Allow, Condition, Deny, PolicyDocument, Principal, Statement
from troposphere import GetAtt, Join, Ref, Sub, Tags

from generator import expr
from generator.plan import Plan
from generator.plan.policies import Statement as PlanStatement
from generator.plan.waivers import Waiver

#: The template parameter holding the hosts' AMI id (resolved from its SSM parameter).
HOST_IMAGE_PARAMETER = "HostImageId"
#: The logical id of the directory the stack creates.
DIRECTORY = "Directory"

_SUB_NAMES = {"account_id": "AWS::AccountId", "directory_id": DIRECTORY, "partition": "AWS::Partition",
              "region": "AWS::Region"}


def cfn(value: Any) -> Any:
    """A plan value as CloudFormation: literals as they are, deploy-time values as intrinsics."""
    if isinstance(value, expr.Text):
        parts = []
        for part in value.parts:
            if isinstance(part, str):
                parts.append(part.replace("${", "${!"))
            else:
                parts.append("${" + _SUB_NAMES[part.name] + "}")
        return Sub("".join(parts))
    if isinstance(value, expr.Ref):
        if value == expr.ACCOUNT_ID:
            return Ref("AWS::AccountId")
        if value == expr.DIRECTORY_ID:
            return Ref(DIRECTORY)
        if value == expr.DIRECTORY_DNS_IPS:
            return Join(",", GetAtt(DIRECTORY, "DnsIpAddresses"))
        if value == expr.HOST_IMAGE_ID:
            return Ref(HOST_IMAGE_PARAMETER)
        if value.name in ("partition", "region"):
            return Ref(_SUB_NAMES[value.name])
        raise ValueError(f"no CloudFormation form for {value}")
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


def tags(plan: Plan) -> Tags:
    return Tags({t.key: t.value for t in plan.tags})


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
