"""Semantic rules: checks that span fields, each small, named and linked to why it exists.

A rule takes a structurally valid :class:`Blueprint` and yields :class:`Finding` s; it never
raises, so one run reports every problem. Add a rule by writing a function and decorating it
with :func:`rule`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.blueprint.loader import Loc
from generator.blueprint.model import Blueprint
from generator.naming import RESERVED_TAG_KEYS, logical_id, tf_name
from generator.facts import (
    CPU_UNITS_RANGE,
    MIN_CONTAINER_MEMORY_MIB,
    WINDOWS_RELEASES,
    arn_partition,
    arn_region,
    instance_capacity,
    partition_of,
)

GMSA_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows-gmsa.html"


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one place in the blueprint."""

    loc: Loc
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Rule:
    """A named check: ``id`` (GENnnn), a one-line summary and the page that motivates it."""

    id: str
    summary: str
    url: str
    check: Callable[[Blueprint], Iterator[Finding]]


RULES: list[Rule] = []


def rule(rule_id: str, summary: str, url: str = GMSA_DOCS) -> Callable:
    """Register ``check`` as a rule."""

    def register(check: Callable[[Blueprint], Iterator[Finding]]) -> Callable:
        RULES.append(Rule(rule_id, summary, url, check))
        return check

    return register


def check_rules(blueprint: Blueprint) -> list[tuple[Rule, Finding]]:
    """Every finding of every rule, in rule order."""
    return [(r, finding) for r in RULES for finding in r.check(blueprint)]


def _count(n: int, singular: str, plural: str) -> str:
    return f"only {n} {singular}" if n < 2 else f"{n} {plural}"


@rule("GEN001", "gMSA account names are unique (Active Directory compares them without case)")
def unique_account_names(bp: Blueprint) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, account in enumerate(bp.gmsa_accounts):
        key = account.name.lower()
        if key in seen:
            yield Finding(
                ("gmsa_accounts", index, "name"),
                f'"{account.name}" is declared more than once',
                "each gMSA account is declared once; services share it by naming it",
            )
        seen.add(key)


