"""How the VPC's resolver answers the domain's names, for what does not set its own DNS.

Windows hosts send the domain's names to its DNS servers themselves (NRPT rules, in their
bootstrap). Linux hosts and Fargate tasks use the VPC's resolver ("You have a VPC and subnets
that can resolve the Active Directory domain name", fargate-linux-gmsa), so with
``network.dns_forwarding`` gen creates what AWS's own credentials-fetcher sample creates: a
Route 53 Resolver outbound endpoint, a FORWARD rule for the domain to its DNS servers, and the
rule's association with the VPC.
"""

from __future__ import annotations

from typing import NamedTuple

from generator import expr
from generator.blueprint.model import Blueprint
from generator.expr import Value


class DnsForwardingPlan(NamedTuple):
    name: str
    domain_name: str
    vpc_id: str
    #: Route 53 Resolver wants an endpoint address in at least two subnets.
    subnet_ids: tuple[str, ...]
    target_ips: tuple[Value, ...]
    description: str
    #: The endpoint's security group lets DNS out, over TCP and UDP, to the domain's DNS servers
    #: only ("For outbound access, open the port that you're using for DNS queries").
    port: int = 53


def plan_dns_forwarding(bp: Blueprint) -> DnsForwardingPlan | None:
    if not bp.network.dns_forwarding:
        return None
    directory = bp.directory
    if directory.managed is not None:
        # An AWS Managed Microsoft AD has two domain controllers, so two DNS addresses.
        targets: tuple[Value, ...] = (expr.directory_dns_ip(0), expr.directory_dns_ip(1))
    else:
        assert directory.existing is not None
        targets = tuple(directory.existing.dns_ips)
    subnets = tuple(bp.network.subnet_ids)
    return DnsForwardingPlan(
        name=f"{bp.name}-domain-dns",
        domain_name=directory.dns_name,
        vpc_id=bp.network.vpc_id,
        subnet_ids=subnets if len(subnets) > 1 else subnets * 2,
        target_ips=targets,
        description=f"Forwards {directory.dns_name} to its DNS servers ({bp.name})",
    )
