"""CloudFormation of credential-spec storage: the S3 bucket gen creates, and SSM parameters
of the specs the stack stores itself."""

from __future__ import annotations

from troposphere import Ref, Template, s3, ssm

from generator.plan import Plan
from generator.plan.credential_specs import (
    SPEC_PARAMETER_TIER,
    SPEC_PARAMETER_TYPE,
    SpecPlan,
)
from generator.render.cloudformation.values import cfn, kept, policy, tags, waived


def add_credential_specs(t: Template, plan: Plan) -> None:
    bucket = plan.bucket
    if bucket is not None and bucket.create:
        encryption = s3.ServerSideEncryptionByDefault(SSEAlgorithm=bucket.sse_algorithm)
        if bucket.kms_key_arn:
            encryption.KMSMasterKeyID = bucket.kms_key_arn
        t.add_resource(
            s3.Bucket(
                bucket.logical_id,
                **kept(bucket.retain),
                Metadata=waived(bucket.waivers),
                BucketName=cfn(bucket.name),
                BucketEncryption=s3.BucketEncryption(
                    ServerSideEncryptionConfiguration=[
                        s3.ServerSideEncryptionRule(ServerSideEncryptionByDefault=encryption,
                                                    BucketKeyEnabled=bucket.bucket_key_enabled)
                    ]
                ),
                VersioningConfiguration=s3.VersioningConfiguration(Status="Enabled"),
                PublicAccessBlockConfiguration=s3.PublicAccessBlockConfiguration(
                    BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True
                ),
                OwnershipControls=s3.OwnershipControls(Rules=[s3.OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")]),
                Tags=tags(plan),
            )
        )
        t.add_resource(
            s3.BucketPolicy(f"{bucket.logical_id}Policy", Bucket=Ref(bucket.logical_id), PolicyDocument=policy(bucket.policy))
        )
    for spec in plan.stack_specs:
        if spec.store == "ssm":
            _add_spec_parameter(t, plan, spec)


def _add_spec_parameter(t: Template, plan: Plan, spec: SpecPlan) -> None:
    t.add_resource(
        ssm.Parameter(
            spec.logical_id,
            Metadata=waived(spec.parameter_waivers),
            Name=spec.parameter_name,
            Type=SPEC_PARAMETER_TYPE,
            Tier=SPEC_PARAMETER_TIER,
            DataType="text",
            Description=spec.description,
            Value=spec.text,
            Tags={t_.key: t_.value for t_ in plan.tags},
        )
    )
