"""Rules about where credential specs are stored."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import Finding, rule


@rule("GEN008", "store options match the chosen store")
def store_options(bp: Blueprint) -> Iterator[Finding]:
    specs = bp.credential_specs
    for option in ("ssm", "s3"):
        if getattr(specs, option) is not None and specs.store != option:
            yield Finding(
                ("credential_specs", option),
                f"{option} options are set but the store is {specs.store}",
                f"set store: {option}, or remove the {option}: section",
            )


@rule("GEN009", "an S3 store names an existing bucket or creates one")
def s3_bucket_named(bp: Blueprint) -> Iterator[Finding]:
    specs = bp.credential_specs
    if specs.store != "s3":
        return
    if specs.s3 is None or (specs.s3.bucket is None and not specs.s3.create_bucket):
        yield Finding(
            ("credential_specs", "s3") if specs.s3 is not None else ("credential_specs", "store"),
            "the s3 store needs a bucket",
            "set s3.bucket to an existing bucket, or s3.create_bucket: true to create one",
        )
