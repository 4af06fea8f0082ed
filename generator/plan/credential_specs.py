"""Where each account's credential spec is stored, and how containers refer to it.

The spec documents themselves come from :mod:`generator.plan.credspec`. Stores: SSM Parameter
Store, S3 (an existing bucket or one gen creates), or files on each host.
"""

from __future__ import annotations

from importlib import resources
from typing import NamedTuple

from generator import expr
from generator.blueprint.model import Blueprint
from generator.expr import ACCOUNT_ID, Value, text
from generator.facts.windows import DOCKER_CREDSPEC_DIR
from generator.naming import logical_id
from generator.plan import policies, waivers
from generator.plan.credspec import DOMAINLESS_SECRET_PLACEHOLDER, Domain, HostAccount, credential_spec, spec_text
from generator.plan.policies import Statement

#: SSM parameters of the specs: String (CloudFormation cannot create SecureString, and a spec
#: holds no secret), Standard tier (a spec is about 1 KB; Standard holds 4 KB).
SPEC_PARAMETER_TYPE = "String"
SPEC_PARAMETER_TIER = "Standard"


#: Who writes a spec into its store: the stack itself (an SSM parameter whose text is known), the
#: one-shot directory setup (the specs of a directory the stack creates, once it exists), or the
#: hosts before their agent starts (S3 objects, which CloudFormation cannot create; host files;
#: the specs of an existing domain whose SID and GUID the blueprint does not give).
STACK, SETUP, HOSTS = "stack", "setup", "hosts"


class SpecPlan(NamedTuple):
    """One account's credential spec: its text, where it is stored, who writes it there, and how
    containers refer to it."""

    account: str
    text: str  # exact when the domain is known; with placeholders when the writer fills them in
    pending: bool  # the text has placeholders for the domain's SID, GUID and forest
    writer: str  # STACK | SETUP | HOSTS
    store: str
    location: Value  # parameter name, s3://bucket/key or host file path, for people
    arn: Value | None  # what IAM grants; None for a host file
    reference: Value  # the container's credentialspec:... string
    parameter_name: str | None = None
    bucket: Value | None = None
    key: str | None = None
    file_path: str | None = None
    logical_id: str = ""
    tf_key: str = ""
    parameter_waivers: tuple[waivers.Waiver, ...] = waivers.SPEC_PARAMETER

    @property
    def description(self) -> str:
        return f"Credential spec of the gMSA {self.account}"

    @property
    def out_path(self) -> str:
        return f"credentialspecs/{self.account}.json"


class BucketPlan(NamedTuple):
    name: Value
    create: bool
    arn: Value
    kms_key_arn: str | None
    policy: tuple[Statement, ...]
    waivers: tuple[waivers.Waiver, ...] = ()
    #: Versioned specs outlive the stack (CloudFormation Retain; Terraform refuses to destroy a
    #: bucket that is not empty).
    retain: bool = True
    logical_id: str = "CredentialSpecBucket"

    @property
    def sse_algorithm(self) -> str:
        """Encryption of the bucket and of every spec object written to it."""
        return "aws:kms" if self.kms_key_arn else "AES256"

    @property
    def bucket_key_enabled(self) -> bool:
        return self.kms_key_arn is not None


class SpecWriterPlan(NamedTuple):
    """How CloudFormation, which has no S3 object resource, writes the specs the stack stores in
    S3: a Lambda function behind one custom resource per spec (``scripts/spec_writer.py``,
    inline). Its role is :func:`generator.plan.iam.plan_spec_writer_role`'s. Terraform writes
    the same objects with ``aws_s3_object``."""

    function_name: str
    code: str
    runtime: str = "python3.12"
    handler: str = "index.handler"
    timeout_seconds: int = 60
    logical_id: str = "CredentialSpecWriter"
    waivers: tuple[waivers.Waiver, ...] = waivers.SPEC_WRITER


def plan_spec_writer(bp: Blueprint, specs: tuple[SpecPlan, ...]) -> SpecWriterPlan | None:
    """The writer of the stack's S3 specs, when there are any."""
    if not any(s.writer == STACK and s.store == "s3" for s in specs):
        return None
    code = resources.files("generator.plan.scripts").joinpath("spec_writer.py").read_text(encoding="utf-8")
    return SpecWriterPlan(function_name=f"{bp.name}-credential-spec-writer", code=code)


