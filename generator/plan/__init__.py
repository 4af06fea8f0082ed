"""The plan: everything one blueprint builds, decided once.

:func:`build_plan` resolves a valid blueprint into a :class:`Plan`. Each concern is decided in a
module of its own (the same names as the CloudFormation builders in
:mod:`generator.render.cloudformation` and the Terraform templates in ``templates/terraform/``):

- :mod:`~generator.plan.directory`: the Active Directory, created or existing;
- :mod:`~generator.plan.directory_setup`: the directory's objects (group, gMSAs, join account);
- :mod:`~generator.plan.hosts`: the container hosts and their ECS cluster;
- :mod:`~generator.plan.bootstrap`: how a host joins the domain and starts its agent;
- :mod:`~generator.plan.credential_specs`: where the specs are stored and how they are referred
  to (the documents are :mod:`~generator.plan.credspec`'s);
- :mod:`~generator.plan.iam`: the roles, from :mod:`~generator.plan.policies`' statements;
- :mod:`~generator.plan.services`: task definitions and services;
- :mod:`~generator.plan.stacks`: which CloudFormation stack holds each service, once they do not
  fit one.
- :mod:`~generator.plan.load_balancer`: the load balancer, its listeners and target groups;
- :mod:`~generator.plan.autoscaling`: scaling of the services' task counts.

The renderers only translate the plan, so nothing about gMSA is decided twice. Values only known
at deploy time are :mod:`generator.expr` references.
"""

from __future__ import annotations

from typing import NamedTuple

from generator.blueprint.model import Blueprint
from generator.expr import LOAD_BALANCER_DNS_NAME, Value
from generator.facts.agent import GMSA_CAPABILITY
from generator.facts.aws import partition_of
from generator.naming import logical_id
from generator.plan.bootstrap import BootstrapPlan, plan_bootstrap
from generator.plan.credential_specs import (
    STACK,
    BucketPlan,
    SpecPlan,
    SpecWriterPlan,
    plan_bucket,
    plan_spec_writer,
    plan_specs,
    reference_field,
)
from generator.plan.directory import DirectoryPlan, plan_directory
from generator.plan.directory_setup import DirectorySetupPlan, plan_directory_setup
from generator.plan.dns import DnsForwardingPlan, plan_dns_forwarding
from generator.plan.hosts import ClusterPlan, HostsPlan, plan_cluster, plan_hosts
from generator.plan.iam import (
    RolePlan,
    domainless_secret_of,
    join_secret_of,
    plan_execution_role,
    plan_host_role,
    plan_setup_role,
    plan_spec_writer_role,
)
from generator.plan.load_balancer import LoadBalancerPlan, plan_load_balancer
from generator.plan.services import ServicePlan, TaskNetworkPlan, gmsa_capability, plan_services, plan_task_network
from generator.plan.stacks import ServiceStack, StackExports, plan_exports, plan_service_stacks
from generator.plan.tags import Tag, blueprint_tags


class Output(NamedTuple):
    name: str
    description: str
    value: Value


class Plan(NamedTuple):
    """Everything one blueprint builds."""

    name: str
    source: str
    region: str
    partition: str
    tags: tuple[Tag, ...]
    directory: DirectoryPlan
    hosts: HostsPlan | None  # None on Fargate
    cluster: ClusterPlan
    directory_setup: DirectorySetupPlan
    store: str
    reference_field: str  # credentialSpecs | dockerSecurityOptions
    bucket: BucketPlan | None
    specs: tuple[SpecPlan, ...]
    host_role: RolePlan | None  # None on Fargate
    setup_role: RolePlan | None
    execution_role: RolePlan
    bootstrap: BootstrapPlan | None  # None on Fargate
    services: tuple[ServicePlan, ...]
    task_network: TaskNetworkPlan | None
    log_retention_days: int
    platform: str = "windows"  # windows | linux | fargate
    domainless: bool = False
    gmsa_capability: str = GMSA_CAPABILITY
    spec_writer: SpecWriterPlan | None = None
    spec_writer_role: RolePlan | None = None
    dns_forwarding: DnsForwardingPlan | None = None
    #: The VPC the system runs in (whose resolver Linux hosts and Fargate tasks ask for the domain).
    vpc_id: str = ""
    #: The domainless user's secret (given, or the one the stack generates); None when joined.
    domainless_secret: Value | None = None
    load_balancer: LoadBalancerPlan | None = None
    outputs: tuple[Output, ...] = ()
    #: Where each service goes when the CloudFormation output does not fit one stack.
    service_stacks: tuple[ServiceStack, ...] = ()
    exports: StackExports | None = None

    @property
    def stack_specs(self) -> tuple[SpecPlan, ...]:
        """Specs the stack itself stores (the directory setup and the hosts write the others)."""
        return tuple(s for s in self.specs if s.writer == STACK)

    @property
    def spec_files(self) -> dict[str, str]:
        """Spec files gen writes next to the IaC: one per account whose domain is known."""
        return {s.out_path: s.text for s in self.specs if not s.pending}

    @property
    def roles(self) -> tuple[RolePlan, ...]:
        """Every role of the system, the hosts' first."""
        optional = (self.host_role, self.setup_role, self.spec_writer_role)
        return (*(r for r in optional if r is not None), self.execution_role, *self.task_roles)

    @property
    def scaled_services(self) -> tuple[ServicePlan, ...]:
        return tuple(s for s in self.services if s.scaling is not None)

    @property
    def task_roles(self) -> tuple[RolePlan, ...]:
        return tuple(s.task_role for s in self.services if s.task_role is not None)


