"""``gen doctor``: check a live deployment against its blueprint, each check with a hint.

The checks follow the order in which a gMSA deployment comes to life: the directory, the VPC's
answer for the domain (Linux hosts and Fargate tasks ask it), the cluster, hosts that advertise
the gMSA capability of their mode (``ecs.capability.gmsa`` or ``ecs.capability.gmsa-domainless``),
the specs in their store, the roles' right to read them and the domainless user's secret, and the
services' running tasks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from generator.aws.domain_dns import domain_resolution
from generator.aws.iam_simulation import ROLE_MISSING, simulate
from generator.aws.publish import resolve
from generator.aws.session import Aws, missing_is_none
from generator.errors import AwsError
from generator.expr import Value
from generator.plan import Plan
from generator.plan.credential_specs import HOSTS, SETUP, SpecPlan

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    hint: str = ""


def run_checks(aws: Aws, plan: Plan) -> list[Check]:
    """Every check of ``plan``'s deployment, in order."""
    account_id = aws.account_id()
    cluster = _cluster(aws, plan)
    checks = [_directory(aws, plan), _domain_dns(aws, plan), cluster]
    if plan.hosts is None:
        checks.append(Check("hosts", SKIP, "Fargate runs the tasks: there are no hosts to check"))
    elif cluster.status == PASS:
        checks += list(_container_instances(aws, plan))
    else:
        checks.append(Check("hosts", SKIP, "no cluster to register in"))
    checks += [_spec(aws, plan, spec, account_id) for spec in plan.specs]
    checks += [_can_read(aws, plan, spec, account_id) for spec in plan.specs]
    checks += list(_domainless_secret(aws, plan, account_id))
    if cluster.status == PASS:
        checks += list(_services(aws, plan))
    else:
        checks += [Check(f"service {s.name}", SKIP, "no cluster to run in") for s in plan.services]
    return checks


# --- directory and cluster ---------------------------------------------------------------------

_STAGE_HINTS = {
    "Requested": "the directory is being created; wait until it is Active (about 30 minutes)",
    "Creating": "the directory is being created; wait until it is Active (about 30 minutes)",
    "Created": "the directory is being created; wait until it is Active",
    "Impaired": "see the directory's health in the Directory Service console; AWS is restoring it",
    "Inoperable": "see the directory's health in the Directory Service console and contact AWS Support",
    "Failed": "creation failed; see the stack events, fix the cause and deploy again",
}


def _directory(aws: Aws, plan: Plan) -> Check:
    name = "directory"
    if plan.directory.managed is None and plan.directory.directory_id is None:
        return Check(name, SKIP, "on-premises directory: Directory Service has nothing to check")
    if plan.directory.managed is None:
        found = _directories(aws, [str(plan.directory.directory_id)])
    else:
        # The stack's directory: same name and VPC (an old one kept by its Retain policy may share
        # the name); an Active one first.
        found = sorted(
            (d for d in _directories(aws, None)
             if d["Name"].lower() == plan.directory.dns_name.lower()
             and (d.get("VpcSettings") or {}).get("VpcId") == plan.directory.managed.vpc_id),
            key=lambda d: d.get("Stage") != "Active",
        )
    if not found:
        wanted = plan.directory.directory_id if plan.directory.managed is None else plan.directory.dns_name
        hint = "deploy the stack first" if plan.directory.managed else "check directory.existing.directory_id and --region"
        return Check(name, FAIL, f"no directory {wanted} in {aws.region}", hint)
    directory = found[0]
    stage = directory.get("Stage", "")
    detail = f"{directory['DirectoryId']} ({directory['Name']}) is {stage}"
    if stage == "Active":
        return Check(name, PASS, detail)
    return Check(name, FAIL, detail, _STAGE_HINTS.get(stage, "see the Directory Service console"))


def _directories(aws: Aws, ids: list[str] | None) -> list[dict[str, Any]]:
    kwargs: dict[str, Any] = {"DirectoryIds": ids} if ids else {}
    found: list[dict[str, Any]] = []
    try:
        while True:
            page = aws.call("ds", "describe_directories", ids[0] if ids else "", **kwargs)
            found += page["DirectoryDescriptions"]
            if not page.get("NextToken"):
                return found
            kwargs["NextToken"] = page["NextToken"]
    except AwsError as exc:
        if exc.code == "EntityDoesNotExistException":
            return []
        raise


