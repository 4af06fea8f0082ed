"""IAM statements, least privilege: exact resources, typed actions, no wildcards.

Actions come from awacs so that no action name is typed as a free string. The statements are
renderer-neutral; CloudFormation and Terraform each translate them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from awacs import kms, s3, secretsmanager, ssm, sts
from awacs.aws import Action

from generator.expr import Value

#: What a role's trust policy allows its service principal.
ASSUME_ROLE = sts.AssumeRole.JSONrepr()


class Condition(NamedTuple):
    """An IAM condition: ``test`` (e.g. Bool) on ``variable`` against ``values``."""

    test: str
    variable: str
    values: tuple[str, ...]


class Statement(NamedTuple):
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


def read_s3_specs(object_arns: list[Value], versions: bool = False) -> Statement:
    """The agent reads an S3-stored spec with GetObject; nothing on the bucket, no wildcard. On
    Fargate also GetObjectVersion, which the Fargate gMSA page lists (beside ListBucket, which gen
    does not grant: the objects are named exactly)."""
    actions = [s3.GetObject, s3.GetObjectVersion] if versions else [s3.GetObject]
    return Statement("ReadCredentialSpecObjects", _names(actions), tuple(object_arns))


def decrypt_with(key_arns: Iterable[str], sid: str = "DecryptCredentialSpecs") -> Statement:
    """kms:Decrypt on customer managed keys, only those named."""
    return Statement(sid, _names([kms.Decrypt]), tuple(sorted(set(key_arns))))


def encrypt_with(key_arn: str) -> Statement:
    """What writing (and reading back) an SSE-KMS object needs on its key."""
    return Statement("EncryptCredentialSpecs", _names([kms.Decrypt, kms.GenerateDataKey]), (key_arn,))


def write_ssm_specs(parameter_arns: list[Value]) -> Statement:
    """Write exactly these spec parameters, reading each first so an unchanged one is not
    rewritten (no new parameter version on every run)."""
    return Statement("WriteCredentialSpecs", _names([ssm.GetParameter, ssm.PutParameter]), tuple(parameter_arns))


def write_s3_specs(object_arns: list[Value]) -> Statement:
    """Write exactly these spec objects, reading each first."""
    return Statement("WriteCredentialSpecs", _names([s3.GetObject, s3.PutObject]), tuple(object_arns))


def read_secrets(sid: str, secret_arns: Iterable[Value]) -> Statement:
    """Read secrets at run time (a join credential, the directory Admin), never from launch data."""
    return Statement(sid, _names([secretsmanager.GetSecretValue]), tuple(secret_arns))


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
