"""Rules about names: accounts and services declared once, used where declared, and names AWS
and gen keep for themselves."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import SERVICES, Finding, rule
from generator.naming import RESERVED_TAG_KEYS, logical_id, tf_name


@rule("GEN001", "gMSA account names are unique (Active Directory compares them without case)",
      items=("gmsa_accounts",))
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


@rule("GEN002", "service names are unique", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html",
      items=SERVICES)
def unique_service_names(bp: Blueprint) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, service in enumerate(bp.services):
        if service.name in seen:
            yield Finding(("services", index, "name"), f'"{service.name}" is used by another service', "rename one of them")
        seen.add(service.name)


@rule("GEN003", "every service runs as a declared gMSA account", items=SERVICES)
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
    items=("gmsa_accounts", "services"),
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
