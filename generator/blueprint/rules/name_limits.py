"""The names gen derives from a blueprint's name stay within what AWS accepts.

A blueprint's ``name`` (at most 24 characters) is checked to fit every name gen forms from it;
an environment grows it by ``-<environment>``, so the names are checked again as they will be.
:func:`derived_names` must name every resource the plan names after the blueprint (a test
compares them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import SERVICES, Finding, rule
from generator.blueprint.types import Loc
from generator.facts.aws import ACCOUNT_ID_LENGTH, NAME_LIMITS, SECRET_NAME_SUFFIX_LENGTH

IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"


@dataclass(frozen=True)
class DerivedName:
    """A name gen gives a resource, what kind it is and which key of the blueprint it comes from."""

    kind: str
    name: str
    loc: Loc

    @property
    def limit(self) -> int:
        return NAME_LIMITS[self.kind]


def derived_names(bp: Blueprint) -> list[DerivedName]:
    """Every name the plan forms from the blueprint's name (and services' names) that AWS limits."""
    name, at = bp.name, ("name",)
    names = [DerivedName("IAM role", f"{name}-task-execution", at), DerivedName("ECS cluster", name, at)]
    if bp.hosts is not None:
        names += [DerivedName("IAM role", f"{name}-host", at), DerivedName("IAM instance profile", f"{name}-host", at),
                  DerivedName("EC2 launch template", f"{name}-hosts", at),
                  DerivedName("EC2 security group", f"{name}-hosts", at),
                  DerivedName("Auto Scaling group", f"{name}-hosts", at),
                  DerivedName("ECS capacity provider", f"{name}-hosts", at)]
        if bp.platform == "windows":  # Linux hosts boot from user data, not an SSM document
            names += [DerivedName("SSM document", f"{name}-host-bootstrap", at),
                      DerivedName("SSM association", f"{name}-host-bootstrap", at)]
    if bp.directory.managed is not None:
        setup = f"{name}-directory-setup"
        names += [DerivedName(kind, setup, at) for kind in ("IAM role", "IAM instance profile", "EC2 security group",
                                                             "SSM document", "SSM association")]
        given = bp.credential_specs.domainless_secret if bp.domainless else (bp.hosts.join_secret if bp.hosts else None)
        if given is None:
            prefix = f"{name}-gmsa-reader-" if bp.domainless else f"{name}-ad-join-"
            names.append(DerivedName("Secrets Manager secret", prefix + "x" * SECRET_NAME_SUFFIX_LENGTH, at))
    if bp.network.dns_forwarding:
        names += [DerivedName(kind, f"{name}-domain-dns", at) for kind in ("Route 53 Resolver endpoint",
                                                                           "Route 53 Resolver rule")]
    specs = bp.credential_specs
    if specs.store == "s3" and specs.s3 is not None and specs.s3.create_bucket and specs.s3.bucket is None:
        names.append(DerivedName("S3 bucket", f"{name}-credspecs-{'0' * ACCOUNT_ID_LENGTH}-{bp.region}", at))
    if specs.store == "ssm" and (specs.ssm is None or specs.ssm.prefix is None):
        names += [DerivedName("SSM parameter", f"/{name}/credentialspecs/{a.name}", at) for a in bp.gmsa_accounts]
    if specs.store == "s3":  # the stack's spec writer, when the stack writes a spec (the plan decides)
        role = f"{name}-credential-spec-writer"
        names += [DerivedName("IAM role", role, at), DerivedName("Lambda function", role, at)]
    if any(bp.awsvpc(s) for s in bp.services):
        names.append(DerivedName("EC2 security group", f"{name}-tasks", at))
    names += [DerivedName("IAM inline policy", f"{n.name}-inline", n.loc) for n in list(names) if n.kind == "IAM role"]
    for index, service in enumerate(bp.services):
        where = ("services", index, "name")
        names += [DerivedName("ECS task definition family", f"{name}-{service.name}", where),
                  DerivedName("CloudWatch Logs log group", f"/ecs/{name}/{service.name}", where)]
        if service.task_role is not None:
            role = f"{name}-{service.name}-task"
            names += [DerivedName("IAM role", role, where), DerivedName("IAM inline policy", f"{role}-inline", where)]
    return names


@rule("GEN041", "every name gen forms from the blueprint's name (grown by -<environment>) fits the limit AWS sets "
      "for its kind of resource", IAM_QUOTAS, items=SERVICES)
def names_within_limits(bp: Blueprint) -> Iterator[Finding]:
    reported: set[tuple[str, Loc]] = set()
    for derived in derived_names(bp):
        over = len(derived.name) - derived.limit
        if over > 0 and (derived.kind, derived.loc) not in reported:
            reported.add((derived.kind, derived.loc))
            yield Finding(derived.loc, f"the {derived.kind} name {_shown(derived)} would be {len(derived.name)} "
                          f"characters; AWS accepts at most {derived.limit}",
                          f"shorten {'the service' if derived.loc[0] == 'services' else 'the blueprint'}'s name "
                          f"or the environment's by {over} character{'s' if over > 1 else ''}")


def _shown(derived: DerivedName) -> str:
    """The name, with the placeholder parts that are only known at deploy time shown as such."""
    return (derived.name.replace("0" * ACCOUNT_ID_LENGTH, "<account id>")
            .replace("x" * SECRET_NAME_SUFFIX_LENGTH, "<random suffix>"))