def plan_bucket(bp: Blueprint, partition: str) -> BucketPlan | None:
    """The S3 bucket of an S3 store: the one named, or one gen creates (TLS only)."""
    options = bp.credential_specs.s3
    if bp.credential_specs.store != "s3" or options is None:
        return None
    name: Value = options.bucket or text(f"{bp.name}-credspecs-", ACCOUNT_ID, f"-{bp.region}")
    arn = text("arn:", expr.partition(partition), ":s3:::", name)
    policy = (policies.tls_only(arn, text(arn, "/*")),) if options.create_bucket else ()
    return BucketPlan(name=name, create=options.create_bucket, arn=arn, kms_key_arn=options.kms_key, policy=policy,
                      waivers=waivers.spec_bucket(options.kms_key))


def domain_of(bp: Blueprint) -> Domain:
    """What the specs need to know about the blueprint's domain."""
    d = bp.directory
    return Domain(d.dns_name, d.netbios_name, d.sid, d.guid, d.forest)


def host_account_of(bp: Blueprint) -> HostAccount | None:
    """The domainless user the specs name, in the form the platform's agent reads; a secret the
    stack creates is known only once it exists, so its ARN is a placeholder its writer fills in."""
    if not bp.domainless:
        return None
    secret = bp.credential_specs.domainless_secret
    return HostAccount(secret.arn if secret is not None else DOMAINLESS_SECRET_PLACEHOLDER, bp.platform != "windows")


def plan_specs(bp: Blueprint, partition: str, bucket: BucketPlan | None) -> tuple[SpecPlan, ...]:
    """One spec per declared gMSA account, in declaration order."""
    domain = domain_of(bp)
    host_account = host_account_of(bp)
    return tuple(_spec(bp, account.name, domain, host_account, partition, bucket) for account in bp.gmsa_accounts)


def writer_of(bp: Blueprint, store: str, pending: bool) -> str:
    """Who writes a spec: see :data:`STACK`, :data:`SETUP` and :data:`HOSTS`. Either way the spec
    exists before any task that needs it starts: the stack's before the services, the setup's
    before the hosts and services, the hosts' before their agent.

    A spec whose text gen cannot know yet is the directory setup's (a directory the stack
    creates) or the Windows hosts' (which join an existing domain and read it). A known spec is
    the stack's in SSM, and in S3 where no Windows host runs (CloudFormation writes S3 objects
    through a custom resource); on Windows hosts S3 objects and files are the hosts'.
    """
    if pending:
        return SETUP if bp.directory.managed is not None else HOSTS
    if store == "ssm" or (store == "s3" and bp.platform != "windows"):
        return STACK
    return HOSTS


def _spec(bp: Blueprint, account: str, domain: Domain, host_account: HostAccount | None, partition: str,
          bucket: BucketPlan | None) -> SpecPlan:
    body = spec_text(credential_spec(account, domain, host_account))
    store = bp.credential_specs.store
    pending = not domain.is_known or DOMAINLESS_SECRET_PLACEHOLDER in body
    prefix = "credentialspecdomainless:" if bp.domainless else "credentialspec:"
    common = dict(account=account, text=body, pending=pending, writer=writer_of(bp, store, pending), store=store,
                  logical_id=logical_id(account, "CredentialSpec"), tf_key=account)
    if store == "ssm":
        ssm_prefix = (bp.credential_specs.ssm.prefix if bp.credential_specs.ssm else None) or f"/{bp.name}/credentialspecs/"
        name = f"{ssm_prefix}{account}"
        # The agent takes the text after "parameter" as the name, so the ARN has no extra slash.
        arn = text("arn:", expr.partition(partition), ":ssm:", expr.region(bp.region), ":", ACCOUNT_ID, f":parameter{name}")
        return SpecPlan(**common, location=name, arn=arn, reference=text(prefix, arn), parameter_name=name)
    if store == "s3":
        assert bucket is not None and bp.credential_specs.s3 is not None
        key = f"{bp.credential_specs.s3.key_prefix}{account}.json"
        arn = text(bucket.arn, f"/{key}")
        return SpecPlan(**common, location=text("s3://", bucket.name, f"/{key}"), arn=arn,
                        reference=text(prefix, arn), bucket=bucket.name, key=key)
    file_name = f"{account}.json"
    path = f"{DOCKER_CREDSPEC_DIR}\\{file_name}"
    return SpecPlan(**common, location=path, arn=None, reference=f"{prefix}file://{file_name}", file_path=path)


def reference_field(bp: Blueprint) -> str:
    """The container definition field that carries the spec reference (one element, at most)."""
    return "credentialSpecs" if bp.credential_specs.reference == "credential_specs" else "dockerSecurityOptions"