def build_plan(bp: Blueprint, source: str) -> Plan:
    """Resolve ``bp`` (already valid) into a :class:`Plan`; ``source`` names it in headers."""
    partition = partition_of(bp.region)
    directory = plan_directory(bp)
    bucket = plan_bucket(bp, partition)
    specs = plan_specs(bp, partition, bucket)
    cluster = plan_cluster(bp)
    boot = plan_bootstrap(bp, dns_ips=directory.dns_ips, join_secret_arn=join_secret_of(bp), cluster_name=cluster.name,
                          specs=specs, bucket=bucket)
    plan = Plan(
        name=bp.name,
        source=source,
        region=bp.region,
        partition=partition,
        tags=blueprint_tags(bp),
        directory=directory,
        directory_setup=plan_directory_setup(bp, dns_ips=directory.dns_ips, specs=specs, bucket=bucket),
        hosts=plan_hosts(bp),
        cluster=cluster,
        store=bp.credential_specs.store,
        reference_field=reference_field(bp),
        bucket=bucket,
        specs=specs,
        host_role=plan_host_role(bp, partition, specs, bucket),
        setup_role=plan_setup_role(bp, partition, specs, bucket),
        execution_role=plan_execution_role(bp, partition, specs, bucket),
        bootstrap=boot,
        services=plan_services(bp, partition, specs),
        task_network=plan_task_network(bp),
        log_retention_days=bp.log_retention_days,
        platform=bp.platform,
        domainless=bp.domainless,
        gmsa_capability=gmsa_capability(bp),
        spec_writer=plan_spec_writer(bp, specs),
        spec_writer_role=plan_spec_writer_role(bp, partition, specs, bucket),
        dns_forwarding=plan_dns_forwarding(bp),
        vpc_id=bp.network.vpc_id,
        domainless_secret=domainless_secret_of(bp),
        service_stacks=plan_service_stacks(bp),
        exports=plan_exports(bp),
        load_balancer=plan_load_balancer(bp),
    )
    return plan._replace(outputs=plan_outputs(plan))


def plan_outputs(plan: Plan) -> tuple[Output, ...]:
    """What a deployment reports: the cluster, roles, directory and where each spec is."""
    outputs = [
        Output("ClusterName", "ECS cluster of the services", plan.cluster.name),
        *([Output("HostRoleArn", "Role of the container hosts", plan.host_role.arn)] if plan.host_role else []),
        Output("TaskExecutionRoleArn", "Task execution role (reads the credential specs)", plan.execution_role.arn),
        Output("DirectoryDnsIps", "DNS addresses of the directory", plan.directory.dns_ips),
    ]
    if plan.directory.directory_id is not None:
        outputs.insert(1, Output("DirectoryId", "Directory Service id", plan.directory.directory_id))
    if plan.load_balancer is not None:
        outputs.append(Output("LoadBalancerDnsName", "DNS name of the load balancer", LOAD_BALANCER_DNS_NAME))
    for spec in plan.specs:
        outputs.append(Output(logical_id(spec.account, "CredentialSpec"), f"Where the credential spec of {spec.account} is stored", spec.location))
    return tuple(outputs)
