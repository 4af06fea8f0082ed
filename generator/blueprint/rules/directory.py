"""Rules about the directory: created or existing, its subnets, and its SID and GUID."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import Finding, count, rule


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
            f"a managed directory needs exactly 2 subnets; {count(len(bp.network.subnet_ids), 'is', 'are')} listed",
            "list two private subnets in different Availability Zones",
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


@rule("GEN016", "a directory the stack creates gets its own SID and GUID, so the blueprint gives none",
      "https://docs.aws.amazon.com/directoryservice/latest/admin-guide/ms_ad_getting_started.html")
def new_directory_identity(bp: Blueprint) -> Iterator[Finding]:
    d = bp.directory
    if d.managed is not None and (d.sid is not None or d.guid is not None):
        yield Finding(
            ("directory", "sid" if d.sid is not None else "guid"),
            "a new AWS Managed Microsoft AD gets its own domain SID and GUID when it is created; specs built from "
            "these values would not match it",
            "remove sid and guid: the directory setup writes the specs once the directory exists",
        )
