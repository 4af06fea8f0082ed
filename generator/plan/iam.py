"""IAM roles: the container hosts', the task execution role, and each service's own role.

Least privilege: each role may read or write exactly the specs and secrets it uses, by ARN.
The statements themselves come from :mod:`generator.plan.policies`.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import expr
from generator.blueprint.model import Blueprint, Service
from generator.expr import ACCOUNT_ID, Value, text
from generator.facts import HOST_MANAGED_POLICIES, TASK_EXECUTION_MANAGED_POLICY
from generator.naming import logical_id, tf_name
from generator.plan import policies
from generator.plan.credential_specs import BucketPlan, SpecPlan
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


def join_secret_of(bp: Blueprint) -> str:
    """The secret the hosts join the domain with: ``hosts.join_secret``, else the managed
    directory's admin secret."""
    return bp.hosts.join_secret or (bp.directory.managed.admin_password_secret if bp.directory.managed else "")


def _role_arn(partition: str, name: str) -> Value:
    return text("arn:", expr.partition(partition), ":iam::", ACCOUNT_ID, f":role/{name}")


def _managed_policy(partition: str, name: str) -> str:
    return f"arn:{partition}:iam::aws:policy/{name}"


def plan_host_role(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...], bucket: BucketPlan | None) -> RolePlan:
    """The container hosts' role: ECS, SSM and the join, reading the join secret, and writing
    exactly the specs the hosts generate."""
    statements = [policies.read_join_secret(join_secret_of(bp))]
    written = [s.arn for s in specs if s.generated_on_host and s.arn is not None]
    if written and bp.credential_specs.store == "ssm":
        statements.append(policies.write_ssm_specs(written))
    if written and bp.credential_specs.store == "s3":
        statements.append(policies.write_s3_specs(written))
        if bucket is not None and bucket.kms_key_arn:
            statements.append(policies.encrypt_with(bucket.kms_key_arn))
    return RolePlan(
        key="host",
        name=f"{bp.name}-host",
        arn=_role_arn(partition, f"{bp.name}-host"),
        service_principal="ec2.amazonaws.com",
        managed_policy_arns=tuple(_managed_policy(partition, p) for p in HOST_MANAGED_POLICIES),
        statements=tuple(statements),
        logical_id="HostRole",
        tf_name="host",
        description="ECS container hosts: ECS agent, SSM (domain join association) and directory join",
    )


def plan_execution_role(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...],
                        bucket: BucketPlan | None) -> RolePlan:
    """The task execution role: the agent reads the specs of the accounts services use, and
    the services' secrets, with it."""
    statements: list[Statement] = []
    used = {s.gmsa.lower() for s in bp.services}
    arns = [s.arn for s in specs if s.arn is not None and s.account.lower() in used]
    if arns and bp.credential_specs.store == "ssm":
        statements.append(policies.read_ssm_specs(arns))
    if arns and bp.credential_specs.store == "s3":
        statements.append(policies.read_s3_specs(arns))
        if bucket is not None and bucket.kms_key_arn:
            statements.append(policies.decrypt_with(bucket.kms_key_arn))
    secret_arns = sorted({secret_arn(a) for s in bp.services for a in s.secrets.values() if ":secretsmanager:" in a})
    parameter_arns = sorted({a for s in bp.services for a in s.secrets.values() if ":ssm:" in a})
    statements.extend(policies.read_container_secrets(secret_arns, parameter_arns))
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
