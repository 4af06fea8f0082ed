"""The blueprint's value types: patterns with what they mean and an example, named string types,
and secret references. :mod:`generator.blueprint.model` builds the sections from them; messages
and rules read the same patterns.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

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
PLATFORM_VERSION_RE = r"^(LATEST|[0-9]+\.[0-9]+\.[0-9]+)\Z"
SSM_PREFIX_RE = r"^/([A-Za-z0-9_.-]+/)*\Z"
KEY_PREFIX_RE = r"^([A-Za-z0-9!_.'()-]+/)*\Z"
ENV_NAME_RE = r"^[A-Za-z_][A-Za-z0-9_]*\Z"
IMAGE_RE = r"^[A-Za-z0-9][A-Za-z0-9./_:@-]{0,254}\Z"
TAG_KEY_RE = r"^(?!aws:)[A-Za-z0-9 _.:/=+@-]{1,128}\Z"
ENVIRONMENT_RE = r"^[a-z]([a-z0-9-]{0,14}[a-z0-9])?\Z"
CERTIFICATE_ARN_RE = r"^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}\Z"
#: ALB condition values, 128 characters at most (botocore RuleCondition, HostHeaderConditionConfig,
#: PathPatternConditionConfig), and a health check path of 1024 (botocore Path).
ROUTE_PATH_RE = r"^/[A-Za-z0-9_.$/~\"'@:+&*?-]{0,127}\Z"
ROUTE_HOST_RE = r"^(?=.{1,128}\Z)[A-Za-z0-9*?-]+(\.[A-Za-z0-9*?-]+)*\.[A-Za-z]+\Z"
HEALTH_PATH_RE = r"^/[!-~]{0,1023}\Z"
MATCHER_RE = r"^[0-9]{3}(-[0-9]{3}|(,[0-9]{3})*)\Z"

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
    PLATFORM_VERSION_RE: ("LATEST or a Fargate platform version", "1.4.0"),
    KEY_PREFIX_RE: ("an S3 key prefix: empty, or folders of letters, digits and !_.'()- each ending with '/'", "credentialspecs/"),
    ENV_NAME_RE: ("an environment variable name", "ASPNETCORE_ENVIRONMENT"),
    IMAGE_RE: ("a container image reference", "mcr.microsoft.com/dotnet/framework/aspnet:4.8"),
    TAG_KEY_RE: ("a tag key (not starting with 'aws:')", "team"),
    ENVIRONMENT_RE: ("an environment name: 1-16 lower-case letters, digits or '-', starting with a letter", "prod"),
    CERTIFICATE_ARN_RE: ("an ACM certificate ARN",
                         "arn:aws:acm:us-east-1:111122223333:certificate/8665abd4-e947-4dd0-9a51-f8254943c90b"),
    ROUTE_PATH_RE: ("a URL path pattern of at most 128 characters starting with '/' (letters, digits, _-.$/~\"'@:+&, "
                    "and the wildcards * and ?)", "/orders/*"),
    ROUTE_HOST_RE: ("a host name pattern of at most 128 characters (letters, digits, '-', '.', * and ?) with a '.' and "
                    "only letters after the last '.'", "orders.example.com"),
    HEALTH_PATH_RE: ("a URL path starting with '/', at most 1024 printable characters", "/health"),
    MATCHER_RE: ("HTTP codes: one (200), a list (200,302) or a range (200-399)", "200-399"),
}


def patterned(regex: str, description: str) -> object:
    what, example = PATTERNS[regex]
    return Field(pattern=regex, description=f"{description} ({what}).", examples=[example])


def optional_patterned(regex: str, description: str, default: object = None) -> object:
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

DnsName = Annotated[str, patterned(DNS_NAME_RE, "The domain's DNS name")]
NetbiosName = Annotated[str, patterned(NETBIOS_RE, "The domain's NetBIOS name")]
DomainSid = Annotated[str, patterned(SID_RE, "Domain SID; omit it and the hosts generate the specs once joined")]
DomainGuid = Annotated[str, patterned(GUID_RE, "Domain object GUID; omit it and the hosts generate the specs once joined")]
AccountName = Annotated[str, patterned(ACCOUNT_RE, "gMSA account name")]

OsName = Literal[
    "windows-server-2016-full",
    "windows-server-2019-full",
    "windows-server-2019-core",
    "windows-server-2022-full",
    "windows-server-2022-core",
    "windows-server-2025-full",
    "windows-server-2025-core",
    "amazon-linux-2023",
]


#: Where a value sits in a blueprint: keys and list indexes from the top, e.g. ("services", 1, "gmsa").
Loc = tuple[str | int, ...]

#: Top-level keys with this prefix are ignored, like docker-compose's extension fields.
EXTENSION_PREFIX = "x-"


class Strict(BaseModel):
    """Base of every blueprint section: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, regex_engine="python-re")


# --- secret references -------------------------------------------------------------------------


def _arn_only(value: object) -> object:
    """A secret reference may be written as its ARN alone: ``ARN`` means ``{arn: ARN}``."""
    return {"arn": value} if isinstance(value, str) else value


class SecretArnReference(Strict):
    """A Secrets Manager secret, and the customer managed KMS key that encrypts it, if any."""

    arn: Annotated[str, patterned(SECRET_ARN_RE, "The secret")]
    kms_key: Annotated[str, Field(pattern=KMS_ARN_RE)] | None = optional_patterned(
        KMS_ARN_RE, "Customer managed KMS key of the secret; whoever reads the secret may decrypt with it"
    )


class ValueReference(Strict):
    """Where a container's secret value is kept, and the customer managed KMS key that encrypts
    it, if any."""

    arn: Annotated[str, patterned(SECRET_REF_RE, "Secrets Manager secret (optionally with :json-key:stage:version) or SSM parameter")]
    kms_key: Annotated[str, Field(pattern=KMS_ARN_RE)] | None = optional_patterned(
        KMS_ARN_RE, "Customer managed KMS key of the value; the task execution role may decrypt with it"
    )


SecretArn = Annotated[
    SecretArnReference,
    BeforeValidator(_arn_only, json_schema_input_type=Annotated[str, Field(pattern=SECRET_ARN_RE)] | SecretArnReference),
]
ValueArn = Annotated[
    ValueReference,
    BeforeValidator(_arn_only, json_schema_input_type=Annotated[str, Field(pattern=SECRET_REF_RE)] | ValueReference),
]
