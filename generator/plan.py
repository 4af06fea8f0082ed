"""Resolve a valid blueprint into a plan of everything to build.

The plan decides every name, ARN, IAM statement, credential spec and container definition.
The CloudFormation renderer and the Terraform templates only translate it, so nothing about
gMSA is decided twice. Values only known at deploy time are :mod:`generator.expr` references.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator import bootstrap, expr, policies, waivers
from generator.blueprint.model import Blueprint, Service
from generator.bootstrap import BootstrapPlan
from generator.credspec import Domain, credential_spec, spec_text
from generator.expr import ACCOUNT_ID, DIRECTORY_DNS_IPS, DIRECTORY_ID, Value, text
from generator.facts import (
    DOCKER_CREDSPEC_DIR,
    HOST_MANAGED_POLICIES,
    TASK_EXECUTION_MANAGED_POLICY,
    WINDOWS_RELEASES,
    partition_of,
)
from generator.naming import HOST_TAG_KEY, host_tags, logical_id, tf_name
from generator.policies import Statement

#: SSM parameters of the specs: String (CloudFormation cannot create SecureString, and a spec
#: holds no secret), Standard tier (a spec is about 1 KB; Standard holds 4 KB).
SPEC_PARAMETER_TYPE = "String"
SPEC_PARAMETER_TIER = "Standard"



@dataclass(frozen=True)
class Tag:
    key: str
    value: str


@dataclass(frozen=True)
class ManagedDirectoryPlan:
    """An AWS Managed Microsoft AD the stack creates."""

    logical_id: str
    edition: str
    password_secret_arn: str
    vpc_id: str
    subnet_ids: tuple[str, ...]
    #: Deleting or replacing it deletes its accounts, the gMSAs among them: keep it.
    retain: bool = True

    @property
    def password_reference(self) -> str:
        """CloudFormation dynamic reference to the admin password: resolved at deploy time."""
        return "{{resolve:secretsmanager:" + self.password_secret_arn + ":SecretString:password}}"


@dataclass(frozen=True)
class DirectoryPlan:
    dns_name: str
    netbios_name: str
    managed: ManagedDirectoryPlan | None
    directory_id: Value | None
    dns_ips: Value  # comma-separated


@dataclass(frozen=True)
class SpecPlan:
    """One account's credential spec: its text, where it is stored, how containers refer to it."""

    account: str
    text: str  # exact when the domain is known; with placeholders when a host fills it in
    generated_on_host: bool
    store: str
    location: Value  # parameter name, s3://bucket/key or host file path, for people
    arn: Value | None  # what IAM grants; None for a host file
    reference: Value  # the container's credentialspec:... string
    parameter_name: str | None = None
    bucket: Value | None = None
    key: str | None = None
    file_name: str | None = None
    logical_id: str = ""
    tf_key: str = ""
    parameter_waivers: tuple[waivers.Waiver, ...] = waivers.SPEC_PARAMETER

    @property
    def description(self) -> str:
        return f"Credential spec of the gMSA {self.account}"

    @property
    def out_path(self) -> str:
        return f"credentialspecs/{self.account}.json"


@dataclass(frozen=True)
class BucketPlan:
    name: Value
    create: bool
    arn: Value
    kms_key_arn: str | None
    policy: tuple[Statement, ...]
    waivers: tuple[waivers.Waiver, ...] = ()
    #: Versioned specs outlive the stack (CloudFormation Retain; Terraform refuses to destroy a
    #: bucket that is not empty).
    retain: bool = True
    logical_id: str = "CredentialSpecBucket"

    @property
    def sse_algorithm(self) -> str:
        """Encryption of the bucket and of every spec object written to it."""
        return "aws:kms" if self.kms_key_arn else "AES256"

    @property
    def bucket_key_enabled(self) -> bool:
        return self.kms_key_arn is not None


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


@dataclass(frozen=True)
class IngressRule:
    port: int
    cidr: str
    description: str


@dataclass(frozen=True)
class HostsPlan:
    os_family: str
    ami_parameter: str
    instance_type: str
    min_size: int
    max_size: int
    desired: int
    root_volume_gib: int
    vpc_id: str
    subnet_ids: tuple[str, ...]
    ingress: tuple[IngressRule, ...]
    name: str  # of the ASG, launch template, security group, instance profile and Name tag
    instance_profile_name: str
    propagated_tags: tuple[Tag, ...]  # the blueprint's tags, then gen's own (rule GEN019 keeps them apart)
    gmsa_group: str
    description: str
    security_group_waivers: tuple[waivers.Waiver, ...] = waivers.HOST_SECURITY_GROUP
    egress_description: str = "Active Directory, AWS APIs and image registries"
    root_device_name: str = "/dev/sda1"
    volume_type: str = "gp3"
    #: IMDSv2 only, and one hop: containers cannot reach the hosts' instance credentials.
    http_tokens: str = "required"
    metadata_hop_limit: int = 1
    detailed_monitoring: bool = True
    ebs_optimized: bool = True
    cpu_architecture: str = "X86_64"
    #: ECS managed scaling owns the desired capacity once the group exists.
    desired_owned_by_ecs: bool = True


