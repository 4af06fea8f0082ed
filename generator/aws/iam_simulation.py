"""Whether an IAM role may do something: IAM's policy simulator, or the role's own policies.

``gen doctor`` asks this for each role that must read a spec or a secret. The simulator is the
answer AWS gives; where an endpoint has none (an emulator), the role's policies are evaluated for
Allow and explicit Deny, without conditions, permissions boundaries or SCPs.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from generator.aws.session import UNPARSABLE, Aws, missing_is_none
from generator.errors import AwsError

ROLE_MISSING = "the role does not exist"


def simulate(aws: Aws, role_arn: str, action: str, resource: str) -> tuple[bool, str]:
    """IAM's policy simulator; where the endpoint has none (an emulator), the role's own policies
    evaluated for Allow and explicit Deny, without conditions, boundaries or SCPs."""
    try:
        result = aws.call("iam", "simulate_principal_policy", role_arn, PolicySourceArn=role_arn,
                          ActionNames=[action], ResourceArns=[resource])
        decision = result["EvaluationResults"][0]["EvalDecision"]
        return decision == "allowed", f"IAM policy simulator: {decision}"
    except AwsError as exc:
        if exc.code not in ("InternalFailure", "InvalidAction", "NotImplemented", "InternalError", UNPARSABLE):
            raise
    role_name = role_arn.rsplit("/", 1)[-1]
    if missing_is_none(aws, "iam", "get_role", role_name, ("NoSuchEntity",), RoleName=role_name) is None:
        return False, ROLE_MISSING
    documents = []
    for policy_name in aws.call("iam", "list_role_policies", role_name, RoleName=role_name)["PolicyNames"]:
        documents.append(aws.call("iam", "get_role_policy", role_name, RoleName=role_name, PolicyName=policy_name)["PolicyDocument"])
    for attached in aws.call("iam", "list_attached_role_policies", role_name, RoleName=role_name)["AttachedPolicies"]:
        policy = aws.call("iam", "get_policy", attached["PolicyArn"], PolicyArn=attached["PolicyArn"])["Policy"]
        version = aws.call("iam", "get_policy_version", attached["PolicyArn"], PolicyArn=attached["PolicyArn"],
                           VersionId=policy["DefaultVersionId"])
        documents.append(version["PolicyVersion"]["Document"])
    try:
        decision = evaluate(documents, action, resource)
    except ValueError:
        return False, "a policy of the role is not readable JSON"
    return decision == "allowed", f"evaluated from the role's policies: {decision}"


def evaluate(documents: list[Any], action: str, resource: str) -> str:
    """``allowed``, ``explicitDeny`` or ``implicitDeny`` for ``action`` on ``resource``."""
    allowed = False
    for document in documents:
        if isinstance(document, str):
            document = json.loads(document)
        statements = document.get("Statement", [])
        for statement in statements if isinstance(statements, list) else [statements]:
            if _matches(statement.get("Action", []), action, case=False) and _matches(statement.get("Resource", []), resource):
                if statement.get("Effect") == "Deny":
                    return "explicitDeny"
                allowed = True
    return "allowed" if allowed else "implicitDeny"


def _matches(patterns: Any, value: str, case: bool = True) -> bool:
    patterns = [patterns] if isinstance(patterns, str) else patterns
    if case:
        return any(fnmatch.fnmatchcase(value, p) for p in patterns)
    return any(fnmatch.fnmatchcase(value.lower(), p.lower()) for p in patterns)
