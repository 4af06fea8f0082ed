"""IAM roles: the container hosts', the task execution role, and each service's own role.

Least privilege: each role may read or write exactly the specs and secrets it uses, by ARN.
The statements themselves come from :mod:`generator.plan.policies`.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import expr
from generator.blueprint.model import Blueprint, Service
from generator.blueprint.types import SecretArnReference, ValueReference
from generator.expr import ACCOUNT_ID, JOIN_SECRET_ARN, Value, text
from generator.facts.aws import (
    HOST_MANAGED_POLICIES,
    SSM_MANAGED_INSTANCE_POLICY,
    TASK_EXECUTION_MANAGED_POLICY,
)
from generator.naming import logical_id, tf_name
from generator.plan import policies
from generator.plan.credential_specs import HOSTS, SETUP, BucketPlan, SpecPlan
from generator.plan.policies import Statement


@dataclass(frozen=True)
class RolePlan:
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
    return bp.hosts.join_secret.arn if bp.hosts.join_secret is not None else JOIN_SECRET_ARN


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


def plan_host_role(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...], bucket: BucketPlan | None) -> RolePlan:
    """The container hosts' role: ECS, SSM and the join; reading the join secret (and its key);
    writing exactly the specs the hosts write. Never a secret that can administer the domain."""
    statements = [policies.read_secrets("ReadDomainJoinSecret", [join_secret_of(bp)])]
    keys = _keys(bp.hosts.join_secret)
    if keys:
        statements.append(policies.decrypt_with(keys, "DecryptDomainJoinSecret"))
    statements += _spec_writes(specs, HOSTS, bucket)
    return RolePlan(
        key="host",
        name=f"{bp.name}-host",
        arn=_role_arn(partition, f"{bp.name}-host"),
        service_principal="ec2.amazonaws.com",
        managed_policy_arns=tuple(_managed_policy(partition, p) for p in HOST_MANAGED_POLICIES),
        statements=tuple(statements),
        logical_id="HostRole",
        tf_name="host",
        description="ECS container hosts: ECS agent, SSM (bootstrap association) and the domain join",
    )


def plan_setup_role(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...], bucket: BucketPlan | None) -> RolePlan | None:
    """The directory setup instance's role (a directory the stack creates only): SSM, reading the
    Admin and join secrets (and their keys), writing exactly the specs of the new domain."""
    managed = bp.directory.managed
    if managed is None:
        return None
    statements = [policies.read_secrets("ReadDirectorySecrets", [managed.admin_password_secret.arn, join_secret_of(bp)])]
    keys = _keys(managed.admin_password_secret, bp.hosts.join_secret)
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
        description="One-shot directory setup: SSM, the directory Admin and join secrets, the new domain's specs",
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
        statements.append(policies.read_s3_specs(arns))
        if bucket is not None and bucket.kms_key_arn:
            statements.append(policies.decrypt_with([bucket.kms_key_arn]))
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