@dataclass(frozen=True)
class ClusterPlan:
    name: str
    capacity_provider: str
    container_insights: str = "enabled"
    managed_scaling: str = "ENABLED"
    target_capacity: int = 100
    #: Off, so that deleting the stack can terminate the hosts.
    managed_termination_protection: str = "DISABLED"


@dataclass(frozen=True)
class ServicePlan:
    name: str
    account: str  # the gMSA the containers run as, as declared in gmsa_accounts
    family: str
    log_group: str
    container: dict[str, Any]  # the ECS API shape, as DescribeTaskDefinition returns it
    desired_count: int
    task_role: RolePlan | None
    minimum_healthy_percent: int
    maximum_percent: int
    placement: tuple[tuple[str, str], ...]  # (type, field)
    logical_id: str
    tf_key: str
    compatibilities: tuple[str, ...] = ("EC2",)
    log_group_waivers: tuple[waivers.Waiver, ...] = waivers.LOG_GROUP
    task_definition_waivers: tuple[waivers.Waiver, ...] = waivers.TASK_DEFINITION
    circuit_breaker: bool = True
    propagate_tags: str = "SERVICE"
    ecs_managed_tags: bool = True
    #: Logs outlive the stack (CloudFormation Retain, Terraform skip_destroy).
    retain_logs: bool = True


@dataclass(frozen=True)
class Output:
    name: str
    description: str
    value: Value


@dataclass(frozen=True)
class Plan:
    """Everything one blueprint builds."""

    name: str
    source: str
    region: str
    partition: str
    tags: tuple[Tag, ...]
    directory: DirectoryPlan
    hosts: HostsPlan
    cluster: ClusterPlan
    store: str
    reference_field: str  # credentialSpecs | dockerSecurityOptions
    bucket: BucketPlan | None
    specs: tuple[SpecPlan, ...]
    host_role: RolePlan
    execution_role: RolePlan
    bootstrap: BootstrapPlan
    services: tuple[ServicePlan, ...]
    log_retention_days: int
    outputs: tuple[Output, ...] = field(default=())

    @property
    def stack_specs(self) -> tuple[SpecPlan, ...]:
        """Specs the stack itself stores: known ones in SSM or S3 (the hosts write the others;
        for S3 and CloudFormation, gen publish does)."""
        return tuple(s for s in self.specs if not s.generated_on_host and s.store in ("ssm", "s3"))

    @property
    def spec_files(self) -> dict[str, str]:
        """Spec files gen writes next to the IaC: one per account whose domain is known."""
        return {s.out_path: s.text for s in self.specs if not s.generated_on_host}

    @property
    def task_roles(self) -> tuple[RolePlan, ...]:
        return tuple(s.task_role for s in self.services if s.task_role is not None)


# --- resolution --------------------------------------------------------------------------------


def build_plan(bp: Blueprint, source: str) -> Plan:
    """Resolve ``bp`` (already valid) into a :class:`Plan`; ``source`` names it in headers."""
    partition = partition_of(bp.region)
    domain = Domain(bp.directory.dns_name, bp.directory.netbios_name, bp.directory.sid, bp.directory.guid,
                    bp.directory.forest)
    directory = _directory(bp)
    bucket = _bucket(bp, partition)
    specs = tuple(_spec(bp, account.name, domain, partition, bucket) for account in bp.gmsa_accounts)
    cluster = ClusterPlan(name=bp.name, capacity_provider=f"{bp.name}-hosts")
    join_secret = bp.hosts.join_secret or (bp.directory.managed.admin_password_secret if bp.directory.managed else "")
    host_role = _host_role(bp, partition, specs, bucket, join_secret)
    execution_role = _execution_role(bp, partition, specs, bucket)
    services = tuple(_service(bp, s, partition, specs) for s in bp.services)
    hosts = _hosts(bp)
    boot = bootstrap.plan_bootstrap(
        name=bp.name,
        region=bp.region,
        directory_name=bp.directory.dns_name,
        netbios_name=bp.directory.netbios_name,
        dns_ips=directory.dns_ips,
        gmsa_group=bp.hosts.gmsa_group,
        join_secret_arn=join_secret,
        cluster_name=cluster.name,
        specs=specs,
        bucket=bucket,
        target=(HOST_TAG_KEY, bp.name),
    )
    plan = Plan(
        name=bp.name,
        source=source,
        region=bp.region,
        partition=partition,
        tags=tuple(Tag(k, v) for k, v in sorted(bp.tags.items())),
        directory=directory,
        hosts=hosts,
        cluster=cluster,
        store=bp.credential_specs.store,
        reference_field=_reference_field(bp),
        bucket=bucket,
        specs=specs,
        host_role=host_role,
        execution_role=execution_role,
        bootstrap=boot,
        services=services,
        log_retention_days=bp.log_retention_days,
    )
    return _with_outputs(plan)


