"""Whether the VPC's resolver answers for the domain: what Linux hosts and Fargate tasks need.

A Windows host sends the domain's names to the domain's DNS servers itself (NRPT rules in its boot
steps). Linux hosts and Fargate tasks ask the VPC's resolver: AWS's Fargate and Linux gMSA guides
require "a VPC and subnets that can resolve the Active Directory domain name". The VPC resolves
the domain when a Route 53 Resolver forwarding rule for the domain (or a parent of it) is
associated with the VPC, or when the VPC's DHCP options name DNS servers of their own instead of
the AmazonProvidedDNS (which then answer every name, the domain's among them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.aws.session import Aws

AMAZON_PROVIDED_DNS = "AmazonProvidedDNS"


@dataclass(frozen=True)
class Resolution:
    """How the VPC resolves the domain, or why it does not: ``found`` says which."""

    found: bool
    detail: str


def domain_resolution(aws: Aws, vpc_id: str, domain: str) -> Resolution:
    """How ``vpc_id`` resolves ``domain``: by a forwarding rule, by its DHCP options, or not."""
    rule = _forwarding_rule(aws, vpc_id, domain)
    if rule is not None:
        targets = ", ".join(t.get("Ip", "") for t in rule.get("TargetIps", []))
        return Resolution(True, f"the Route 53 Resolver rule {rule['Id']} forwards {rule['DomainName'].rstrip('.')} "
                                f"to {targets or 'its targets'} for {vpc_id}")
    servers = _dhcp_dns_servers(aws, vpc_id)
    if servers is None:
        return Resolution(False, f"the VPC {vpc_id} does not exist in {aws.region}")
    own = [s for s in servers if s != AMAZON_PROVIDED_DNS]
    if own:
        return Resolution(True, f"the DHCP options of {vpc_id} send every name to {', '.join(own)}")
    return Resolution(False, f"no Route 53 Resolver rule for {domain} is associated with {vpc_id}, and its DHCP "
                             f"options use the {AMAZON_PROVIDED_DNS}, which does not know the domain")


def _forwarding_rule(aws: Aws, vpc_id: str, domain: str) -> dict[str, Any] | None:
    """The FORWARD rule for ``domain`` (or the nearest parent) associated with ``vpc_id``."""
    # An association is in effect only when COMPLETE (Route 53 API Reference, ResolverRuleAssociation,
    # https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ResolverRuleAssociation.html
    # Status: CREATING, COMPLETE, DELETING, FAILED, OVERRIDDEN).
    associated = {a["ResolverRuleId"] for a in _pages(aws, "list_resolver_rule_associations", "ResolverRuleAssociations")
                  if a.get("VPCId") == vpc_id and a.get("Status") == "COMPLETE"}
    wanted = domain.lower().rstrip(".")
    candidates = [r for r in _pages(aws, "list_resolver_rules", "ResolverRules")
                  if r.get("Id") in associated and r.get("RuleType") == "FORWARD"
                  and _covers(str(r.get("DomainName", "")).lower().rstrip("."), wanted)]
    # The most specific rule wins, as in Resolver itself.
    return max(candidates, key=lambda r: len(r["DomainName"]), default=None)


def _covers(rule_domain: str, domain: str) -> bool:
    return domain == rule_domain or domain.endswith("." + rule_domain)


def _dhcp_dns_servers(aws: Aws, vpc_id: str) -> list[str] | None:
    """The VPC's DHCP option ``domain-name-servers``; None when there is no such VPC."""
    vpcs = aws.call("ec2", "describe_vpcs", vpc_id, Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Vpcs"]
    if not vpcs:
        return None
    options_id = vpcs[0].get("DhcpOptionsId", "default")
    if options_id == "default":
        return [AMAZON_PROVIDED_DNS]
    options = aws.call("ec2", "describe_dhcp_options", options_id, DhcpOptionsIds=[options_id])["DhcpOptions"]
    servers = [value["Value"] for option in (options[0]["DhcpConfigurations"] if options else [])
               if option["Key"] == "domain-name-servers" for value in option.get("Values", [])]
    return servers or [AMAZON_PROVIDED_DNS]


def _pages(aws: Aws, operation: str, key: str) -> list[dict[str, Any]]:
    """Every item of a paginated Route 53 Resolver list."""
    found: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = aws.call("route53resolver", operation, **kwargs)
        found += page.get(key, [])
        if not page.get("NextToken"):
            return found
        kwargs["NextToken"] = page["NextToken"]
