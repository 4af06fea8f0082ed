"""``gen publish``: write each account's credential spec to its store, idempotently.

It reads what is stored first and writes only what differs, so running it again changes
nothing. This is how specs reach an S3 bucket that CloudFormation owns (CloudFormation has no
S3 object resource), and how a user fills the store once the domain's SID and GUID are known.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.aws.session import Aws, missing_is_none
from generator.blueprint.validate import LoadedBlueprint
from generator.errors import UsageError
from generator.expr import Text, Value, resolved
from generator.plan import Plan, build_plan
from generator.plan.credential_specs import (
    SPEC_PARAMETER_TIER,
    SPEC_PARAMETER_TYPE,
    SpecPlan,
)


@dataclass(frozen=True)
class Outcome:
    state: str  # created | updated | unchanged (prefixed "would " on a dry run)
    location: str


def plan_with_domain(loaded: LoadedBlueprint, sid: str | None, guid: str | None) -> Plan:
    """The blueprint's plan, with the domain SID/GUID given on the command line if any."""
    directory = loaded.model.directory
    if sid is not None or guid is not None:
        from generator.plan.credspec_request import resolve_request

        # Checked with the blueprint's own types; only the domain is taken from the result.
        domain, _, _ = resolve_request(None, loaded.model.gmsa_accounts[0].name, directory.dns_name,
                                       directory.netbios_name, sid or directory.sid, guid or directory.guid,
                                       directory.forest)
        directory = directory.model_copy(update={"sid": domain.sid, "guid": domain.guid})
        model = loaded.model.model_copy(update={"directory": directory})
        return build_plan(model, loaded.file)
    return build_plan(loaded.model, loaded.file)


def resolve(value: Value, account_id: str) -> str:
    """A store name or ARN with the account id filled in (its only deploy-time part)."""
    try:
        return resolved(value, account_id)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def publish(aws: Aws, plan: Plan, dry_run: bool) -> list[Outcome]:
    """Write every spec of ``plan`` whose text gen knows; return what happened to each."""
    if plan.store == "file":
        raise UsageError("the file store keeps specs on each host, where the bootstrap writes them; "
                         "there is nothing to publish")
    unknown = [s.account for s in plan.specs if s.pending]
    if unknown:
        raise UsageError("the blueprint gives no domain SID/GUID, so the specs of "
                         f"{', '.join(unknown)} are not known; pass --sid and --guid (Get-ADDomain shows "
                         "DomainSID and ObjectGUID), or let the directory setup or the hosts write them")
    account_id = aws.account_id() if any(isinstance(s.location, Text) for s in plan.specs) else ""
    outcomes = []
    for spec in plan.specs:
        if spec.store == "ssm":
            outcomes.append(_publish_parameter(aws, spec, dry_run))
        else:
            assert plan.bucket is not None
            outcomes.append(_publish_object(aws, plan, spec._replace(bucket=resolve(spec.bucket, account_id)), dry_run))
    return outcomes


def _publish_parameter(aws: Aws, spec: SpecPlan, dry_run: bool) -> Outcome:
    assert spec.parameter_name is not None
    location = f"ssm:{spec.parameter_name}"
    current = _current_parameter(aws, spec.parameter_name)
    if current == spec.text:
        return Outcome("unchanged", location)
    state = "created" if current is None else "updated"
    if not dry_run:
        aws.call("ssm", "put_parameter", spec.parameter_name, Name=spec.parameter_name, Value=spec.text,
                 Type=SPEC_PARAMETER_TYPE, Tier=SPEC_PARAMETER_TIER, DataType="text", Description=spec.description,
                 Overwrite=True)
    return Outcome(state if not dry_run else f"would be {state}", location)


def _current_parameter(aws: Aws, name: str) -> str | None:
    found = missing_is_none(aws, "ssm", "get_parameter", name, ("ParameterNotFound",), Name=name)
    return found["Parameter"]["Value"] if found else None


def _publish_object(aws: Aws, plan: Plan, spec: SpecPlan, dry_run: bool) -> Outcome:
    assert plan.bucket is not None and spec.key is not None and isinstance(spec.bucket, str)
    location = f"s3://{spec.bucket}/{spec.key}"
    current = _current_object(aws, spec.bucket, spec.key)
    if current == spec.text.encode():
        return Outcome("unchanged", location)
    state = "created" if current is None else "updated"
    if not dry_run:
        encryption = {"ServerSideEncryption": plan.bucket.sse_algorithm}
        if plan.bucket.kms_key_arn:
            encryption["SSEKMSKeyId"] = plan.bucket.kms_key_arn
        aws.call("s3", "put_object", location, Bucket=spec.bucket, Key=spec.key, Body=spec.text.encode(),
                 ContentType="application/json", **encryption)
    return Outcome(state if not dry_run else f"would be {state}", location)


def _current_object(aws: Aws, bucket: str, key: str) -> bytes | None:
    found = missing_is_none(aws, "s3", "get_object", f"s3://{bucket}/{key}", ("NoSuchKey", "404"), Bucket=bucket, Key=key)
    return found["Body"].read() if found else None