def _directory(bp: Blueprint) -> DirectoryPlan:
    d = bp.directory
    if d.managed is not None:
        managed = ManagedDirectoryPlan(
            logical_id="Directory",
            edition=d.managed.edition,
            password_secret_arn=d.managed.admin_password_secret,
            vpc_id=bp.network.vpc_id,
            subnet_ids=tuple(bp.network.subnet_ids),
        )
        return DirectoryPlan(d.dns_name, d.netbios_name, managed, DIRECTORY_ID, DIRECTORY_DNS_IPS)
    assert d.existing is not None
    return DirectoryPlan(d.dns_name, d.netbios_name, None, d.existing.directory_id, ",".join(d.existing.dns_ips))


def _bucket(bp: Blueprint, partition: str) -> BucketPlan | None:
    options = bp.credential_specs.s3
    if bp.credential_specs.store != "s3" or options is None:
        return None
    name: Value = options.bucket or text(f"{bp.name}-credspecs-", ACCOUNT_ID, f"-{bp.region}")
    arn = text("arn:", expr.partition(partition), ":s3:::", name)
    policy = (policies.tls_only(arn, text(arn, "/*")),) if options.create_bucket else ()
    return BucketPlan(name=name, create=options.create_bucket, arn=arn, kms_key_arn=options.kms_key, policy=policy,
                      waivers=waivers.spec_bucket(options.kms_key))


def _spec(bp: Blueprint, account: str, domain: Domain, partition: str, bucket: BucketPlan | None) -> SpecPlan:
    body = spec_text(credential_spec(account, domain))
    store = bp.credential_specs.store
    common = dict(account=account, text=body, generated_on_host=not domain.is_known, store=store,
                  logical_id=logical_id(account, "CredentialSpec"), tf_key=account)
    if store == "ssm":
        prefix = (bp.credential_specs.ssm.prefix if bp.credential_specs.ssm else None) or f"/{bp.name}/credentialspecs/"
        name = f"{prefix}{account}"
        # The agent takes the text after "parameter" as the name, so the ARN has no extra slash.
        arn = text("arn:", expr.partition(partition), ":ssm:", expr.region(bp.region), ":", ACCOUNT_ID, f":parameter{name}")
        return SpecPlan(**common, location=name, arn=arn, reference=text("credentialspec:", arn),
                        parameter_name=name)
    if store == "s3":
        assert bucket is not None and bp.credential_specs.s3 is not None
        key = f"{bp.credential_specs.s3.key_prefix}{account}.json"
        arn = text(bucket.arn, f"/{key}")
        return SpecPlan(**common, location=text("s3://", bucket.name, f"/{key}"), arn=arn,
                        reference=text("credentialspec:", arn), bucket=bucket.name, key=key)
    file_name = f"{account}.json"
    return SpecPlan(**common, location=f"{DOCKER_CREDSPEC_DIR}\\{file_name}", arn=None,
                    reference=f"credentialspec:file://{file_name}", file_name=file_name)


def secret_arn(value_from: str) -> str:
    """The secret's own ARN in a ``valueFrom`` that may go on to a JSON key, stage and version
    (``arn:...:secret:name-AbCdEf:password::``): IAM matches the secret's ARN only."""
    return ":".join(value_from.split(":")[:7])


def _role_arn(partition: str, name: str) -> Value:
    return text("arn:", expr.partition(partition), ":iam::", ACCOUNT_ID, f":role/{name}")


def _managed_policy(partition: str, name: str) -> str:
    return f"arn:{partition}:iam::aws:policy/{name}"


def _host_role(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...], bucket: BucketPlan | None,
               join_secret: str) -> RolePlan:
    statements = [policies.read_join_secret(join_secret)]
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


def _execution_role(bp: Blueprint, partition: str, specs: tuple[SpecPlan, ...],
                    bucket: BucketPlan | None) -> RolePlan:
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


