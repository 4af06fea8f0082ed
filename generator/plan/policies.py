"""IAM statements, least privilege: exact resources, typed actions, no wildcards.

Actions come from awacs so that no action name is typed as a free string. The statements are
renderer-neutral; CloudFormation and Terraform each translate them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from awacs import kms, s3, secretsmanager, ssm, sts
from awacs.aws import Action

from generator.expr import Value

#: What a role's trust policy allows its service principal.
ASSUME_ROLE = sts.AssumeRole.JSONrepr()


@dataclass(frozen=True)
class Condition:
    """An IAM condition: ``test`` (e.g. Bool) on ``variable`` against ``values``."""

    test: str
    variable: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """One IAM policy statement."""

    sid: str
    actions: tuple[str, ...]
    resources: tuple[Value, ...]
    effect: str = "Allow"
    principal: str | None = None
    conditions: tuple[Condition, ...] = ()


def _names(actions: Iterable[Action]) -> tuple[str, ...]:
    return tuple(sorted(a.JSONrepr() for a in actions))


def read_ssm_specs(parameter_arns: list[Value]) -> Statement:
    """The ECS agent fetches an SSM-stored spec with GetParameters, on the execution role."""
    return Statement("ReadCredentialSpecParameters", _names([ssm.GetParameters]), tuple(parameter_arns))


def read_s3_specs(object_arns: list[Value]) -> Statement:
    """The agent reads an S3-stored spec with GetObject; nothing on the bucket, no wildcard."""
    return Statement("ReadCredentialSpecObjects", _names([s3.GetObject]), tuple(object_arns))


def decrypt_with(key_arn: str, sid: str = "DecryptCredentialSpecs") -> Statement:
    """kms:Decrypt on a customer managed key, only when one is named."""
    return Statement(sid, _names([kms.Decrypt]), (key_arn,))


def encrypt_with(key_arn: str) -> Statement:
    """What writing an SSE-KMS object needs on its key."""
    return Statement("EncryptCredentialSpecs", _names([kms.GenerateDataKey]), (key_arn,))


def write_ssm_specs(parameter_arns: list[Value]) -> Statement:
    """A joined host writes the specs it generated, and no other parameter."""
    return Statement("WriteGeneratedCredentialSpecs", _names([ssm.PutParameter]), tuple(parameter_arns))


def write_s3_specs(object_arns: list[Value]) -> Statement:
    """A joined host writes the spec objects it generated, and no other object."""
    return Statement("WriteGeneratedCredentialSpecs", _names([s3.PutObject]), tuple(object_arns))


def read_join_secret(secret_arn: str) -> Statement:
    """A host reads the domain-join credentials at run time, never from its launch data."""
    return Statement("ReadDomainJoinSecret", _names([secretsmanager.GetSecretValue]), (secret_arn,))


def read_container_secrets(secret_arns: list[str], parameter_arns: list[str]) -> list[Statement]:
    """The agent injects a service's secrets: Secrets Manager values and SSM parameters."""
    statements = []
    if secret_arns:
        statements.append(
            Statement("ReadContainerSecrets", _names([secretsmanager.GetSecretValue]), tuple(sorted(secret_arns)))
        )
    if parameter_arns:
        statements.append(
            Statement("ReadContainerParameters", _names([ssm.GetParameters]), tuple(sorted(parameter_arns)))
        )
    return statements


def tls_only(bucket_arn: Value, objects_arn: Value) -> Statement:
    """Bucket policy: refuse every request not made over TLS."""
    return Statement(
        "DenyInsecureTransport",
        _names([s3.Action("*")]),
        (bucket_arn, objects_arn),
        effect="Deny",
        principal="*",
        conditions=(Condition("Bool", "aws:SecureTransport", ("false",)),),
    )
