"""The Active Directory domain: created as an AWS Managed Microsoft AD, or an existing one."""

from __future__ import annotations

from typing import NamedTuple

from generator.blueprint.model import Blueprint
from generator.expr import DIRECTORY_DNS_IPS, DIRECTORY_ID, Value


class ManagedDirectoryPlan(NamedTuple):
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


class DirectoryPlan(NamedTuple):
    dns_name: str
    netbios_name: str
    managed: ManagedDirectoryPlan | None
    directory_id: Value | None
    dns_ips: Value  # comma-separated


def plan_directory(bp: Blueprint) -> DirectoryPlan:
    """The directory to create, or the one to use: its names, id and DNS addresses."""
    d = bp.directory
    if d.managed is not None:
        managed = ManagedDirectoryPlan(
            logical_id="Directory",
            edition=d.managed.edition,
            password_secret_arn=d.managed.admin_password_secret.arn,
            vpc_id=bp.network.vpc_id,
            subnet_ids=tuple(bp.network.subnet_ids),
        )
        return DirectoryPlan(d.dns_name, d.netbios_name, managed, DIRECTORY_ID, DIRECTORY_DNS_IPS)
    assert d.existing is not None
    return DirectoryPlan(d.dns_name, d.netbios_name, None, d.existing.directory_id, ",".join(d.existing.dns_ips))