def _hosts(bp: Blueprint) -> HostsPlan:
    release = WINDOWS_RELEASES[bp.hosts.os]
    ingress = tuple(
        IngressRule(s.port, cidr, f"{s.name} from {cidr}")
        for s in bp.services
        if s.port is not None
        for cidr in bp.network.allowed_cidrs
    )
    name = f"{bp.name}-hosts"
    return HostsPlan(
        os_family=release.os_family,
        ami_parameter=release.ami_parameter,
        instance_type=bp.hosts.instance_type,
        min_size=bp.hosts.min,
        max_size=bp.hosts.max,
        desired=bp.hosts.desired,
        root_volume_gib=bp.hosts.root_volume_gib,
        vpc_id=bp.network.vpc_id,
        subnet_ids=tuple(bp.network.subnet_ids),
        ingress=ingress,
        name=name,
        instance_profile_name=f"{bp.name}-host",
        propagated_tags=(*(Tag(k, v) for k, v in sorted(bp.tags.items())), *(Tag(k, v) for k, v in host_tags(bp.name))),
        gmsa_group=bp.hosts.gmsa_group,
        description=f"ECS container hosts of {bp.name}",
    )


def _deployment_percentages(service: Service) -> tuple[int, int]:
    """Minimum healthy and maximum percent of a rolling deployment.

    A published host port allows one task of the service per host, so a deployment cannot start
    extra tasks (maximum 100%) and must stop one first: ECS rounds the minimum up, so a single
    task needs 0% or it could never be replaced.
    """
    if service.port is None:
        return 100, 200
    return (0 if service.desired_count <= 1 else 50), 100


def _reference_field(bp: Blueprint) -> str:
    """The container definition field that carries the spec reference (one element, at most)."""
    return "credentialSpecs" if bp.credential_specs.reference == "credential_specs" else "dockerSecurityOptions"


def _service(bp: Blueprint, service: Service, partition: str, specs: tuple[SpecPlan, ...]) -> ServicePlan:
    spec = next(s for s in specs if s.account.lower() == service.gmsa.lower())
    release = WINDOWS_RELEASES[bp.hosts.os]
    log_group = f"/ecs/{bp.name}/{service.name}"
    container: dict[str, Any] = {
        "name": service.name,
        "image": service.image,
        "cpu": service.cpu,
        "memory": service.memory,
        "essential": True,
    }
    if service.port is not None:
        container["portMappings"] = [{"containerPort": service.port, "hostPort": service.port, "protocol": "tcp"}]
    container[_reference_field(bp)] = [spec.reference]
    hostname = service.gmsa if release.hostname_must_match_account else service.hostname
    if hostname is not None:
        container["hostname"] = hostname
    if service.environment:
        container["environment"] = [{"name": k, "value": v} for k, v in sorted(service.environment.items())]
    if service.secrets:
        container["secrets"] = [{"name": k, "valueFrom": v} for k, v in sorted(service.secrets.items())]
    container["logConfiguration"] = {
        "logDriver": "awslogs",
        "options": {"awslogs-group": log_group, "awslogs-region": bp.region, "awslogs-stream-prefix": service.name},
    }
    task_role = None
    if service.task_role is not None:
        task_role = RolePlan(
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
    minimum, maximum = _deployment_percentages(service)
    return ServicePlan(
        name=service.name,
        account=spec.account,
        family=f"{bp.name}-{service.name}",
        log_group=log_group,
        container=container,
        desired_count=service.desired_count,
        task_role=task_role,
        minimum_healthy_percent=minimum,
        maximum_percent=maximum,
        placement=(("spread", "attribute:ecs.availability-zone"), ("spread", "instanceId")),
        logical_id=logical_id(service.name),
        tf_key=service.name,
    )


def _with_outputs(plan: Plan) -> Plan:
    outputs = [
        Output("ClusterName", "ECS cluster of the services", plan.cluster.name),
        Output("HostRoleArn", "Role of the container hosts", plan.host_role.arn),
        Output("TaskExecutionRoleArn", "Task execution role (reads the credential specs)", plan.execution_role.arn),
        Output("DirectoryDnsIps", "DNS addresses of the directory", plan.directory.dns_ips),
    ]
    if plan.directory.directory_id is not None:
        outputs.insert(1, Output("DirectoryId", "Directory Service id", plan.directory.directory_id))
    for spec in plan.specs:
        outputs.append(Output(logical_id(spec.account, "CredentialSpec"), f"Where the credential spec of {spec.account} is stored", spec.location))
    return Plan(**{**plan.__dict__, "outputs": tuple(outputs)})

