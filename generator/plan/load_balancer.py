"""The load balancer: one Application Load Balancer, its security group and listeners, and a
target group and listener rule for each routed service.

Routed services publish no fixed host port: in the default network mode (NAT on Windows, bridge
on Linux) the ECS agent gives each task a dynamic host port and the target group registers
instances (``instance`` targets), so the hosts admit the load balancer's group on the agent's
dynamic range only; ``awsvpc`` tasks (and Fargate's) register their own address (``ip``
targets) and admit it on the container port (ECS guide, ``load-balancer-types.html``: "If your
service's task definition uses the awsvpc network mode ... you must choose ip as the target
type").
"""

from __future__ import annotations

from typing import NamedTuple

from generator.blueprint.model import Blueprint, HealthCheck, Service
from generator.facts.agent import DYNAMIC_HOST_PORTS, DYNAMIC_HOST_PORTS_LINUX
from generator.facts.aws import WORLD_CIDRS
from generator.facts.load_balancer import HTTP_PORT, HTTPS_PORT, NAME_MAX, SSL_POLICY
from generator.naming import fitted, logical_id, route_priority
from generator.plan import waivers


class HealthCheckPlan(NamedTuple):
    path: str
    matcher: str
    interval: int
    timeout: int
    healthy_threshold: int
    unhealthy_threshold: int
    protocol: str = "HTTP"
    #: The port each target was registered on: a task's dynamic host port (cfn-lint E3049).
    port: str = "traffic-port"


class TargetGroupPlan(NamedTuple):
    """The targets of one routed service, and the listener rule that sends its route to them."""

    service: str
    logical_id: str  # of the target group; the rule is <service>ListenerRule
    tf_key: str
    name: str
    port: int  # the container's: the port of ip targets; instance targets register their task's host port
    target_type: str  # instance | ip
    vpc_id: str
    health: HealthCheckPlan
    deregistration_delay: int
    priority: int
    #: (field, value) of each condition: host-header, then path-pattern
    conditions: tuple[tuple[str, str], ...]
    protocol: str = "HTTP"
    waivers: tuple[waivers.Waiver, ...] = waivers.TARGET_GROUP

    @property
    def rule_logical_id(self) -> str:
        return logical_id(self.service, "ListenerRule")


class ListenerPlan(NamedTuple):
    logical_id: str
    tf_name: str
    port: int
    protocol: str  # HTTP | HTTPS
    #: what requests no rule matches get: a redirect to HTTPS, or 404
    default: str  # redirect | not-found
    certificate_arn: str | None = None
    ssl_policy: str | None = None
    waivers: tuple[waivers.Waiver, ...] = ()


class LoadBalancerIngress(NamedTuple):
    port: int
    cidr: str
    description: str


class LoadBalancerPlan(NamedTuple):
    name: str
    scheme: str
    subnet_ids: tuple[str, ...]
    vpc_id: str
    security_group: str
    security_group_description: str
    ingress: tuple[LoadBalancerIngress, ...]
    listeners: tuple[ListenerPlan, ...]
    target_groups: tuple[TargetGroupPlan, ...]
    #: The host ports the hosts admit the load balancer on (the agent's dynamic range), when
    #: some target is an instance; the container ports awsvpc tasks admit it on.
    host_ports: tuple[int, int] | None
    task_ports: tuple[int, ...]
    waivers: tuple[waivers.Waiver, ...]
    security_group_waivers: tuple[waivers.Waiver, ...] = ()
    #: Drop headers that are not valid HTTP (ALB attribute routing.http.drop_invalid_header_fields.enabled).
    drop_invalid_header_fields: bool = True
    #: Off, so that the stack (or terraform destroy) can delete it.
    deletion_protection: bool = False
    not_found_body: str = "Not found"

    @property
    def rules_listener(self) -> ListenerPlan:
        """The listener the services' rules belong to: HTTPS with a certificate, else HTTP."""
        return next(listener for listener in self.listeners if listener.default == "not-found")


def dynamic_host_ports(bp: Blueprint) -> tuple[int, int]:
    """The range the ECS agent picks dynamic host ports from, on the blueprint's hosts (gen pins
    it on Linux, where the agent would otherwise take the kernel's: facts.agent)."""
    return DYNAMIC_HOST_PORTS_LINUX if bp.platform == "linux" else DYNAMIC_HOST_PORTS


def health_of(check: HealthCheck | None) -> HealthCheckPlan:
    check = check or HealthCheck()
    return HealthCheckPlan(check.path, check.matcher, check.interval, check.timeout, check.healthy_threshold,
                           check.unhealthy_threshold)


def target_group(bp: Blueprint, service: Service) -> TargetGroupPlan:
    route = service.route
    assert route is not None and service.port is not None
    conditions = ((("host-header", route.host),) if route.host else ()) + (("path-pattern", route.path),)
    return TargetGroupPlan(
        service=service.name,
        logical_id=logical_id(service.name, "TargetGroup"),
        tf_key=service.name,
        name=fitted(f"{bp.name}-{service.name}", NAME_MAX),
        port=service.port,
        target_type="ip" if bp.awsvpc(service) else "instance",
        vpc_id=bp.network.vpc_id,
        health=health_of(service.health_check),
        deregistration_delay=route.deregistration_delay,
        priority=route.priority or route_priority(route.host, route.path),
        conditions=conditions,
    )


def plan_load_balancer(bp: Blueprint) -> LoadBalancerPlan | None:
    lb = bp.load_balancer
    if lb is None:
        return None
    routed = [s for s in bp.services if bp.routed(s)]
    certificate = lb.certificate_arn
    if certificate is not None:
        listeners = (
            ListenerPlan("HttpListener", "http", HTTP_PORT, "HTTP", "redirect"),
            ListenerPlan("HttpsListener", "https", HTTPS_PORT, "HTTPS", "not-found", certificate, SSL_POLICY),
        )
    else:
        listeners = (ListenerPlan("HttpListener", "http", HTTP_PORT, "HTTP", "not-found",
                                  waivers=waivers.PLAIN_HTTP_LISTENER),)
    cidrs = lb.allowed_cidrs or bp.network.allowed_cidrs
    ingress = tuple(LoadBalancerIngress(listener.port, cidr, f"{listener.protocol} from {cidr}")
                    for listener in listeners for cidr in cidrs)
    instance_targets = any(not bp.awsvpc(s) for s in routed)
    return LoadBalancerPlan(
        name=fitted(f"{bp.name}-alb", NAME_MAX),
        scheme=lb.scheme,
        subnet_ids=tuple(lb.subnet_ids or bp.network.subnet_ids),
        vpc_id=bp.network.vpc_id,
        security_group=f"{bp.name}-alb",
        security_group_description=f"Load balancer of {bp.name}: listeners from allowed networks, only the services "
                                   "targets behind it",
        ingress=ingress,
        listeners=listeners,
        target_groups=tuple(target_group(bp, s) for s in routed),
        host_ports=dynamic_host_ports(bp) if instance_targets else None,
        task_ports=tuple(sorted({s.port for s in routed if bp.awsvpc(s) and s.port is not None})),
        waivers=waivers.load_balancer(lb.scheme, certificate is not None),
        security_group_waivers=waivers.load_balancer_security_group(bool(set(cidrs) & set(WORLD_CIDRS)),
                                                                    certificate is not None),
    )