def _domain_dns(aws: Aws, plan: Plan) -> Check:
    name = "domain DNS"
    if plan.platform == "windows":
        return Check(name, SKIP, "Windows hosts send the domain's names to its DNS servers themselves (NRPT rules)")
    found = domain_resolution(aws, plan.vpc_id, plan.directory.dns_name)
    if found.found:
        return Check(name, PASS, found.detail)
    hint = ("deploy the stack first: it creates the Route 53 Resolver rule" if plan.dns_forwarding is not None
            else "set network.dns_forwarding: true and deploy (a Route 53 Resolver rule that forwards the domain to "
                 "its DNS servers), or associate a forwarding rule of your own with the VPC")
    return Check(name, FAIL, found.detail, hint)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _cluster(aws: Aws, plan: Plan) -> Check:
    clusters = aws.call("ecs", "describe_clusters", plan.cluster.name, clusters=[plan.cluster.name])["clusters"]
    if not clusters or clusters[0].get("status") != "ACTIVE":
        return Check("cluster", FAIL, f"no active ECS cluster {plan.cluster.name} in {aws.region}", "deploy the stack first")
    return Check("cluster", PASS, f"{plan.cluster.name} is ACTIVE")


def _container_instances(aws: Aws, plan: Plan) -> Iterator[Check]:
    capability = plan.gmsa_capability
    arns: list[str] = []
    kwargs: dict[str, Any] = {"cluster": plan.cluster.name}
    while True:
        page = aws.call("ecs", "list_container_instances", plan.cluster.name, **kwargs)
        arns += page["containerInstanceArns"]
        if not page.get("nextToken"):
            break
        kwargs["nextToken"] = page["nextToken"]
    if not arns:
        yield Check("hosts", FAIL, f"no container instance is registered in {plan.cluster.name}", _unregistered_hint(plan))
        return
    described = [
        instance
        for chunk in _chunks(arns, 100)  # the most DescribeContainerInstances takes
        for instance in aws.call("ecs", "describe_container_instances", plan.cluster.name, cluster=plan.cluster.name,
                                 containerInstances=chunk)["containerInstances"]
    ]
    for instance in sorted(described, key=lambda i: i.get("ec2InstanceId", "")):
        host = instance.get("ec2InstanceId") or instance["containerInstanceArn"].rsplit("/", 1)[-1]
        names = {a["name"] for a in instance.get("attributes", [])}
        if capability in names:
            yield Check(f"host {host}", PASS, f"advertises {capability}")
        else:
            yield Check(f"host {host}", FAIL, f"does not advertise {capability}: gMSA tasks cannot be placed on it",
                        _capability_hint(plan))


def _unregistered_hint(plan: Plan) -> str:
    """Where a host that never registered stopped: its boot steps."""
    assert plan.bootstrap is not None
    if plan.platform == "linux":
        return ("hosts register once their user data has run: check the Auto Scaling group has instances, then "
                "/var/log/cloud-init-output.log on one (through Session Manager)")
    when = "once their boot steps start the agent" if plan.domainless else "only once joined"
    return (f"hosts register {when}: check the Auto Scaling group has instances and that the association "
            f"{plan.bootstrap.association_name} succeeded (aws ssm list-command-invocations --details)")


def _capability_hint(plan: Plan) -> str:
    """Why an agent does not advertise the capability of its mode, per variant (the agent decides
    it once, when it starts: amazon-ecs-agent ``agent/app/agent_capability*.go``)."""
    assert plan.bootstrap is not None
    if plan.platform == "linux":
        return ("the agent offers gMSA only when credentials-fetcher runs and /etc/ecs/ecs.config holds "
                "ECS_GMSA_SUPPORTED=true before it starts: check systemctl status credentials-fetcher, then "
                "systemctl restart ecs")
    if plan.domainless:
        return ("the agent offers domainless gMSA only when ECS_GMSA_SUPPORTED=true is set before it starts and the "
                "AWS CCG plugin is registered (the boot steps stop, naming it, when it is not): check the association "
                f"{plan.bootstrap.association_name}, then Restart-Service AmazonECS")
    return ("the ECS agent checks domain membership only when it starts; usually it started before the domain join. "
            f"Check the host is joined and in {plan.hosts.gmsa_group if plan.hosts else ''}, then restart the agent "
            "(Restart-Service AmazonECS) or re-run the bootstrap association")


# --- credential specs --------------------------------------------------------------------------


