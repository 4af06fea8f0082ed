"""CloudFormation of the load balancer: its security group, the load balancer, its listeners,
and per routed service a target group and a listener rule; the hosts' and tasks' groups admit
it."""

from __future__ import annotations

from typing import Any

from troposphere import GetAtt, Ref, Template, ec2
from troposphere import elasticloadbalancingv2 as elb

from generator.plan import Plan
from generator.plan.load_balancer import ListenerPlan, TargetGroupPlan
from generator.plan.waivers import Waiver
from generator.render.cloudformation.values import LOAD_BALANCER, tags, waived

LOAD_BALANCER_SECURITY_GROUP = "LoadBalancerSecurityGroup"
#: The groups the load balancer reaches (defined by the hosts' and the services' builders).
HOST_SECURITY_GROUP = "HostSecurityGroup"
TASK_SECURITY_GROUP = "TaskSecurityGroup"


def add_load_balancer(t: Template, plan: Plan, with_targets: bool = True) -> None:
    """The load balancer, its security group and listeners, and (``with_targets``) each routed
    service's target group and listener rule; a split template adds those with the service."""
    lb = plan.load_balancer
    if lb is None:
        return
    egress = []
    if lb.host_ports is not None:
        egress.append(ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=lb.host_ports[0], ToPort=lb.host_ports[1],
                                            DestinationSecurityGroupId=GetAtt(HOST_SECURITY_GROUP, "GroupId"),
                                            Description="dynamic host ports of the hosts"))
    for port in lb.task_ports:
        egress.append(ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=port, ToPort=port,
                                            DestinationSecurityGroupId=GetAtt(TASK_SECURITY_GROUP, "GroupId"),
                                            Description=f"awsvpc tasks on {port}"))
    t.add_resource(
        ec2.SecurityGroup(
            LOAD_BALANCER_SECURITY_GROUP,
            **_metadata(lb.security_group_waivers),
            GroupName=lb.security_group,
            GroupDescription=lb.security_group_description,
            VpcId=lb.vpc_id,
            SecurityGroupIngress=[ec2.SecurityGroupRule(IpProtocol="tcp", FromPort=r.port, ToPort=r.port, CidrIp=r.cidr,
                                                        Description=r.description) for r in lb.ingress],
            SecurityGroupEgress=egress,
            Tags=tags(plan),
        )
    )
    if lb.host_ports is not None:
        t.add_resource(
            ec2.SecurityGroupIngress(
                "HostIngressFromLoadBalancer", GroupId=GetAtt(HOST_SECURITY_GROUP, "GroupId"), IpProtocol="tcp",
                FromPort=lb.host_ports[0], ToPort=lb.host_ports[1],
                SourceSecurityGroupId=GetAtt(LOAD_BALANCER_SECURITY_GROUP, "GroupId"),
                Description="the load balancer on the ECS agent dynamic host ports",
            )
        )
    for port in lb.task_ports:
        t.add_resource(
            ec2.SecurityGroupIngress(
                f"TaskIngressFromLoadBalancer{port}", GroupId=GetAtt(TASK_SECURITY_GROUP, "GroupId"), IpProtocol="tcp",
                FromPort=port, ToPort=port, SourceSecurityGroupId=GetAtt(LOAD_BALANCER_SECURITY_GROUP, "GroupId"),
                Description=f"the load balancer on {port}",
            )
        )
    t.add_resource(
        elb.LoadBalancer(
            LOAD_BALANCER,
            Metadata=waived(lb.waivers),
            Name=lb.name,
            Type="application",
            Scheme=lb.scheme,
            Subnets=list(lb.subnet_ids),
            SecurityGroups=[GetAtt(LOAD_BALANCER_SECURITY_GROUP, "GroupId")],
            LoadBalancerAttributes=[
                elb.LoadBalancerAttributes(Key="routing.http.drop_invalid_header_fields.enabled",
                                           Value=str(lb.drop_invalid_header_fields).lower()),
                elb.LoadBalancerAttributes(Key="deletion_protection.enabled", Value=str(lb.deletion_protection).lower()),
            ],
            Tags=tags(plan),
        )
    )
    for listener in lb.listeners:
        t.add_resource(_listener(listener, lb.not_found_body))
    if with_targets:
        for group in lb.target_groups:
            _add_target(t, plan, group, Ref(lb.rules_listener.logical_id))


def add_target(t: Template, plan: Plan, target_group: str, listener_arn: Any) -> None:
    """One routed service's target group (by logical id) and its rule on ``listener_arn``."""
    assert plan.load_balancer is not None
    group = next(g for g in plan.load_balancer.target_groups if g.logical_id == target_group)
    _add_target(t, plan, group, listener_arn)


def _metadata(waivers: tuple[Waiver, ...]) -> dict[str, Any]:
    """The checkov waivers of a resource that may have none."""
    return {"Metadata": waived(waivers)} if waivers else {}


def _listener(listener: ListenerPlan, not_found: str) -> elb.Listener:
    if listener.default == "redirect":
        action = elb.Action(Type="redirect", RedirectConfig=elb.RedirectConfig(Protocol="HTTPS", Port="443",
                                                                               StatusCode="HTTP_301"))
    else:
        action = elb.Action(Type="fixed-response", FixedResponseConfig=elb.FixedResponseConfig(
            StatusCode="404", ContentType="text/plain", MessageBody=not_found))
    extra: dict[str, Any] = {}
    if listener.certificate_arn is not None:
        extra["Certificates"] = [elb.Certificate(CertificateArn=listener.certificate_arn)]
        extra["SslPolicy"] = listener.ssl_policy
    return elb.Listener(listener.logical_id, **_metadata(listener.waivers), LoadBalancerArn=Ref(LOAD_BALANCER),
                        Port=listener.port, Protocol=listener.protocol, DefaultActions=[action], **extra)


def _add_target(t: Template, plan: Plan, group: TargetGroupPlan, listener_arn: Any) -> None:
    health = group.health
    t.add_resource(
        elb.TargetGroup(
            group.logical_id,
            Metadata=waived(group.waivers),
            Name=group.name,
            TargetType=group.target_type,
            Protocol=group.protocol,
            Port=group.port,
            VpcId=group.vpc_id,
            HealthCheckEnabled=True,
            HealthCheckProtocol=health.protocol,
            HealthCheckPort=health.port,
            HealthCheckPath=health.path,
            HealthCheckIntervalSeconds=health.interval,
            HealthCheckTimeoutSeconds=health.timeout,
            HealthyThresholdCount=health.healthy_threshold,
            UnhealthyThresholdCount=health.unhealthy_threshold,
            Matcher=elb.Matcher(HttpCode=health.matcher),
            TargetGroupAttributes=[elb.TargetGroupAttribute(Key="deregistration_delay.timeout_seconds",
                                                            Value=str(group.deregistration_delay))],
            Tags=tags(plan),
        )
    )
    conditions = []
    for field, value in group.conditions:
        if field == "host-header":
            conditions.append(elb.Condition(Field=field, HostHeaderConfig=elb.HostHeaderConfig(Values=[value])))
        else:
            conditions.append(elb.Condition(Field=field, PathPatternConfig=elb.PathPatternConfig(Values=[value])))
    t.add_resource(
        elb.ListenerRule(
            group.rule_logical_id,
            ListenerArn=listener_arn,
            Priority=group.priority,
            Conditions=conditions,
            Actions=[elb.ListenerRuleAction(Type="forward", TargetGroupArn=Ref(group.logical_id))],
        )
    )
