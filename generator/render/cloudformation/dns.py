"""CloudFormation of DNS forwarding: a Route 53 Resolver outbound endpoint, a FORWARD rule for
the domain, and the rule's association with the VPC."""

from __future__ import annotations

from troposphere import GetAtt, Join, Ref, Template, ec2, route53resolver

from generator.plan import Plan
from generator.render.cloudformation.values import cfn, tags


def add_dns_forwarding(t: Template, plan: Plan) -> None:
    dns = plan.dns_forwarding
    if dns is None:
        return
    t.add_resource(
        ec2.SecurityGroup(
            "DnsForwardingSecurityGroup",
            GroupName=dns.name,
            GroupDescription=dns.description,
            VpcId=dns.vpc_id,
            SecurityGroupEgress=[
                ec2.SecurityGroupRule(IpProtocol=protocol, FromPort=dns.port, ToPort=dns.port,
                                      CidrIp=cfn_cidr(target), Description=f"DNS over {protocol.upper()} to the domain")
                for target in dns.target_ips
                for protocol in ("tcp", "udp")
            ],
            Tags=tags(plan),
        )
    )
    t.add_resource(
        route53resolver.ResolverEndpoint(
            "DnsForwardingEndpoint",
            Name=dns.name,
            Direction="OUTBOUND",
            IpAddresses=[route53resolver.IpAddressRequest(SubnetId=subnet) for subnet in dns.subnet_ids],
            SecurityGroupIds=[GetAtt("DnsForwardingSecurityGroup", "GroupId")],
            Tags=tags(plan),
        )
    )
    t.add_resource(
        route53resolver.ResolverRule(
            "DnsForwardingRule",
            Name=dns.name,
            DomainName=dns.domain_name,
            RuleType="FORWARD",
            ResolverEndpointId=GetAtt("DnsForwardingEndpoint", "ResolverEndpointId"),
            TargetIps=[route53resolver.TargetAddress(Ip=cfn(target), Port=str(dns.port)) for target in dns.target_ips],
            Tags=tags(plan),
        )
    )
    t.add_resource(
        route53resolver.ResolverRuleAssociation(
            "DnsForwardingRuleAssociation",
            Name=dns.name,
            ResolverRuleId=Ref("DnsForwardingRule"),
            VPCId=dns.vpc_id,
        )
    )


def cfn_cidr(address: object) -> object:
    """A single address as a /32 block (a deploy-time one through ``Fn::Join``)."""
    value = cfn(address)
    return f"{value}/32" if isinstance(value, str) else Join("", [value, "/32"])