def _stored_text(aws: Aws, plan: Plan, spec: SpecPlan, account_id: str) -> tuple[str, str | None]:
    if spec.store == "ssm":
        assert spec.parameter_name is not None
        found = missing_is_none(aws, "ssm", "get_parameter", spec.parameter_name, ("ParameterNotFound",),
                                Name=spec.parameter_name)
        return f"ssm:{spec.parameter_name}", found["Parameter"]["Value"] if found else None
    bucket = resolve(spec.bucket, account_id)
    location = f"s3://{bucket}/{spec.key}"
    found = missing_is_none(aws, "s3", "get_object", location, ("NoSuchKey", "NoSuchBucket", "404"),
                            Bucket=bucket, Key=spec.key)
    return location, found["Body"].read().decode("utf-8", "replace") if found else None


def _spec(aws: Aws, plan: Plan, spec: SpecPlan, account_id: str) -> Check:
    name = f"spec {spec.account}"
    if spec.store == "file":
        return Check(name, SKIP, f"stored on each host as {spec.location}; the bootstrap writes it")
    location, stored = _stored_text(aws, plan, spec, account_id)
    if stored is None:
        return Check(name, FAIL, f"{location} does not exist", _who_writes(plan, spec))
    if not spec.pending:
        if stored == spec.text:
            return Check(name, PASS, f"{location} equals what the blueprint renders")
        return Check(name, FAIL, f"{location} differs from what the blueprint renders",
                     "run gen publish with this blueprint to write the current spec")
    problem = _generated_spec_problem(stored, spec, plan)
    if problem:
        return Check(name, FAIL, f"{location}: {problem}", "delete it and let its writer write it again, or run gen "
                     "publish with --sid and --guid")
    return Check(name, PASS, f"{location} was generated for {spec.account} in {plan.directory.dns_name}")


def _who_writes(plan: Plan, spec: SpecPlan) -> str:
    """Where to look when a spec is missing: what writes it."""
    if spec.writer == SETUP:
        return (f"the directory setup writes it: check the association {plan.directory_setup.association_name} "
                "(aws ssm list-command-invocations --details), or run gen publish with --sid and --guid")
    if spec.writer == HOSTS:
        return (f"the hosts write it before their agent starts: check the association {plan.bootstrap.association_name}, "
                "or run gen publish with this blueprint" + (" and --sid and --guid" if spec.pending else ""))
    return "deploy the stack, or run gen publish with this blueprint"


def _generated_spec_problem(stored: str, spec: SpecPlan, plan: Plan) -> str:
    """What is wrong with a spec a host generated (its SID/GUID cannot be compared)."""
    try:
        document = json.loads(stored)
        join = document["DomainJoinConfig"]
    except (ValueError, KeyError, TypeError):
        return "is not a credential spec (not JSON with DomainJoinConfig)"
    if "__DOMAIN_" in stored:
        return "still holds placeholders instead of the domain SID/GUID"
    if join.get("MachineAccountName") != spec.account or str(join.get("DnsName", "")).lower() != plan.directory.dns_name.lower():
        return f"is for {join.get('MachineAccountName')} in {join.get('DnsName')}, not {spec.account} in {plan.directory.dns_name}"
    return ""


# --- IAM ---------------------------------------------------------------------------------------


def _can_read(aws: Aws, plan: Plan, spec: SpecPlan, account_id: str) -> Check:
    name = f"execution role reads {spec.account}"
    if spec.arn is None:
        return Check(name, SKIP, "a file spec is read from the host's disk, not through IAM")
    if not any(s.account == spec.account for s in plan.services):
        return Check(name, SKIP, f"no service runs as {spec.account}")
    role_arn = resolve(plan.execution_role.arn, account_id)
    resource = resolve(spec.arn, account_id)
    action = "ssm:GetParameters" if spec.store == "ssm" else "s3:GetObject"
    allowed, how = simulate(aws, role_arn, action, resource)
    if allowed:
        return Check(name, PASS, f"{plan.execution_role.name} may {action} on it ({how})")
    hint = ("deploy the stack first" if how == ROLE_MISSING
            else "deploy the stack again so the execution role's inline policy lists this spec")
    return Check(name, FAIL, f"{plan.execution_role.name} may not {action} on {resource} ({how})", hint)


