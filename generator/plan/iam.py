"""IAM roles: the container hosts', the task execution role, and each service's own role.

Least privilege: each role may read or write exactly the specs and secrets it uses, by ARN.
The statements themselves come from :mod:`generator.plan.policies`.
"""

from __future__ import annotations

from typing import NamedTuple

from generator import expr
from generator.blueprint.model import Blueprint, Service
from generator.blueprint.types import SecretArnReference, ValueReference
from generator.expr import (
    ACCOUNT_ID,
    DOMAINLESS_SECRET_ARN,
    JOIN_SECRET_ARN,
    Value,
    text,
)
from generator.facts.aws import (
    HOST_MANAGED_POLICIES,
    LAMBDA_BASIC_EXECUTION_POLICY,
    SSM_MANAGED_INSTANCE_POLICY,
    TASK_EXECUTION_MANAGED_POLICY,
)
from generator.naming import logical_id, tf_name
from generator.plan import policies
from generator.plan.credential_specs import HOSTS, SETUP, STACK, BucketPlan, SpecPlan
from generator.plan.policies import Statement


class RolePlan(NamedTuple):
    key: str
    name: str
    service_principal: str
    managed_policy_arns: tuple[str, ...]
    statements: tuple[Statement, ...]
    logical_id: str
    tf_name: str
    description: str
    arn: Value

    @property
    def policy_name(self) -> str:
        return f"{self.name}-inline"


def secret_arn(value_from: str) -> str:
    """The secret's own ARN in a ``valueFrom`` that may go on to a JSON key, stage and version
    (``arn:...:secret:name-AbCdEf:password::``): IAM matches the secret's ARN only."""
    return ":".join(value_from.split(":")[:7])


def join_secret_of(bp: Blueprint) -> Value:
    """The secret the hosts join the domain with: ``hosts.join_secret``, else the one the stack
    generates for the join account the directory setup creates (never the directory's Admin)."""
    given = bp.hosts.join_secret if bp.hosts is not None else None
    return given.arn if given is not None else JOIN_SECRET_ARN


def domainless_secret_of(bp: Blueprint) -> Value | None:
    """The domainless user's secret: ``credential_specs.domainless_secret``, else the one the
    stack generates for the user the directory setup creates; None in domain-joined mode."""
    if not bp.domainless:
        return None
    given = bp.credential_specs.domainless_secret
    return given.arn if given is not None else DOMAINLESS_SECRET_ARN


def _role_arn(partition: str, name: str) -> Value:
    return text("arn:", expr.partition(partition), ":iam::", ACCOUNT_ID, f":role/{name}")


def _managed_policy(partition: str, name: str) -> str:
    return f"arn:{partition}:iam::aws:policy/{name}"


def _spec_writes(specs: tuple[SpecPlan, ...], writer: str, bucket: BucketPlan | None) -> list[Statement]:
    """Write (after reading) exactly the specs ``writer`` writes, and use the bucket's key."""
    statements = []
    parameters = [s.arn for s in specs if s.writer == writer and s.store == "ssm" and s.arn is not None]
    objects = [s.arn for s in specs if s.writer == writer and s.store == "s3" and s.arn is not None]
    if parameters:
        statements.append(policies.write_ssm_specs(parameters))
    if objects:
        statements.append(policies.write_s3_specs(objects))
        if bucket is not None and bucket.kms_key_arn:
            statements.append(policies.encrypt_with(bucket.kms_key_arn))
    return statements


def _keys(*references: SecretArnReference | ValueReference | None) -> list[str]:
    return [r.kms_key for r in references if r is not None and r.kms_key is not None]


def plan_host_role(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...],
                   bucket: BucketPlan | None) -> RolePlan | None:
    """The container hosts' role (none on Fargate): ECS and SSM; reading the join secret (and its
    key) in domain-joined mode; on Linux in domainless mode, reading the domainless user's secret,
    which credentials-fetcher reads with the instance's credentials (aws/credentials-fetcher#218;
    the ECS guide names the execution role, which gets it too); writing exactly the specs the
    hosts write. Never a secret that can administer the domain."""
    if bp.hosts is None:
        return None
    statements = []
    if not bp.domainless:
        statements.append(policies.read_secrets("ReadDomainJoinSecret", [join_secret_of(bp)]))
        keys = _keys(bp.hosts.join_secret)
        if keys:
            statements.append(policies.decrypt_with(keys, "DecryptDomainJoinSecret"))
    elif bp.platform == "linux":
        statements += _domainless_reads(bp)
    statements += _spec_writes(specs, HOSTS, bucket)
    windows_joined = bp.platform == "windows" and not bp.domainless
    policies_of_hosts = HOST_MANAGED_POLICIES if windows_joined else HOST_MANAGED_POLICIES[:2]
    return RolePlan(
        key="host",
        name=f"{bp.name}-host",
        arn=_role_arn(partition, f"{bp.name}-host"),
        service_principal="ec2.amazonaws.com",
        managed_policy_arns=tuple(_managed_policy(partition, p) for p in policies_of_hosts),
        statements=tuple(statements),
        logical_id="HostRole",
        tf_name="host",
        description="ECS container hosts: ECS agent, SSM, and what the hosts read and write for gMSA",
    )


