"""Writes one credential spec to S3 for CloudFormation, which has no S3 object resource (gen).

A custom resource per spec calls it with the bucket, the key, the text and the encryption; the
object is written only when its text differs, and left in place on delete (the versioned bucket
keeps the specs' history, as the stack keeps the bucket).
"""

import boto3
import cfnresponse
from botocore.exceptions import ClientError


def handler(event, context):
    properties = event["ResourceProperties"]
    physical = "s3://%s/%s" % (properties["Bucket"], properties["Key"])
    try:
        if event["RequestType"] in ("Create", "Update"):
            write(boto3.client("s3"), properties)
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, physical)
    except Exception as error:  # every failure is the stack's to report
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, physical, reason=str(error)[:500])


def write(s3, properties):
    """Put the spec unless the object already holds its text; True when it wrote."""
    body = properties["Text"].encode("utf-8")
    try:
        if s3.get_object(Bucket=properties["Bucket"], Key=properties["Key"])["Body"].read() == body:
            return False
    except ClientError:
        # A missing key: without s3:ListBucket, which this function has no need of, S3 answers
        # 403 AccessDenied rather than NoSuchKey (GetObject). Any other fault shows in the put.
        pass
    extra = {"ServerSideEncryption": properties["Encryption"]}
    if properties.get("KmsKeyId"):
        extra["SSEKMSKeyId"] = properties["KmsKeyId"]
    s3.put_object(Bucket=properties["Bucket"], Key=properties["Key"], Body=body, ContentType="application/json", **extra)
    return True
