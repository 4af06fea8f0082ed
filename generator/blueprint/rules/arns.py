"""Rules about the ARNs a blueprint refers to."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import SERVICES, Finding, rule
from generator.blueprint.types import Loc, SecretArnReference, ValueReference
from generator.facts.aws import arn_partition, arn_region, partition_of


def _reference(loc: Loc, reference: SecretArnReference | ValueReference) -> Iterator[tuple[Loc, str]]:
    yield (*loc, "arn"), reference.arn
    if reference.kms_key is not None:
        yield (*loc, "kms_key"), reference.kms_key


def _arns(bp: Blueprint) -> Iterator[tuple[Loc, str]]:
    if bp.directory.managed is not None:
        yield from _reference(("directory", "managed", "admin_password_secret"), bp.directory.managed.admin_password_secret)
    if bp.hosts is not None and bp.hosts.join_secret is not None:
        yield from _reference(("hosts", "join_secret"), bp.hosts.join_secret)
    if bp.credential_specs.domainless_secret is not None:
        yield from _reference(("credential_specs", "domainless_secret"), bp.credential_specs.domainless_secret)
    if bp.credential_specs.s3 is not None and bp.credential_specs.s3.kms_key is not None:
        yield ("credential_specs", "s3", "kms_key"), bp.credential_specs.s3.kms_key
    for index, service in enumerate(bp.services):
        for name, value in service.secrets.items():
            yield from _reference(("services", index, "secrets", name), value)
        if service.task_role is not None:
            for policy_index, arn in enumerate(service.task_role.managed_policy_arns):
                yield ("services", index, "task_role", "managed_policy_arns", policy_index), arn


@rule("GEN010", "ARNs belong to the blueprint's partition, and regional ones to its region", items=SERVICES)
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
