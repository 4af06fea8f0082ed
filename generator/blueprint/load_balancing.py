"""The blueprint's sections about serving traffic: the load balancer, a service's route and
health checks, its autoscaling and its deployments (version 1, all optional).

The limits ELB puts on these values are checked by the rules in
:mod:`generator.blueprint.rules.load_balancer` (from :mod:`generator.facts.load_balancer`), so a
mistake is reported with the rule's id and a hint.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from generator.blueprint.types import (
    CERTIFICATE_ARN_RE,
    HEALTH_PATH_RE,
    MATCHER_RE,
    ROUTE_HOST_RE,
    ROUTE_PATH_RE,
    SUBNET_RE,
    Cidr,
    Strict,
    optional_patterned,
    patterned,
)
from generator.facts.load_balancer import DEREGISTRATION_DELAY, RULE_PRIORITY


class LoadBalancer(Strict):
    """One Application Load Balancer in front of the services that have a route."""

    scheme: Literal["internal", "internet-facing"] = Field(
        default="internal", description="internal (reached from the VPC and networks joined to it) or internet-facing."
    )
    subnet_ids: list[Annotated[str, patterned(SUBNET_RE, "A subnet of the load balancer")]] = Field(
        default_factory=list,
        description="Subnets of the load balancer, in at least two Availability Zones (public ones when "
        "internet-facing); default network.subnet_ids.",
    )
    certificate_arn: Annotated[str, Field(pattern=CERTIFICATE_ARN_RE)] | None = optional_patterned(
        CERTIFICATE_ARN_RE, "ACM certificate of an HTTPS listener on 443; port 80 then redirects to it"
    )
    allowed_cidrs: list[Cidr] = Field(
        default_factory=list,
        description="Networks allowed to reach the listeners; default network.allowed_cidrs. 0.0.0.0/0 needs "
        "network.allow_internet_ingress (rule GEN024).",
    )
    allow_plain_http: bool = Field(
        default=False,
        description="Opt in to an internet-facing load balancer without certificate_arn: its only listener is "
        "plain HTTP on 80, so requests and credentials cross the internet unencrypted (rule GEN047).",
    )


class Route(Strict):
    """Which requests the load balancer forwards to the service: a listener rule."""

    path: Annotated[str, patterned(ROUTE_PATH_RE, "Path pattern of the requests")] = "/*"
    host: Annotated[str, Field(pattern=ROUTE_HOST_RE)] | None = optional_patterned(
        ROUTE_HOST_RE, "Host header of the requests; with no wildcard, also the SPN HTTP/<host> the directory setup "
        "registers on the service's gMSA, for Kerberos"
    )
    priority: int | None = Field(
        default=None, ge=RULE_PRIORITY[0], le=RULE_PRIORITY[1],
        description="Listener rule priority (1 first); default derived from the route alone, more specific routes "
        "first, so adding or removing a service never renumbers the others.",
    )
    deregistration_delay: int = Field(
        default=20, ge=DEREGISTRATION_DELAY[0], le=DEREGISTRATION_DELAY[1],
        description="Seconds the load balancer lets a stopping task finish its requests; keep it below the "
        "container's stop timeout (the agent's default is 30 s).",
    )


class HealthCheck(Strict):
    """How the load balancer (and, with a command, Docker) tells a healthy task."""

    path: Annotated[str, patterned(HEALTH_PATH_RE, "Path the load balancer requests")] = "/"
    matcher: Annotated[str, patterned(MATCHER_RE, "HTTP codes that mean healthy, between 200 and 499")] = "200-399"
    interval: int = Field(default=30, description="Seconds between checks (5-300).")
    timeout: int = Field(default=5, description="Seconds before a check fails (2-120, below interval).")
    healthy_threshold: int = Field(default=3, description="Passed checks before a target is healthy (2-10).")
    unhealthy_threshold: int = Field(default=3, description="Failed checks before a target is unhealthy (2-10).")
    grace_period: int = Field(
        default=120, ge=0, le=2147483647,
        description="Seconds ECS ignores failed health checks after a task starts: Windows containers start slowly.",
    )
    command: list[str] | None = Field(
        default=None, min_length=2,
        description='A container health check, only if given: ["CMD", "curl.exe", "-f", "http://localhost/health"] '
        "(CMD runs it directly; CMD-SHELL in the image's shell). Nano Server images have no PowerShell.",
    )


class Autoscaling(Strict):
    """Application Auto Scaling target tracking of the service's task count."""

    min: int = Field(ge=0, le=1000, description="Fewest tasks.")
    max: int = Field(ge=1, le=1000, description="Most tasks.")
    cpu_target: int = Field(ge=1, le=100, description="Average CPU utilization (%) to keep the service at.")


class Deployment(Strict):
    """How a rolling deployment replaces tasks."""

    minimum_healthy_percent: int | None = Field(
        default=None, ge=0, le=100,
        description="Tasks that stay running, in % of the desired count (rounded up); default 100 for a routed "
        "service, so its only task is never stopped before its replacement is healthy.",
    )
    maximum_percent: int | None = Field(
        default=None, ge=100, le=1000,
        description="Tasks that may run at once, in % of the desired count (rounded down); default 200, or 100 "
        "for a service that publishes a fixed host port.",
    )
