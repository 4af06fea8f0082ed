"""Values that documentation uses as examples, never real ones: a blueprint holding one was
copied from an example or the starter and not yet filled in.

Sources: the AWS account ids the AWS documentation uses in examples (IAM User Guide, "example
account ids": 111122223333, 444455556666, 777788889999, and 123456789012 in older pages); the
resource ids its EC2 and VPC examples use (``vpc-1a2b3c4d``, ``vpc-0123456789abcdef0``) and the
KMS key id of the KMS Developer Guide's examples; and the example values gen's own starter and
hints show (:data:`generator.blueprint.types.PATTERNS`).
"""

from __future__ import annotations

#: Example AWS account ids of the AWS documentation.
EXAMPLE_ACCOUNTS = ("111122223333", "123456789012", "444455556666", "777788889999")

#: The hexadecimal part of example VPC, subnet and similar ids (``vpc-<this>``).
EXAMPLE_ID_SUFFIXES = ("0123456789abcdef0", "0fedcba9876543210", "0a1b2c3d4e5f60718", "1a2b3c4d", "0a1b2c3d",
                       "12345678", "abcd1234")

#: Example ids of other resources: the KMS Developer Guide's key, Directory Service's examples.
EXAMPLE_IDS = ("1234abcd-12ab-34cd-56ef-1234567890ab", "d-9067012345", "d-1234567890")


def placeholder_in(value: str) -> str | None:
    """The example value ``value`` holds, if any: an account id in an ARN or ECR image, an
    example resource id, or an example id in an ARN."""
    for account in EXAMPLE_ACCOUNTS:
        if f":{account}:" in value or value.startswith(f"{account}.dkr.ecr."):
            return account
    prefix, _, suffix = value.partition("-")
    if prefix in ("vpc", "subnet", "sg") and suffix in EXAMPLE_ID_SUFFIXES:
        return value
    return next((example for example in EXAMPLE_IDS if value == example or value.endswith("/" + example)), None)
