"""CloudFormation's credential spec writer, its handler called directly against moto's S3.

moto cannot run Lambda functions, so the handler gen inlines into the template (the plan's
``SpecWriterPlan.code``) is loaded here as the Lambda runtime loads it, with a stand-in for the
``cfnresponse`` module CloudFormation provides to inline Python code, and called with the
custom resource events CloudFormation sends.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from tests.conftest import EXAMPLES, plan_of

FARGATE = next(p for p in EXAMPLES if p.stem == "fargate")
BUCKET = "tickets-credspecs-123456789012-eu-west-1"
REGION = "eu-west-1"


class Responses:
    """What the handler sent back to CloudFormation."""

    SUCCESS = "SUCCESS"
    FAILED = "FAILED"

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, event, context, status, data, physical_id=None, no_echo=False, reason=None) -> None:  # noqa: ANN001
        self.sent.append({"status": status, "physical_id": physical_id, "reason": reason})


@pytest.fixture
def writer(moto, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """The handler module, with boto3 pointed at moto and a recording cfnresponse."""
    responses = Responses()
    fake = types.ModuleType("cfnresponse")
    fake.SUCCESS, fake.FAILED, fake.send = Responses.SUCCESS, Responses.FAILED, responses.send
    monkeypatch.setitem(sys.modules, "cfnresponse", fake)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    plan = plan_of(FARGATE)
    assert plan.spec_writer is not None
    module = types.ModuleType("index")
    exec(compile(plan.spec_writer.code, "index.py", "exec"), module.__dict__)  # noqa: S102
    s3 = moto.client("s3", REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    return module, responses, s3


def event(request: str, text: str, key: str = "credentialspecs/TicketsWeb.json", **extra: str) -> dict[str, Any]:
    return {"RequestType": request, "ResourceProperties": {"Bucket": BUCKET, "Key": key, "Text": text,
                                                           "Encryption": "AES256", **extra}}


def versions(s3, key: str = "credentialspecs/TicketsWeb.json") -> int:  # noqa: ANN001
    return len(s3.list_object_versions(Bucket=BUCKET, Prefix=key).get("Versions", []))


def test_create_writes_the_spec(writer) -> None:  # noqa: ANN001
    module, responses, s3 = writer
    module.handler(event("Create", '{"a": 1}'), None)
    got = s3.get_object(Bucket=BUCKET, Key="credentialspecs/TicketsWeb.json")
    assert got["Body"].read() == b'{"a": 1}'
    assert got["ContentType"] == "application/json"
    assert got["ServerSideEncryption"] == "AES256"
    assert responses.sent == [{"status": "SUCCESS", "physical_id": f"s3://{BUCKET}/credentialspecs/TicketsWeb.json",
                               "reason": None}]


def test_an_unchanged_spec_is_not_written_again(writer) -> None:  # noqa: ANN001
    module, responses, s3 = writer
    module.handler(event("Create", '{"a": 1}'), None)
    module.handler(event("Update", '{"a": 1}'), None)
    assert versions(s3) == 1
    module.handler(event("Update", '{"a": 2}'), None)
    assert versions(s3) == 2
    assert [r["status"] for r in responses.sent] == ["SUCCESS"] * 3


def test_delete_leaves_the_spec(writer) -> None:  # noqa: ANN001
    module, responses, s3 = writer
    module.handler(event("Create", '{"a": 1}'), None)
    module.handler(event("Delete", '{"a": 1}'), None)
    assert s3.get_object(Bucket=BUCKET, Key="credentialspecs/TicketsWeb.json")["Body"].read() == b'{"a": 1}'
    assert responses.sent[-1]["status"] == "SUCCESS"


def test_a_kms_key_is_used_when_given(writer, moto) -> None:  # noqa: ANN001
    module, responses, s3 = writer
    key = moto.client("kms", REGION).create_key()["KeyMetadata"]["Arn"]
    module.handler(event("Create", "{}", Encryption="aws:kms", KmsKeyId=key), None)
    got = s3.head_object(Bucket=BUCKET, Key="credentialspecs/TicketsWeb.json")
    assert got["ServerSideEncryption"] == "aws:kms"
    assert got["SSEKMSKeyId"] == key


def test_a_failure_is_reported_to_the_stack(writer) -> None:  # noqa: ANN001
    module, responses, s3 = writer
    failing = event("Create", "{}")
    failing["ResourceProperties"]["Bucket"] = "no-such-bucket-of-gen"
    module.handler(failing, None)
    assert responses.sent[-1]["status"] == "FAILED"
    assert "NoSuchBucket" in responses.sent[-1]["reason"]


def test_the_template_passes_what_the_handler_reads(writer) -> None:  # noqa: ANN001
    """The custom resource's properties are the ones the handler takes."""
    from generator.render.cloudformation.template import build_template

    plan = plan_of(FARGATE)
    resources = build_template(plan).to_dict()["Resources"]
    specs = [r for r in resources.values() if r["Type"] == "Custom::CredentialSpec"]
    assert specs, "the Fargate example writes its spec through the custom resource"
    for resource in specs:
        assert {"ServiceToken", "Bucket", "Key", "Text", "Encryption"} <= set(resource["Properties"])
