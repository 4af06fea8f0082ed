"""The blueprint's shape: typed, documented models with unknown keys forbidden.

This is the contract users write (version 1). The JSON Schema that editors use comes from these
models (``gen schema``), so every field carries a description. Checks that involve more than one
field live in :mod:`generator.blueprint.rules`, as named rules.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from generator.blueprint.load_balancing import Autoscaling, Deployment, HealthCheck, LoadBalancer, Route
from generator.blueprint.types import (
    ACCOUNT_RE,
    BUCKET_RE,
    DIRECTORY_ID_RE,
    DNS_NAME_RE,
    ENV_NAME_RE,
    ENVIRONMENT_RE,
    GROUP_RE,
    GUID_RE,
    IMAGE_RE,
    INSTANCE_TYPE_RE,
    KEY_PREFIX_RE,
    KMS_ARN_RE,
    NAME_RE,
    PLATFORM_VERSION_RE,
    POLICY_ARN_RE,
    REGION_RE,
    SERVICE_RE,
    SID_RE,
    SSM_PREFIX_RE,
    SUBNET_RE,
    TAG_KEY_RE,
    VPC_RE,
    AccountName,
    Cidr,
    DnsName,
    IPv4,
    NetbiosName,
    OsName,
    SecretArn,
    Strict,
    ValueArn,
    optional_patterned,
    patterned,
)

# --- sections ----------------------------------------------------------------------------------


class Network(Strict):
    """Where the directory and the container hosts live."""

    vpc_id: Annotated[str, patterned(VPC_RE, "The VPC of the hosts (and of a managed directory)")]
    subnet_ids: list[Annotated[str, patterned(SUBNET_RE, "A private subnet")]] = Field(
        min_length=1,
        description="Subnets for the hosts' Auto Scaling group. A managed directory uses exactly two, in two Availability Zones.",
    )
    allowed_cidrs: list[Cidr] = Field(
        default_factory=list,
        description="Networks allowed to reach the fixed host ports of services without a route (and the load "
        "balancer's listeners, unless load_balancer.allowed_cidrs says otherwise). Empty: no inbound rule.",
    )
    dns_forwarding: bool = Field(
        default=False,
        description="Create a Route 53 Resolver outbound endpoint and rule that forward the domain's names to its DNS "
        "servers, so the VPC's resolver answers them: what hosts that do not join the domain, and Fargate tasks, "
        "resolve it with (otherwise give the VPC DHCP options that do).",
    )
    allow_internet_ingress: bool = Field(
        default=False,
        description="Opt in to 0.0.0.0/0 in allowed_cidrs: the services' ports are then open to the internet "
        "wherever the subnets are reachable from it (rule GEN024).",
    )


class ManagedDirectory(Strict):
    """Create an AWS Managed Microsoft AD."""

    edition: Literal["Standard", "Enterprise"] = Field(
        default="Enterprise", description="Directory edition; Enterprise is AWS's default."
    )
    admin_password_secret: SecretArn = Field(
        description='Secret holding the directory Admin password as JSON {"username": "Admin", "password": "..."}, '
        "as its ARN or {arn, kms_key}; read at deploy time and by the one-shot directory setup, never by the "
        "container hosts, never written into output."
    )


class ExistingDirectory(Strict):
    """Use a directory that already exists: AWS Managed Microsoft AD, AD Connector or on-premises."""

    directory_id: Annotated[str, Field(pattern=DIRECTORY_ID_RE)] | None = optional_patterned(
        DIRECTORY_ID_RE, "Its Directory Service id, if it has one (not for an on-premises domain)"
    )
    dns_ips: list[IPv4] = Field(min_length=1, description="DNS servers of the domain, reachable from the hosts.")


class Directory(Strict):
    """The Active Directory domain the hosts join and the gMSAs belong to."""

    dns_name: DnsName
    netbios_name: NetbiosName
    forest: Annotated[str, Field(pattern=DNS_NAME_RE)] | None = optional_patterned(
        DNS_NAME_RE, "DNS name of the forest root, for a child domain; default dns_name"
    )
    sid: Annotated[str, Field(pattern=SID_RE)] | None = optional_patterned(
        SID_RE, "Domain SID (Get-ADDomain DomainSID); omit it and the hosts generate the specs once joined"
    )
    guid: Annotated[str, Field(pattern=GUID_RE)] | None = optional_patterned(
        GUID_RE, "Domain object GUID (Get-ADDomain ObjectGUID); omit it and the hosts generate the specs once joined"
    )
    managed: ManagedDirectory | None = Field(default=None, description="Create an AWS Managed Microsoft AD.")
    existing: ExistingDirectory | None = Field(default=None, description="Use a directory that exists.")


class Hosts(Strict):
    """The Auto Scaling group of ECS container instances: Windows or Linux, joined to the domain or not."""

    platform: Literal["windows", "linux"] = Field(
        default="windows", description="windows (ECS-optimized Windows Server) or linux (ECS-optimized Amazon Linux 2023)."
    )
    os: OsName = Field(
        description="The ECS-optimized AMI: a Windows Server edition, or amazon-linux-2023 with platform: linux."
    )
    instance_type: Annotated[str, patterned(INSTANCE_TYPE_RE, "EC2 instance type")]
    min: int = Field(ge=0, le=1000, description="Fewest instances.")
    max: int = Field(ge=1, le=1000, description="Most instances.")
    desired: int | None = Field(
        default=None, ge=0, le=1000,
        description="Retired: ECS managed scaling decides how many hosts run, between min and max (the group "
        "starts at min); the value is ignored, with warning GEN026.",
    )
    gmsa_group: Annotated[str, Field(pattern=GROUP_RE)] | None = optional_patterned(
        GROUP_RE, "AD security group allowed to retrieve the gMSA passwords; every host joins it (domain-joined mode; "
        "with domainless, the group of the domainless user, default <name>-gmsa-readers)",
    )
    join_secret: SecretArn | None = Field(
        default=None,
        description='Secret with JSON {"username", "password"} of an AD account that may join computers and add '
        "them to gmsa_group, as its ARN or {arn, kms_key}. Required with an existing directory; with a managed one "
        "gen creates that account and its secret itself.",
    )
    root_volume_gib: int = Field(default=60, ge=30, le=16384, description="Encrypted root volume size in GiB.")


class Fargate(Strict):
    """Linux tasks on AWS Fargate, instead of hosts: domainless gMSA, specs in S3."""

    platform_version: Annotated[str, patterned(PLATFORM_VERSION_RE, "Fargate platform version, 1.4.0 or later")] = "LATEST"


class SsmStore(Strict):
    """Options of the SSM Parameter Store spec store."""

    prefix: Annotated[str, Field(pattern=SSM_PREFIX_RE)] | None = optional_patterned(
        SSM_PREFIX_RE, "Parameter name prefix; default /<name>/credentialspecs/"
    )


class S3Store(Strict):
    """Options of the S3 spec store."""

    bucket: Annotated[str, Field(pattern=BUCKET_RE)] | None = optional_patterned(BUCKET_RE, "Bucket holding the specs")
    create_bucket: bool = Field(
        default=False,
        description="Create the bucket (encrypted, versioned, private, TLS only); without a name it is <name>-credspecs-<account>-<region>.",
    )
    key_prefix: Annotated[str, patterned(KEY_PREFIX_RE, "Key prefix of the spec objects")] = "credentialspecs/"
    kms_key: Annotated[str, Field(pattern=KMS_ARN_RE)] | None = optional_patterned(
        KMS_ARN_RE, "Customer managed KMS key that encrypts the objects"
    )


class CredentialSpecs(Strict):
    """Where credential specs are stored and how containers refer to them."""

    store: Literal["ssm", "s3", "file"] = Field(default="ssm", description="ssm | s3 | file (on each host).")
    reference: Literal["credential_specs", "docker_security_options"] = Field(
        default="credential_specs",
        description="credential_specs (the CredentialSpecs field) or docker_security_options (legacy).",
    )
    ssm: SsmStore | None = Field(default=None, description="Options when store is ssm.")
    s3: S3Store | None = Field(default=None, description="Options when store is s3.")
    mode: Literal["domain-joined", "domainless"] = Field(
        default="domain-joined",
        description="domain-joined (hosts join the domain and may retrieve the gMSA passwords) or domainless (an AD "
        "user, whose credentials are in domainless_secret, retrieves them for each task; the hosts join nothing).",
    )
    domainless_secret: SecretArn | None = Field(
        default=None,
        description='Secret with JSON {"username", "password", "domainName"} of an AD user allowed to retrieve the '
        "gMSA passwords, as its ARN or {arn, kms_key}; required with domainless and an existing directory (with a "
        "managed one gen creates that user and its secret).",
    )


class GmsaAccount(Strict):
    """A group Managed Service Account that containers run as."""

    name: AccountName


class TaskRole(Strict):
    """An IAM role for the application in the task."""

    managed_policy_arns: list[Annotated[str, patterned(POLICY_ARN_RE, "Managed policy to attach")]] = Field(
        min_length=1, description="Managed policies the application needs."
    )


class Service(Strict):
    """A container service that runs as a gMSA."""

    name: Annotated[str, patterned(SERVICE_RE, "Service name")]
    gmsa: Annotated[str, patterned(ACCOUNT_RE, "The gMSA account the container runs as")]
    image: Annotated[str, patterned(IMAGE_RE, "Container image")]
    cpu: int = Field(description="CPU units for the container (1024 = one vCPU).")
    memory: int = Field(description="Memory hard limit in MiB.")
    port: int | None = Field(
        default=None, ge=1, le=65535,
        description="Container port. In the default network mode it is published on the same host port (a dynamic "
        "one, picked by the ECS agent, when the service has a route); in awsvpc mode it is the port of the task's "
        "own network interface.",
    )
    network_mode: Literal["default", "awsvpc"] | None = Field(
        default=None,
        description="default (NAT, ports published on the host) or awsvpc (a network interface per task); default: "
        "awsvpc when the service has a task_role, where the ECS agent routes the task to its credentials itself.",
    )
    desired_count: int = Field(default=1, ge=0, le=1000, description="Tasks to keep running.")
    hostname: str | None = Field(
        default=None, description="Container hostname; on Windows Server 2016 hosts it is the gMSA name."
    )
    environment: dict[Annotated[str, patterned(ENV_NAME_RE, "Variable name")], str] = Field(
        default_factory=dict, description="Plain environment variables (never secrets)."
    )
    secrets: dict[Annotated[str, patterned(ENV_NAME_RE, "Variable name")], ValueArn] = Field(
        default_factory=dict,
        description="Environment variables filled from Secrets Manager or SSM at start: an ARN, or {arn, kms_key}.",
    )
    task_role: TaskRole | None = Field(default=None, description="IAM role for the application, if it calls AWS.")
    read_only_root_filesystem: bool = Field(
        default=False,
        description="Linux only: mount the container's root file system read-only (readonlyRootFilesystem). The "
        "Kerberos tickets credentials-fetcher writes are a volume the agent mounts, so gMSA keeps working. Windows "
        "containers do not support it.",
    )
    route: Route | None = Field(
        default=None,
        description="Put the service behind load_balancer: requests matching this route go to its tasks, on dynamic "
        "host ports (or the task's own address in awsvpc mode).",
    )
    health_check: HealthCheck | None = Field(
        default=None, description="Health checks of a routed service; the defaults apply without it."
    )
    autoscaling: Autoscaling | None = Field(
        default=None, description="Scale the task count on CPU; desired_count is then ignored after the first deploy."
    )
    deployment: Deployment | None = Field(default=None, description="Rolling deployment percentages.")
    not_secret: list[Annotated[str, patterned(ENV_NAME_RE, "Variable name")]] = Field(
        default_factory=list,
        description="Reviewed opt-out of rule GEN014: names under environment whose name or value looks like a "
        "secret but is not (for example PASSWORD_MIN_LENGTH). List a name only after checking its value; each "
        "must be under environment.",
    )


class Blueprint(Strict):
    """A gen blueprint: one declarative description of a gMSA-enabled ECS system."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        regex_engine="python-re",
        title="gen blueprint",
        json_schema_extra={
            "$id": "https://gen.dev/schema/blueprint-v1.json",
            "patternProperties": {"^x-": {"description": "Your own keys, ignored by gen: a place for YAML anchors."}},
        },
    )

    version: Literal[1] = Field(description="Blueprint language version.")
    name: Annotated[str, patterned(NAME_RE, "Prefixes every resource name")]
    region: Annotated[str, patterned(REGION_RE, "AWS region; the partition follows from it")]
    tags: dict[Annotated[str, patterned(TAG_KEY_RE, "Tag key")], str] = Field(
        default_factory=dict, description="Tags on every resource that takes them."
    )
    not_secret_tags: list[Annotated[str, patterned(TAG_KEY_RE, "Tag key")]] = Field(
        default_factory=list,
        description="Reviewed opt-out of rule GEN014: tag keys whose name or value looks like a secret but is "
        "not (for example password-policy). List a key only after checking its value; each must be under tags.",
    )
    log_retention_days: Literal[
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653
    ] = Field(default=365, description="CloudWatch Logs retention of the services' logs.")
    network: Network = Field(description="Where the directory and the container hosts live.")
    directory: Directory = Field(description="The Active Directory domain the hosts join and the gMSAs belong to.")
    hosts: Hosts | None = Field(default=None, description="The Auto Scaling group of ECS container instances.")
    fargate: Fargate | None = Field(default=None, description="Run the services on AWS Fargate instead of hosts.")
    credential_specs: CredentialSpecs = Field(
        default_factory=CredentialSpecs, description="Where credential specs are stored and how containers refer to them."
    )
    gmsa_accounts: list[GmsaAccount] = Field(min_length=1, description="gMSA accounts the services use.")
    load_balancer: LoadBalancer | None = Field(
        default=None, description="An Application Load Balancer for the services that have a route."
    )
    services: list[Service] = Field(default_factory=list, description="Container services.")
    environments: dict[Annotated[str, patterned(ENVIRONMENT_RE, "Environment name")], dict[str, Any]] = Field(
        default_factory=dict,
        description="Deployments of this blueprint, each a partial blueprint deep-merged over the rest of the file "
        "(mappings key by key, services and gmsa_accounts item by item by name, other lists replaced; null "
        "removes a key, {name: x, remove: true} an item; name and version stay). Each renders to "
        "out/<name>-<environment>/ with every resource name prefixed <name>-<environment>.",
    )

    # What the language means by default, asked by the rules and the plan alike.

    @property
    def platform(self) -> str:
        """Where the containers run: windows or linux hosts, or fargate."""
        if self.fargate is not None or self.hosts is None:
            return "fargate"
        return self.hosts.platform

    @property
    def domainless(self) -> bool:
        return self.credential_specs.mode == "domainless"

    def awsvpc(self, service: Service) -> bool:
        """Whether ``service`` runs in awsvpc mode: always on Fargate; as written; else on Windows
        when it has a task role (the agent then routes the task to its credentials itself)."""
        if self.platform == "fargate":
            return True
        if service.network_mode is not None:
            return service.network_mode == "awsvpc"
        return self.platform == "windows" and service.task_role is not None

    def host_port(self, service: Service) -> int | None:
        """The fixed port ``service`` publishes on its host: its port, outside awsvpc mode and
        unless it is routed (the agent then picks a dynamic host port for each task)."""
        return None if self.awsvpc(service) or self.routed(service) else service.port

    def most_tasks(self, service: Service) -> int:
        """The most tasks ``service`` runs at once: autoscaling's maximum, else desired_count."""
        return service.autoscaling.max if service.autoscaling is not None else service.desired_count

    def routed(self, service: Service) -> bool:
        """Whether ``service`` sits behind the load balancer."""
        return service.route is not None and self.load_balancer is not None

    @property
    def task_roles_enabled(self) -> bool:
        """Whether the hosts run the agent's credential proxy for task roles (which takes host
        port 80 on Windows): only when some service has a task role."""
        return any(s.task_role is not None for s in self.services)

    @property
    def awsvpc_enabled(self) -> bool:
        """Whether the hosts enable task networking: only when some service runs in awsvpc mode."""
        return any(self.awsvpc(s) for s in self.services)
