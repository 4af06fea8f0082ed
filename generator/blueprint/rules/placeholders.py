"""A note where a blueprint still holds a value the documentation uses as an example."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import SERVICES, Finding, rule
from generator.blueprint.types import Loc
from generator.errors import INFO
from generator.facts.placeholders import placeholder_in

ACCOUNT_IDS_DOCS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html"


def _values(bp: Blueprint) -> Iterator[tuple[Loc, str]]:
    """Every value that names an AWS account or resource, where it is written."""
    yield ("network", "vpc_id"), bp.network.vpc_id
    for index, subnet in enumerate(bp.network.subnet_ids):
        yield ("network", "subnet_ids", index), subnet
    directory = bp.directory
    if directory.managed is not None:
        yield ("directory", "managed", "admin_password_secret", "arn"), directory.managed.admin_password_secret.arn
    if directory.existing is not None and directory.existing.directory_id is not None:
        yield ("directory", "existing", "directory_id"), directory.existing.directory_id
    if bp.hosts is not None and bp.hosts.join_secret is not None:
        yield ("hosts", "join_secret", "arn"), bp.hosts.join_secret.arn
    if bp.credential_specs.domainless_secret is not None:
        yield ("credential_specs", "domainless_secret", "arn"), bp.credential_specs.domainless_secret.arn
    if bp.credential_specs.s3 is not None and bp.credential_specs.s3.kms_key is not None:
        yield ("credential_specs", "s3", "kms_key"), bp.credential_specs.s3.kms_key
    for index, service in enumerate(bp.services):
        yield ("services", index, "image"), service.image
        for name, reference in service.secrets.items():
            yield ("services", index, "secrets", name, "arn"), reference.arn


@rule("GEN042", "no value is still an example from the documentation (an account id such as 111122223333, "
      "vpc-0123456789abcdef0)", ACCOUNT_IDS_DOCS, INFO, items=SERVICES)
def no_placeholders(bp: Blueprint) -> Iterator[Finding]:
    """One note per example value, where it is first written: a blueprint copied from an example
    deploys nowhere until it names real resources. A note never fails a run, --strict included."""
    places: dict[str, list[Loc]] = {}
    for loc, value in _values(bp):
        example = placeholder_in(value)
        if example is not None:
            places.setdefault(example, []).append(loc)
    for example, locs in places.items():
        more = len(locs) - 1
        also = f" (and in {more} more place{'s' if more > 1 else ''})" if more else ""
        yield Finding(locs[0], f"{example} is an example value, as documentation and gen's starter use, not a real "
                      f"account or resource{also}", "replace it with your own before you deploy")