def _domainless_reads(bp: Blueprint) -> list[Statement]:
    """Reading the domainless user's secret, and decrypting it with its key if one is named."""
    secret = domainless_secret_of(bp)
    if secret is None:
        return []
    statements = [policies.read_secrets("ReadDomainlessUserSecret", [secret])]
    keys = _keys(bp.credential_specs.domainless_secret)
    if keys:
        statements.append(policies.decrypt_with(keys, "DecryptDomainlessUserSecret"))
    return statements


def plan_setup_role(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...], bucket: BucketPlan | None) -> RolePlan | None:
    """The directory setup instance's role (a directory the stack creates only): SSM, reading the
    Admin and join secrets (and their keys), writing exactly the specs of the new domain."""
    managed = bp.directory.managed
    if managed is None:
        return None
    principal = domainless_secret_of(bp) if bp.domainless else join_secret_of(bp)
    statements = [policies.read_secrets("ReadDirectorySecrets", [managed.admin_password_secret.arn, principal])]
    given = bp.credential_specs.domainless_secret if bp.domainless else (bp.hosts.join_secret if bp.hosts else None)
    keys = _keys(managed.admin_password_secret, given)
    if keys:
        statements.append(policies.decrypt_with(keys, "DecryptDirectorySecrets"))
    statements += _spec_writes(specs, SETUP, bucket)
    name = f"{bp.name}-directory-setup"
    return RolePlan(
        key="directory_setup",
        name=name,
        arn=_role_arn(partition, name),
        service_principal="ec2.amazonaws.com",
        managed_policy_arns=(_managed_policy(partition, SSM_MANAGED_INSTANCE_POLICY),),
        statements=tuple(statements),
        logical_id="DirectorySetupRole",
        tf_name="directory_setup",
        description="One-shot directory setup: SSM, the directory Admin secret and its account's, the new domain's specs",
    )


def plan_execution_role(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...],
                        bucket: BucketPlan | None) -> RolePlan:
    """The task execution role: the agent reads the specs of the accounts services use, and
    the services' secrets (decrypting with their keys), with it."""
    statements: list[Statement] = []
    used = {s.gmsa.lower() for s in bp.services}
    arns = [s.arn for s in specs if s.arn is not None and s.account.lower() in used]
    if arns and bp.credential_specs.store == "ssm":
        statements.append(policies.read_ssm_specs(arns))
    if arns and bp.credential_specs.store == "s3":
        statements.append(policies.read_s3_specs(arns, versions=bp.platform == "fargate"))
        if bucket is not None and bucket.kms_key_arn:
            statements.append(policies.decrypt_with([bucket.kms_key_arn]))
    # The agent (Windows: for the CCG plugin; Linux: to call credentials-fetcher) reads the
    # domainless user's secret with the execution role (credentialspec_windows.go,
    # credentialspec_linux.go; the ECS guide's domainless pages).
    statements += _domainless_reads(bp)
    references = [v for s in bp.services for v in s.secrets.values()]
    secret_arns = sorted({secret_arn(v.arn) for v in references if ":secretsmanager:" in v.arn})
    parameter_arns = sorted({v.arn for v in references if ":ssm:" in v.arn})
    statements.extend(policies.read_container_secrets(secret_arns, parameter_arns))
    keys = _keys(*references)
    if keys:
        statements.append(policies.decrypt_with(keys, "DecryptContainerSecrets"))
    return RolePlan(
        key="task_execution",
        name=f"{bp.name}-task-execution",
        arn=_role_arn(partition, f"{bp.name}-task-execution"),
        service_principal="ecs-tasks.amazonaws.com",
        managed_policy_arns=(_managed_policy(partition, TASK_EXECUTION_MANAGED_POLICY),),
        statements=tuple(statements),
        logical_id="TaskExecutionRole",
        tf_name="task_execution",
        description="ECS task execution: pull images, write logs, read the credential specs and secrets",
    )


def plan_task_role(bp: Blueprint, service: Service, partition: str) -> RolePlan | None:
    """The application's own role, when the service asks for one."""
    if service.task_role is None:
        return None
    return RolePlan(
        key=f"task_{service.name}",
        name=f"{bp.name}-{service.name}-task",
        arn=_role_arn(partition, f"{bp.name}-{service.name}-task"),
        service_principal="ecs-tasks.amazonaws.com",
        managed_policy_arns=tuple(sorted(service.task_role.managed_policy_arns)),
        statements=(),
        logical_id=logical_id(service.name, "TaskRole"),
        tf_name=tf_name(service.name),
        description=f"Application role of the {service.name} service",
    )


def plan_spec_writer_role(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...],
                          bucket: BucketPlan | None) -> RolePlan | None:
    """The role of CloudFormation's spec writer (see ``SpecWriterPlan``): write exactly the specs
    the stack stores in S3, and its logs."""
    statements = _spec_writes(specs, STACK, bucket)
    if not any(s.writer == STACK and s.store == "s3" for s in specs):
        return None
    name = f"{bp.name}-credential-spec-writer"
    return RolePlan(
        key="credential_spec_writer",
        name=name,
        arn=_role_arn(partition, name),
        service_principal="lambda.amazonaws.com",
        managed_policy_arns=(_managed_policy(partition, LAMBDA_BASIC_EXECUTION_POLICY),),
        statements=tuple(s for s in statements if "s3:PutObject" in s.actions or s.sid == "EncryptCredentialSpecs"),
        logical_id="CredentialSpecWriterRole",
        tf_name="credential_spec_writer",
        description="Writes the credential specs the stack stores in S3 (CloudFormation custom resource)",
    )
