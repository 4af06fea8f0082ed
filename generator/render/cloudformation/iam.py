"""CloudFormation of IAM roles: trust policy, managed policies and the inline statements."""

from __future__ import annotations

from typing import Any

from awacs.aws import Allow, PolicyDocument, Principal, Statement
from awacs.sts import AssumeRole
from troposphere import Template, iam

from generator.plan import Plan
from generator.plan.iam import RolePlan
from generator.render.cloudformation.values import policy, tags


def add_role(t: Template, plan: Plan, role: RolePlan) -> iam.Role:
    properties: dict[str, Any] = {
        "RoleName": role.name,
        "Description": role.description,
        "AssumeRolePolicyDocument": PolicyDocument(
            Version="2012-10-17",
            Statement=[Statement(Effect=Allow, Action=[AssumeRole], Principal=Principal("Service", [role.service_principal]))],
        ),
        "ManagedPolicyArns": list(role.managed_policy_arns),
        "Tags": tags(plan),
    }
    if role.statements:
        properties["Policies"] = [iam.Policy(PolicyName=role.policy_name, PolicyDocument=policy(role.statements))]
    return t.add_resource(iam.Role(role.logical_id, **properties))