@rule("GEN002", "service names are unique", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html")
def unique_service_names(bp: Blueprint) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, service in enumerate(bp.services):
        if service.name in seen:
            yield Finding(("services", index, "name"), f'"{service.name}" is used by another service', "rename one of them")
        seen.add(service.name)


@rule("GEN003", "every service runs as a declared gMSA account")
def service_account_declared(bp: Blueprint) -> Iterator[Finding]:
    declared: dict[str, str] = {}
    for account in bp.gmsa_accounts:
        declared.setdefault(account.name.lower(), account.name)
    names = ", ".join(a.name for a in bp.gmsa_accounts)
    for index, service in enumerate(bp.services):
        match = declared.get(service.gmsa.lower())
        if match is None:
            yield Finding(
                ("services", index, "gmsa"),
                f'"{service.gmsa}" is not declared in gmsa_accounts',
                f"declared accounts are {names}; add it there or use one of them",
            )
        elif match != service.gmsa:
            yield Finding(
                ("services", index, "gmsa"),
                f'"{service.gmsa}" is written "{match}" in gmsa_accounts',
                f'write it "{match}" here too, so specs and references agree',
            )


@rule(
    "GEN004",
    "the directory is either created (managed) or existing, not both or neither",
    "https://docs.aws.amazon.com/directoryservice/latest/admin-guide/ms_ad_getting_started.html",
)
def directory_source(bp: Blueprint) -> Iterator[Finding]:
    has_managed, has_existing = bp.directory.managed is not None, bp.directory.existing is not None
    if has_managed == has_existing:
        what = "both managed and existing are set" if has_managed else "neither managed nor existing is set"
        yield Finding(
            ("directory",),
            f"{what}",
            "set managed: to create an AWS Managed Microsoft AD, or existing: to use a directory that exists",
        )


@rule(
    "GEN005",
    "a managed directory gets exactly two subnets, in two Availability Zones",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-directoryservice-microsoftad-vpcsettings.html",
)
def managed_directory_subnets(bp: Blueprint) -> Iterator[Finding]:
    if bp.directory.managed is not None and len(bp.network.subnet_ids) != 2:
        yield Finding(
            ("network", "subnet_ids"),
            f"a managed directory needs exactly 2 subnets; {_count(len(bp.network.subnet_ids), 'is', 'are')} listed",
            "list two private subnets in different Availability Zones",
        )


@rule(
    "GEN006",
    "host counts satisfy min <= desired <= max",
    "https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-capacity-limits.html",
)
def host_counts(bp: Blueprint) -> Iterator[Finding]:
    hosts = bp.hosts
    if hosts.min > hosts.max:
        yield Finding(("hosts", "min"), f"min ({hosts.min}) is larger than max ({hosts.max})", "lower min or raise max")
    elif not hosts.min <= hosts.desired <= hosts.max:
        yield Finding(
            ("hosts", "desired"),
            f"desired ({hosts.desired}) is outside min..max ({hosts.min}..{hosts.max})",
            "choose a value between min and max",
        )


@rule("GEN007", "on Windows Server 2016 hosts the container hostname equals the gMSA account name")
def ws2016_hostname(bp: Blueprint) -> Iterator[Finding]:
    if not WINDOWS_RELEASES[bp.hosts.os].hostname_must_match_account:
        return
    for index, service in enumerate(bp.services):
        if service.hostname is not None and service.hostname.lower() != service.gmsa.lower():
            yield Finding(
                ("services", index, "hostname"),
                f'"{service.hostname}" differs from the gMSA account "{service.gmsa}", which Windows Server 2016 hosts require',
                "remove hostname (gen sets it to the account name) or move the hosts to Windows Server 2019 or later",
            )


@rule("GEN008", "store options match the chosen store")
def store_options(bp: Blueprint) -> Iterator[Finding]:
    specs = bp.credential_specs
    for option in ("ssm", "s3"):
        if getattr(specs, option) is not None and specs.store != option:
            yield Finding(
                ("credential_specs", option),
                f"{option} options are set but the store is {specs.store}",
                f"set store: {option}, or remove the {option}: section",
            )


@rule("GEN009", "an S3 store names an existing bucket or creates one")
def s3_bucket_named(bp: Blueprint) -> Iterator[Finding]:
    specs = bp.credential_specs
    if specs.store != "s3":
        return
    if specs.s3 is None or (specs.s3.bucket is None and not specs.s3.create_bucket):
        yield Finding(
            ("credential_specs", "s3") if specs.s3 is not None else ("credential_specs", "store"),
            "the s3 store needs a bucket",
            "set s3.bucket to an existing bucket, or s3.create_bucket: true to create one",
        )


def _arns(bp: Blueprint) -> Iterator[tuple[Loc, str]]:
    if bp.directory.managed is not None:
        yield ("directory", "managed", "admin_password_secret"), bp.directory.managed.admin_password_secret
    if bp.hosts.join_secret is not None:
        yield ("hosts", "join_secret"), bp.hosts.join_secret
    if bp.credential_specs.s3 is not None and bp.credential_specs.s3.kms_key is not None:
        yield ("credential_specs", "s3", "kms_key"), bp.credential_specs.s3.kms_key
    for index, service in enumerate(bp.services):
        for name, arn in service.secrets.items():
            yield ("services", index, "secrets", name), arn
        if service.task_role is not None:
            for policy_index, arn in enumerate(service.task_role.managed_policy_arns):
                yield ("services", index, "task_role", "managed_policy_arns", policy_index), arn


@rule("GEN010", "ARNs belong to the blueprint's partition, and regional ones to its region")
def arns_in_region(bp: Blueprint) -> Iterator[Finding]:
    partition = partition_of(bp.region)
    for loc, arn in _arns(bp):
        if arn_partition(arn) != partition:
            yield Finding(
                loc,
                f"the ARN is in partition {arn_partition(arn)} but region {bp.region} is in {partition}",
                f"use a resource of the {partition} partition",
            )
        elif arn_region(arn) and arn_region(arn) != bp.region:
            yield Finding(
                loc,
                f"the ARN is in region {arn_region(arn)}, not {bp.region}",
                f"replicate the secret or key to {bp.region} and use that ARN",
            )


@rule("GEN011", "hosts have credentials to join an existing domain")
def join_credentials(bp: Blueprint) -> Iterator[Finding]:
    if bp.directory.existing is not None and bp.directory.managed is None and bp.hosts.join_secret is None:
        yield Finding(
            ("hosts",),
            "hosts.join_secret is required with an existing directory",
            'store {"username": ..., "password": ...} of an account that may join computers and manage '
            "gmsa_group in Secrets Manager, and set hosts.join_secret to its ARN",
        )


@rule(
    "GEN012",
    "container CPU and memory are values ECS accepts and fit the instance type",
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
)
def container_resources(bp: Blueprint) -> Iterator[Finding]:
    low, high = CPU_UNITS_RANGE
    capacity = instance_capacity(bp.hosts.instance_type)
    for index, service in enumerate(bp.services):
        if not low <= service.cpu <= high:
            yield Finding(
                ("services", index, "cpu"),
                f"{service.cpu} CPU units is outside {low}..{high}",
                "Windows containers are capped at their CPU units (1024 = one vCPU); 0 would mean 1% of one CPU",
            )
        elif capacity is not None and service.cpu > capacity.cpu_units:
            yield Finding(
                ("services", index, "cpu"),
                f"{service.cpu} CPU units is more than a {bp.hosts.instance_type} has ({capacity.cpu_units})",
                "lower cpu or choose a larger hosts.instance_type",
            )
        if service.memory < MIN_CONTAINER_MEMORY_MIB:
            yield Finding(
                ("services", index, "memory"),
                f"{service.memory} MiB is less than the {MIN_CONTAINER_MEMORY_MIB} MiB ECS accepts",
                "Windows Server Core containers need at least 1024 MiB in practice",
            )
        elif capacity is not None and service.memory > capacity.memory_mib:
            yield Finding(
                ("services", index, "memory"),
                f"{service.memory} MiB is more than a {bp.hosts.instance_type} has ({capacity.memory_mib} MiB)",
                "lower memory or choose a larger hosts.instance_type",
            )


@rule(
    "GEN013",
    "services publish different host ports",
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_portmappings",
)
def unique_host_ports(bp: Blueprint) -> Iterator[Finding]:
    owner: dict[int, str] = {}
    for index, service in enumerate(bp.services):
        if service.port is None:
            continue
        if service.port in owner:
            yield Finding(
                ("services", index, "port"),
                f"host port {service.port} is already published by service {owner[service.port]}",
                "give each service its own port; the hosts publish container ports on the same host port",
            )
        else:
            owner[service.port] = service.name


_SECRET_WORDS = {"PASSWORD", "PASSWD", "PWD", "SECRET", "SECRETS", "CREDENTIAL", "CREDENTIALS"}
_SECRET_ENDINGS = {"TOKEN", "APIKEY", "API_KEY", "PRIVATE_KEY", "ACCESS_KEY", "SECRET_KEY", "CONNECTIONSTRING"}
_SECRET_VALUE = re.compile(r"(password|pwd)\s*=\s*[^;\s]+", re.IGNORECASE)


def looks_like_secret_name(name: str) -> bool:
    """Whether a key names a secret: a word such as PASSWORD anywhere in it (DB_PASSWORD), or an
    ending such as TOKEN or API_KEY (GITHUB_TOKEN), but not TOKEN_LIFETIME or PROXY_BYPASS."""
    upper = name.upper().replace("-", "_")
    words = upper.split("_")
    return bool(_SECRET_WORDS & set(words)) or any(upper.endswith(e) for e in _SECRET_ENDINGS)


@rule("GEN014", "no secret is written into a blueprint")
def no_literal_secrets(bp: Blueprint) -> Iterator[Finding]:
    for index, service in enumerate(bp.services):
        for name, value in service.environment.items():
            if looks_like_secret_name(name) or _SECRET_VALUE.search(value):
                yield Finding(
                    ("services", index, "environment", name),
                    "this looks like a secret written in plain text",
                    f"store it in Secrets Manager and list it under secrets: {name}: <secret ARN>",
                )


@rule("GEN015", "the domain SID and GUID are given together or not at all")
def sid_and_guid(bp: Blueprint) -> Iterator[Finding]:
    d = bp.directory
    if (d.sid is None) != (d.guid is None):
        missing = "guid" if d.guid is None else "sid"
        yield Finding(
            ("directory", missing),
            f"{missing} is missing; a credential spec needs both",
            "give both (Get-ADDomain shows DomainSID and ObjectGUID), or neither and the hosts generate the specs",
        )


#: Prefixes AWS reserves: capacity provider names (CreateCapacityProvider) and SSM document
#: names (CreateDocument) may not start with them, and both begin with the blueprint's name.
RESERVED_PREFIXES = ("aws", "amazon", "amzn", "ecs", "fargate")


@rule(
    "GEN017",
    "the name does not start with a prefix AWS reserves for the names derived from it",
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html",
)
def unreserved_name(bp: Blueprint) -> Iterator[Finding]:
    prefix = next((p for p in RESERVED_PREFIXES if bp.name.startswith(p)), None)
    if prefix is not None:
        yield Finding(
            ("name",),
            f'"{bp.name}" starts with "{prefix}", which AWS reserves for ECS capacity provider and SSM document names',
            f"choose a name that does not start with {', '.join(RESERVED_PREFIXES)}",
        )


@rule(
    "GEN018",
    "names stay distinct in the identifiers derived from them",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html",
)
def distinct_identifiers(bp: Blueprint) -> Iterator[Finding]:
    for section, names in (("gmsa_accounts", [a.name for a in bp.gmsa_accounts]),
                           ("services", [s.name for s in bp.services])):
        seen: dict[str, str] = {}
        for index, name in enumerate(names):
            derived = (logical_id(name), tf_name(name))
            other = next((seen[d] for d in derived if d in seen), None)
            if other is not None and other.lower() != name.lower():
                yield Finding(
                    (section, index, "name"),
                    f'"{name}" and "{other}" become the same resource name ({derived[0]})',
                    "names are compared without punctuation and case in CloudFormation logical ids; rename one",
                )
            for d in derived:
                seen.setdefault(d, name)


@rule("GEN019", "the blueprint's tags leave alone the tags gen sets on the hosts")
def unreserved_tags(bp: Blueprint) -> Iterator[Finding]:
    for key in bp.tags:
        if key in RESERVED_TAG_KEYS:
            yield Finding(
                ("tags", key),
                f"gen sets the tag {key} on the hosts itself",
                f"remove it; gen's host tags are {', '.join(RESERVED_TAG_KEYS)}",
            )
