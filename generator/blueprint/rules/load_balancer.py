"""Rules about the load balancer and the services' routes and health checks."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint, Service
from generator.blueprint.rules.registry import SERVICES, Finding, rule
from generator.facts.load_balancer import (
    HEALTH_CHECK_INTERVAL,
    HEALTH_CHECK_THRESHOLD,
    HEALTH_CHECK_TIMEOUT,
    MATCHER_CODES,
    WILDCARDS_PER_RULE,
)
from generator.naming import route_priority

ALB_DOCS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html"
HEALTH_DOCS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html"
HTTPS_DOCS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html"
SUBNETS_DOCS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer"
SPN_DOCS = "https://learn.microsoft.com/virtualization/windowscontainers/manage-containers/manage-serviceaccounts"
ECS_LB_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html"


def route_of(service: Service) -> tuple[str, str]:
    """A route's identity: ALB compares host names without case, paths with it."""
    assert service.route is not None
    return ((service.route.host or "").lower(), service.route.path)


def priority_of(service: Service) -> int:
    assert service.route is not None
    return service.route.priority or route_priority(service.route.host, service.route.path)


@rule("GEN043", "a service with a route has a load balancer to be routed by", ECS_LB_DOCS, items=SERVICES)
def route_needs_load_balancer(bp: Blueprint) -> Iterator[Finding]:
    if bp.load_balancer is not None:
        return
    for index, service in enumerate(bp.services):
        if service.route is not None:
            yield Finding(("services", index, "route"), f"service {service.name} has a route but the blueprint has no load_balancer",
                          "add a load_balancer section (scheme, certificate_arn, allowed_cidrs), or remove the route")


@rule("GEN044", "a routed service has a container port for the load balancer to reach", ECS_LB_DOCS, items=SERVICES)
def routed_service_has_port(bp: Blueprint) -> Iterator[Finding]:
    for index, service in enumerate(bp.services):
        if service.route is not None and service.port is None:
            yield Finding(("services", index, "route"), f"service {service.name} has a route but no port",
                          "set port to the port the container listens on (the host port is picked by the ECS agent)")


@rule("GEN045", "no two services have the same route", ALB_DOCS)
def unique_routes(bp: Blueprint) -> Iterator[Finding]:
    owner: dict[tuple[str, str], str] = {}
    for index, service in enumerate(bp.services):
        if service.route is None:
            continue
        key = route_of(service)
        if key in owner:
            where = f"host {service.route.host} and path {key[1]}" if service.route.host else f"path {key[1]}"
            yield Finding(("services", index, "route"), f"the route ({where}) is already service {owner[key]}'s",
                          "give each service a path or host of its own; the load balancer would send every such "
                          "request to the first")
        else:
            owner[key] = service.name


@rule("GEN046", "listener-rule priorities are unique", ALB_DOCS)
def unique_priorities(bp: Blueprint) -> Iterator[Finding]:
    owner: dict[int, tuple[str, tuple[str, str]]] = {}
    for index, service in enumerate(bp.services):
        if service.route is None:
            continue
        priority = priority_of(service)
        if priority not in owner:
            owner[priority] = (service.name, route_of(service))
        elif service.route.priority or owner[priority][1] != route_of(service):  # one route twice is GEN045's
            derived = "" if service.route.priority else " (derived from the route)"
            yield Finding(("services", index, "route"), f"listener-rule priority {priority}{derived} is already service "
                          f"{owner[priority][0]}'s", "set route.priority of one of them to a number (1-50000) no other "
                          "route uses; lower numbers are matched first")


@rule("GEN047", "an internet-facing load balancer has a certificate, unless the blueprint opts in to plain HTTP", HTTPS_DOCS)
def internet_facing_needs_tls(bp: Blueprint) -> Iterator[Finding]:
    lb = bp.load_balancer
    if lb is not None and lb.scheme == "internet-facing" and lb.certificate_arn is None and not lb.allow_plain_http:
        yield Finding(("load_balancer", "scheme"),
                      "an internet-facing load balancer without certificate_arn would carry requests and credentials "
                      "over the internet unencrypted",
                      "set load_balancer.certificate_arn to an ACM certificate (HTTPS on 443, port 80 redirects), or "
                      "load_balancer.allow_plain_http: true if that is what you mean")


