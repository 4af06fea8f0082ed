"""CloudFormation of the directory: an AWS Managed Microsoft AD, when the plan creates one."""

from __future__ import annotations

from troposphere import Template, directoryservice

from generator.plan import Plan
from generator.render.cloudformation.values import kept


def add_directory(t: Template, plan: Plan) -> None:
    managed = plan.directory.managed
    if managed is None:
        return
    t.add_resource(
        directoryservice.MicrosoftAD(
            managed.logical_id,
            **kept(managed.retain),
            Name=plan.directory.dns_name,
            ShortName=plan.directory.netbios_name,
            Edition=managed.edition,
            Password=managed.password_reference,
            VpcSettings=directoryservice.VpcSettings(VpcId=managed.vpc_id, SubnetIds=list(managed.subnet_ids)),
        )
    )
