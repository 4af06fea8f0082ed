"""The blueprint's shape: typed, documented models with unknown keys forbidden.

This is the contract users write (version 1). The JSON Schema that editors use comes from these
models (``gen schema``), so every field carries a description. Checks that involve more than one
field live in :mod:`generator.blueprint.rules`, as named rules.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# --- value types -------------------------------------------------------------------------------
# Each pattern type has a name used in messages and an example used in hints (see PATTERNS).
# pydantic searches a pattern (re.search), and Python's "$" also matches before a final newline,
# so every pattern is anchored with "^" and "\Z" to match the whole value ("web\n" is not a
# name); character classes are ASCII ("[0-9]", never "\d", which matches other digits). The JSON
# Schema writes "\Z" as "$", which means the same in the ECMAScript dialect it uses.

NAME_RE = r"^[a-z][a-z0-9-]{0,22}[a-z0-9]\Z"
REGION_RE = r"^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-[a-z]+-[1-9]\Z"
VPC_RE = r"^vpc-([0-9a-f]{8}|[0-9a-f]{17})\Z"
SUBNET_RE = r"^subnet-([0-9a-f]{8}|[0-9a-f]{17})\Z"
DIRECTORY_ID_RE = r"^d-[0-9a-f]{10}\Z"
DNS_NAME_RE = r"^(?=.{1,253}\Z)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\Z"
NETBIOS_RE = r"^[A-Za-z0-9][A-Za-z0-9-]{0,14}\Z"
SID_RE = r"^S-1-5-21-[0-9]{1,10}-[0-9]{1,10}-[0-9]{1,10}\Z"
GUID_RE = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"
ACCOUNT_RE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}\Z"
GROUP_RE = r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}\Z"
SERVICE_RE = r"^[a-z][a-z0-9-]{0,30}[a-z0-9]\Z"
SECRET_ARN_RE = r"^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+\Z"
SECRET_REF_RE = (
    r"^arn:aws(-cn|-us-gov)?:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@:-]+"
    r"|ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9/_.-]+)\Z"
)
KMS_ARN_RE = r"^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}\Z"
POLICY_ARN_RE = r"^arn:aws(-cn|-us-gov)?:iam::([0-9]{12}|aws):policy/[A-Za-z0-9/_+=,.@-]+\Z"
INSTANCE_TYPE_RE = r"^[a-z][a-z0-9-]*\.[a-z0-9]+\Z"
BUCKET_RE = r"^(?!xn--)(?!.*-s3alias\Z)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z"
SSM_PREFIX_RE = r"^/([A-Za-z0-9_.-]+/)*\Z"
KEY_PREFIX_RE = r"^([A-Za-z0-9!_.'()-]+/)*\Z"
ENV_NAME_RE = r"^[A-Za-z_][A-Za-z0-9_]*\Z"
IMAGE_RE = r"^[A-Za-z0-9][A-Za-z0-9./_:@-]{0,254}\Z"
TAG_KEY_RE = r"^(?!aws:)[A-Za-z0-9 _.:/=+@-]{1,128}\Z"

#: pattern -> (what the value must be, an example), for messages that a person can act on.
PATTERNS: dict[str, tuple[str, str]] = {
    NAME_RE: ("2-24 lower-case letters, digits or '-', starting with a letter", "webapp"),
    REGION_RE: ("an AWS region code", "us-east-1"),
    VPC_RE: ("a VPC id", "vpc-0a1b2c3d4e5f60718"),
    SUBNET_RE: ("a subnet id", "subnet-0a1b2c3d4e5f60718"),
    DIRECTORY_ID_RE: ("a Directory Service id", "d-9067012345"),
    DNS_NAME_RE: ("a fully qualified DNS domain name", "corp.example.com"),
    NETBIOS_RE: ("a NetBIOS domain name of 1-15 letters, digits or '-'", "CORP"),
    SID_RE: ("a domain SID (S-1-5-21- and three numbers)", "S-1-5-21-2554468230-2647958158-2204241789"),
    GUID_RE: ("a GUID", "8665abd4-e947-4dd0-9a51-f8254943c90b"),
    ACCOUNT_RE: (
        "a gMSA account name: at most 15 letters, digits, '.', '_' or '-' (the sAMAccountName limit, without the trailing $)",
        "WebApp01",
    ),
    GROUP_RE: ("an Active Directory group name", "WebAppHosts"),
    SERVICE_RE: ("2-32 lower-case letters, digits or '-', starting with a letter", "web"),
    SECRET_ARN_RE: (
        "a Secrets Manager secret ARN",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:webapp/ad-admin-AbCdEf",
    ),
    SECRET_REF_RE: (
        "a Secrets Manager secret ARN or an SSM parameter ARN",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:webapp/db-AbCdEf",
    ),
    KMS_ARN_RE: ("a KMS key ARN", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    POLICY_ARN_RE: ("an IAM managed policy ARN", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
    INSTANCE_TYPE_RE: ("an EC2 instance type", "m5.large"),
    BUCKET_RE: ("an S3 bucket name", "webapp-credspecs"),
    SSM_PREFIX_RE: ("an SSM parameter path that starts and ends with '/'", "/webapp/credentialspecs/"),
    KEY_PREFIX_RE: ("an S3 key prefix: empty, or folders of letters, digits and !_.'()- each ending with '/'", "credentialspecs/"),
    ENV_NAME_RE: ("an environment variable name", "ASPNETCORE_ENVIRONMENT"),
    IMAGE_RE: ("a container image reference", "mcr.microsoft.com/dotnet/framework/aspnet:4.8"),
    TAG_KEY_RE: ("a tag key (not starting with 'aws:')", "team"),
}


def _pattern(regex: str, description: str) -> object:
    what, example = PATTERNS[regex]
    return Field(pattern=regex, description=f"{description} ({what}).", examples=[example])


def _optional(regex: str, description: str, default: object = None) -> object:
    """The field-level description of an optional patterned key (pydantic would otherwise bury it
    inside the schema's anyOf, where editors do not show it)."""
    what, example = PATTERNS[regex]
    return Field(default=default, description=f"{description} ({what}).", examples=[example])


def _ipv4(value: str) -> str:
    ipaddress.IPv4Address(value)
    return value


def _cidr(value: str) -> str:
    ipaddress.IPv4Network(value, strict=True)
    return value


IPv4 = Annotated[str, AfterValidator(_ipv4), Field(description="An IPv4 address.", examples=["10.0.0.10"])]
Cidr = Annotated[str, AfterValidator(_cidr), Field(description="An IPv4 CIDR block.", examples=["10.0.0.0/16"])]

DnsName = Annotated[str, _pattern(DNS_NAME_RE, "The domain's DNS name")]
NetbiosName = Annotated[str, _pattern(NETBIOS_RE, "The domain's NetBIOS name")]
DomainSid = Annotated[str, _pattern(SID_RE, "Domain SID; omit it and the hosts generate the specs once joined")]
DomainGuid = Annotated[str, _pattern(GUID_RE, "Domain object GUID; omit it and the hosts generate the specs once joined")]
AccountName = Annotated[str, _pattern(ACCOUNT_RE, "gMSA account name")]

OsName = Literal[
    "windows-server-2016-full",
    "windows-server-2019-full",
    "windows-server-2019-core",
    "windows-server-2022-full",
    "windows-server-2022-core",
    "windows-server-2025-full",
    "windows-server-2025-core",
]


#: Where a value sits in a blueprint: keys and list indexes from the top, e.g. ("services", 1, "gmsa").
Loc = tuple[str | int, ...]

#: Top-level keys with this prefix are ignored, like docker-compose's extension fields.
EXTENSION_PREFIX = "x-"


class Strict(BaseModel):
    """Base of every blueprint section: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, regex_engine="python-re")


# --- sections ----------------------------------------------------------------------------------


class Network(Strict):
    """Where the directory and the container hosts live."""

    vpc_id: Annotated[str, _pattern(VPC_RE, "The VPC of the hosts (and of a managed directory)")]
    subnet_ids: list[Annotated[str, _pattern(SUBNET_RE, "A private subnet")]] = Field(
        min_length=1,
        description="Subnets for the hosts' Auto Scaling group. A managed directory uses exactly two, in two Availability Zones.",
    )
    allowed_cidrs: list[Cidr] = Field(
        default_factory=list,
        description="Networks allowed to reach the services' ports on the hosts. Empty: no inbound rule.",
    )


class ManagedDirectory(Strict):
    """Create an AWS Managed Microsoft AD."""

    edition: Literal["Standard", "Enterprise"] = Field(
        default="Enterprise", description="Directory edition; Enterprise is AWS's default."
    )
    admin_password_secret: Annotated[
        str,
        _pattern(
            SECRET_ARN_RE,
            'Secret holding the directory Admin password as JSON {"username": "Admin", "password": "..."}; '
            "read at deploy time, never written into output",
        ),
    ]


class ExistingDirectory(Strict):
    """Use a directory that already exists: AWS Managed Microsoft AD, AD Connector or on-premises."""

    directory_id: Annotated[str, Field(pattern=DIRECTORY_ID_RE)] | None = _optional(
        DIRECTORY_ID_RE, "Its Directory Service id, if it has one (not for an on-premises domain)"
    )
    dns_ips: list[IPv4] = Field(min_length=1, description="DNS servers of the domain, reachable from the hosts.")


class Directory(Strict):
    """The Active Directory domain the hosts join and the gMSAs belong to."""

    dns_name: DnsName
    netbios_name: NetbiosName
    forest: Annotated[str, Field(pattern=DNS_NAME_RE)] | None = _optional(
        DNS_NAME_RE, "DNS name of the forest root, for a child domain; default dns_name"
    )
    sid: Annotated[str, Field(pattern=SID_RE)] | None = _optional(
        SID_RE, "Domain SID (Get-ADDomain DomainSID); omit it and the hosts generate the specs once joined"
    )
    guid: Annotated[str, Field(pattern=GUID_RE)] | None = _optional(
        GUID_RE, "Domain object GUID (Get-ADDomain ObjectGUID); omit it and the hosts generate the specs once joined"
    )
    managed: ManagedDirectory | None = Field(default=None, description="Create an AWS Managed Microsoft AD.")
    existing: ExistingDirectory | None = Field(default=None, description="Use a directory that exists.")


class Hosts(Strict):
    """The domain-joined Auto Scaling group of ECS container instances."""

    os: OsName = Field(description="Windows Server edition of the ECS-optimized AMI.")
    instance_type: Annotated[str, _pattern(INSTANCE_TYPE_RE, "EC2 instance type")]
    min: int = Field(ge=0, le=1000, description="Fewest instances.")
    max: int = Field(ge=1, le=1000, description="Most instances.")
    desired: int = Field(ge=0, le=1000, description="Instances at creation; ECS managed scaling adjusts it later.")
    gmsa_group: Annotated[
        str, _pattern(GROUP_RE, "AD security group allowed to retrieve the gMSA passwords; every host joins it")
    ]
    join_secret: Annotated[str, Field(pattern=SECRET_ARN_RE)] | None = _optional(
        SECRET_ARN_RE,
        'Secret with JSON {"username", "password"} of an AD account that may join computers and add them to '
        "gmsa_group; defaults to the managed directory's admin secret",
    )
    root_volume_gib: int = Field(default=60, ge=30, le=16384, description="Encrypted root volume size in GiB.")


class SsmStore(Strict):
    """Options of the SSM Parameter Store spec store."""

    prefix: Annotated[str, Field(pattern=SSM_PREFIX_RE)] | None = _optional(
        SSM_PREFIX_RE, "Parameter name prefix; default /<name>/credentialspecs/"
    )


class S3Store(Strict):
    """Options of the S3 spec store."""

    bucket: Annotated[str, Field(pattern=BUCKET_RE)] | None = _optional(BUCKET_RE, "Bucket holding the specs")
    create_bucket: bool = Field(
        default=False,
        description="Create the bucket (encrypted, versioned, private, TLS only); without a name it is <name>-credspecs-<account>-<region>.",
    )
    key_prefix: Annotated[str, _pattern(KEY_PREFIX_RE, "Key prefix of the spec objects")] = "credentialspecs/"
    kms_key: Annotated[str, Field(pattern=KMS_ARN_RE)] | None = _optional(
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


class GmsaAccount(Strict):
    """A group Managed Service Account that containers run as."""

    name: AccountName


class TaskRole(Strict):
    """An IAM role for the application in the task."""

    managed_policy_arns: list[Annotated[str, _pattern(POLICY_ARN_RE, "Managed policy to attach")]] = Field(
        min_length=1, description="Managed policies the application needs."
    )


class Service(Strict):
    """A Windows container service that runs as a gMSA."""

    name: Annotated[str, _pattern(SERVICE_RE, "Service name")]
    gmsa: Annotated[str, _pattern(ACCOUNT_RE, "The gMSA account the container runs as")]
    image: Annotated[str, _pattern(IMAGE_RE, "Container image")]
    cpu: int = Field(description="CPU units for the container (1024 = one vCPU).")
    memory: int = Field(description="Memory hard limit in MiB.")
    port: int | None = Field(default=None, ge=1, le=65535, description="Container port, published on the same host port.")
    desired_count: int = Field(default=1, ge=0, le=1000, description="Tasks to keep running.")
    hostname: str | None = Field(
        default=None, description="Container hostname; on Windows Server 2016 hosts it is the gMSA name."
    )
    environment: dict[Annotated[str, _pattern(ENV_NAME_RE, "Variable name")], str] = Field(
        default_factory=dict, description="Plain environment variables (never secrets)."
    )
    secrets: dict[
        Annotated[str, _pattern(ENV_NAME_RE, "Variable name")],
        Annotated[str, _pattern(SECRET_REF_RE, "Where the value is kept")],
    ] = Field(default_factory=dict, description="Environment variables filled from Secrets Manager or SSM at start.")
    task_role: TaskRole | None = Field(default=None, description="IAM role for the application, if it calls AWS.")
    not_secret: list[Annotated[str, _pattern(ENV_NAME_RE, "Variable name")]] = Field(
        default_factory=list,
        description="Reviewed opt-out of rule GEN014: names under environment whose name or value looks like a "
        "secret but is not (for example PASSWORD_MIN_LENGTH). List a name only after checking its value; each "
        "must be under environment.",
    )


class Blueprint(Strict):
    """A gen blueprint: one declarative description of a gMSA-enabled Windows ECS system."""

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
    name: Annotated[str, _pattern(NAME_RE, "Prefixes every resource name")]
    region: Annotated[str, _pattern(REGION_RE, "AWS region; the partition follows from it")]
    tags: dict[Annotated[str, _pattern(TAG_KEY_RE, "Tag key")], str] = Field(
        default_factory=dict, description="Tags on every resource that takes them."
    )
    not_secret_tags: list[Annotated[str, _pattern(TAG_KEY_RE, "Tag key")]] = Field(
        default_factory=list,
        description="Reviewed opt-out of rule GEN014: tag keys whose name or value looks like a secret but is "
        "not (for example password-policy). List a key only after checking its value; each must be under tags.",
    )
    log_retention_days: Literal[
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653
    ] = Field(default=365, description="CloudWatch Logs retention of the services' logs.")
    network: Network = Field(description="Where the directory and the container hosts live.")
    directory: Directory = Field(description="The Active Directory domain the hosts join and the gMSAs belong to.")
    hosts: Hosts = Field(description="The domain-joined Auto Scaling group of ECS container instances.")
    credential_specs: CredentialSpecs = Field(
        default_factory=CredentialSpecs, description="Where credential specs are stored and how containers refer to them."
    )
    gmsa_accounts: list[GmsaAccount] = Field(min_length=1, description="gMSA accounts the services use.")
    services: list[Service] = Field(default_factory=list, description="Container services.")