@rule("GEN048", "health checks use values ELB accepts", HEALTH_DOCS, items=SERVICES)
def health_check_values(bp: Blueprint) -> Iterator[Finding]:
    ranges = {"interval": HEALTH_CHECK_INTERVAL, "timeout": HEALTH_CHECK_TIMEOUT,
              "healthy_threshold": HEALTH_CHECK_THRESHOLD, "unhealthy_threshold": HEALTH_CHECK_THRESHOLD}
    for index, service in enumerate(bp.services):
        check = service.health_check
        if check is None:
            continue
        at = ("services", index, "health_check")
        bad = False
        for key, (low, high) in ranges.items():
            value = getattr(check, key)
            if not low <= value <= high:
                bad = True
                yield Finding((*at, key), f"{key} {value} is outside {low}..{high}, what ELB accepts",
                              f"choose a {key} between {low} and {high}")
        if not bad and check.timeout >= check.interval:
            yield Finding((*at, "timeout"), f"timeout {check.timeout} is not shorter than interval {check.interval}",
                          "ELB refuses a health check whose timeout is not below its interval; lower timeout")
        codes = [int(c) for c in check.matcher.replace("-", ",").split(",")]
        low, high = MATCHER_CODES
        if not all(low <= c <= high for c in codes) or (("-" in check.matcher) and codes[0] > codes[1]):
            yield Finding((*at, "matcher"), f"{check.matcher} is not a list or rising range of codes within {low}..{high}",
                          "an Application Load Balancer accepts success codes from 200 to 499, e.g. 200-399")
        if check.command is not None and check.command[0] not in ("CMD", "CMD-SHELL"):
            yield Finding((*at, "command"), f"a container health check starts with CMD or CMD-SHELL, not {check.command[0]}",
                          'write ["CMD", "curl.exe", "-f", "http://localhost/health"], or put CMD-SHELL first to run '
                          "one string in the image's shell")


@rule("GEN049", "routes with one host name belong to one gMSA, which holds its SPN HTTP/<host>", SPN_DOCS)
def one_gmsa_per_host(bp: Blueprint) -> Iterator[Finding]:
    owner: dict[str, tuple[str, str]] = {}
    for index, service in enumerate(bp.services):
        host = service.route.host if service.route is not None else None
        if host is None or any(c in host for c in "*?"):
            continue
        seen = owner.setdefault(host.lower(), (service.gmsa, service.name))
        if seen[0].lower() != service.gmsa.lower():
            yield Finding(("services", index, "gmsa"),
                          f"host {host} is also service {seen[1]}'s, which runs as {seen[0]}: the SPN HTTP/{host} can "
                          "be registered on one account only, so Kerberos would fail for one of them",
                          f"run both services as {seen[0]}, or give this route a host name of its own")


@rule("GEN050", "a route stays within ELB's limit of wildcards per rule", ALB_DOCS, items=SERVICES)
def route_wildcards(bp: Blueprint) -> Iterator[Finding]:
    for index, service in enumerate(bp.services):
        if service.route is None:
            continue
        text = (service.route.host or "") + service.route.path
        count = sum(text.count(c) for c in "*?")
        if count > WILDCARDS_PER_RULE:
            yield Finding(("services", index, "route"), f"the route has {count} wildcards; a listener rule may have "
                          f"{WILDCARDS_PER_RULE}", "use fewer * and ? in route.host and route.path together")


@rule("GEN051", "the load balancer has subnets in at least two Availability Zones", SUBNETS_DOCS)
def load_balancer_subnets(bp: Blueprint) -> Iterator[Finding]:
    lb = bp.load_balancer
    if lb is None:
        return
    subnets = lb.subnet_ids or bp.network.subnet_ids
    if len(set(subnets)) < 2:
        at = ("load_balancer", "subnet_ids") if lb.subnet_ids else ("network", "subnet_ids")
        yield Finding(at, "an Application Load Balancer needs subnets in at least two Availability Zones, this has one",
                      "list a subnet of a second Availability Zone in load_balancer.subnet_ids")