def _domainless_secret(aws: Aws, plan: Plan, account_id: str) -> Iterator[Check]:
    """The domainless user's secret exists (when the stack generates it) and every role that reads
    it may: the execution role (credentialspec_windows.go, credentialspec_linux.go), and on Linux
    hosts the host role too (credentials-fetcher reads it with the instance's credentials)."""
    if plan.domainless_secret is None:
        return
    arn = _secret_arn(aws, plan, plan.domainless_secret, account_id)
    if arn is None:
        prefix = plan.directory_setup.principal_secret.name_prefix if plan.directory_setup.principal_secret else ""
        yield Check("domainless secret", FAIL, f"no secret named {prefix}... in {aws.region}", "deploy the stack first")
        return
    readers = [plan.execution_role, *([plan.host_role] if plan.platform == "linux" and plan.host_role else [])]
    for role in readers:
        name = f"{role.key.replace('_', ' ')} role reads the domainless secret"
        allowed, how = simulate(aws, resolve(role.arn, account_id), "secretsmanager:GetSecretValue", arn)
        if allowed:
            yield Check(name, PASS, f"{role.name} may secretsmanager:GetSecretValue on {arn} ({how})")
        else:
            hint = "deploy the stack first" if how == ROLE_MISSING else "deploy the stack again so the role's inline policy lists the secret"
            yield Check(name, FAIL, f"{role.name} may not secretsmanager:GetSecretValue on {arn} ({how})", hint)


def _secret_arn(aws: Aws, plan: Plan, secret: Value, account_id: str) -> str | None:
    """The secret's ARN: as given, or the one the stack generated, found by its name prefix."""
    if isinstance(secret, str):
        return resolve(secret, account_id)
    setup = plan.directory_setup.principal_secret
    assert setup is not None, "a secret gen does not name is the one the stack generates"
    listed = aws.call("secretsmanager", "list_secrets", setup.name_prefix,
                      Filters=[{"Key": "name", "Values": [setup.name_prefix]}])["SecretList"]
    found = sorted(s["ARN"] for s in listed if s["Name"].startswith(setup.name_prefix))
    return found[0] if found else None


# --- services ----------------------------------------------------------------------------------


def _services(aws: Aws, plan: Plan) -> Iterator[Check]:
    if not plan.services:
        return
    by_name = {
        s["serviceName"]: s
        for chunk in _chunks([s.name for s in plan.services], 10)  # the most DescribeServices takes
        for s in aws.call("ecs", "describe_services", plan.cluster.name, cluster=plan.cluster.name,
                          services=chunk).get("services", [])
        if s.get("status") == "ACTIVE"
    }
    for service in plan.services:
        name = f"service {service.name}"
        found = by_name.get(service.name)
        if found is None:
            yield Check(name, FAIL, f"no active service {service.name} in {plan.cluster.name}", "deploy the stack first")
            continue
        running, desired = found.get("runningCount", 0), found.get("desiredCount", 0)
        if running >= desired:
            yield Check(name, PASS, f"{running} of {desired} tasks running")
            continue
        reason = _last_stop_reason(aws, plan, service.name)
        yield Check(
            name, FAIL, f"{running} of {desired} tasks running" + (f"; last stop: {reason}" if reason else ""),
            "a task that cannot read its credential spec or find a host with ecs.capability.gmsa does not start; "
            "fix the checks above first, then see the service events (aws ecs describe-services)",
        )


def _last_stop_reason(aws: Aws, plan: Plan, service: str) -> str:
    stopped = aws.call("ecs", "list_tasks", service, cluster=plan.cluster.name, serviceName=service,
                       desiredStatus="STOPPED")["taskArns"]
    if not stopped:
        return ""
    tasks = aws.call("ecs", "describe_tasks", service, cluster=plan.cluster.name, tasks=stopped[:10])["tasks"]
    reasons = [t.get("stoppedReason", "") for t in sorted(tasks, key=lambda t: str(t.get("stoppedAt", "")))]
    return reasons[-1] if reasons else ""


# --- reporting ---------------------------------------------------------------------------------


def as_table(checks: list[Check]) -> str:
    width = max(len(c.name) for c in checks)
    lines = []
    for check in checks:
        lines.append(f"{check.status:<4}  {check.name:<{width}}  {check.detail}")
        if check.hint and check.status == FAIL:
            lines.append(f"{'':<4}  {'':<{width}}  hint: {check.hint}")
    failed = sum(c.status == FAIL for c in checks)
    lines.append(f"{len(checks)} checks: {len(checks) - failed - sum(c.status == SKIP for c in checks)} passed, "
                 f"{failed} failed, {sum(c.status == SKIP for c in checks)} skipped")
    return "\n".join(lines) + "\n"


def as_json(checks: list[Check]) -> str:
    return json.dumps({"passed": all(c.status != FAIL for c in checks), "checks": [asdict(c) for c in checks]},
                      indent=2) + "\n"
