"""Security-scanner findings gen accepts on purpose, each with the reason a reviewer reads.

The generated CloudFormation carries them as ``Metadata.checkov.skip`` and the Terraform as
``# checkov:skip=`` comments on the resource, so a team's own checkov run passes and the
reason stands next to the resource in review. Everything not listed here must pass.
"""

from __future__ import annotations

from typing import NamedTuple


class Waiver(NamedTuple):
    check: str
    reason: str


LOG_GROUP = (
    Waiver("CKV_AWS_158", "CloudWatch Logs encrypts log data at rest; a customer managed key is not required for these logs"),
)
TASK_DEFINITION = (
    Waiver("CKV_AWS_336", "Windows containers do not support a read-only root file system (readonlyRootFilesystem is Linux only)"),
)
WRITABLE_LINUX_ROOT = (
    Waiver("CKV_AWS_336", "the image may write to its root file system; set services.<name>.read_only_root_filesystem: true when it does not"),
)
HOST_SECURITY_GROUP = (
    Waiver("CKV_AWS_382", "hosts reach Active Directory (DNS, Kerberos, LDAP, SMB, RPC dynamic ports), AWS APIs and image registries"),
)
SPEC_PARAMETER = (
    Waiver("CKV2_AWS_34", "a credential spec holds no secret, only account and domain names and the domain SID and GUID"),
)


def spec_bucket(kms_key: str | None) -> tuple[Waiver, ...]:
    """Waivers of the bucket gen creates for credential specs."""
    waivers = [
        Waiver("CKV_AWS_18", "holds only credential specs, written by gen publish or the hosts; versioning keeps their history"),
        Waiver("CKV_AWS_144", "credential specs are regenerated from the blueprint; replication to another region is not needed"),
        Waiver("CKV2_AWS_61", "a handful of small, current documents: nothing to expire"),
        Waiver("CKV2_AWS_62", "nothing reacts to spec changes; the ECS agent reads the specs when tasks start"),
    ]
    if kms_key is None:
        waivers.append(Waiver("CKV_AWS_145", "encrypted with S3 managed keys; set credential_specs.s3.kms_key to use a customer managed key"))
    return tuple(waivers)
SETUP_SECURITY_GROUP = (
    Waiver("CKV_AWS_382", "the directory setup reaches Active Directory (DNS, Kerberos, LDAP, AD Web Services) and AWS APIs"),
)
TASK_SECURITY_GROUP = (
    Waiver("CKV_AWS_382", "awsvpc tasks reach Active Directory (DNS, Kerberos, LDAP), AWS APIs and image registries"),
)
PRINCIPAL_SECRET = (
    Waiver("CKV_AWS_149", "Secrets Manager encrypts it with its own key; give your own secret (hosts.join_secret, credential_specs.domainless_secret) to use a customer managed key"),
    Waiver("CKV2_AWS_57", "the directory setup sets this password on its account; a rotation would need the setup to run again"),
)
SPEC_WRITER = (
    Waiver("CKV_AWS_116", "a custom resource's function: CloudFormation reports its failures, a dead-letter queue would hold nothing"),
    Waiver("CKV_AWS_117", "writes to S3 through the public endpoint; it reaches nothing in the VPC"),
    Waiver("CKV_AWS_115", "runs only when the stack writes a spec; concurrency needs no limit"),
    Waiver("CKV_AWS_173", "has no environment variables"),
)
TARGET_GROUP = (
    Waiver("CKV_AWS_378", "TLS ends at the load balancer; it reaches the tasks over HTTP inside the VPC, through a "
                          "security group that admits only the load balancer"),
)
PLAIN_HTTP_LISTENER = (
    Waiver("CKV_AWS_2", "the blueprint gives no load_balancer.certificate_arn: an internal load balancer, or an "
                        "internet-facing one with allow_plain_http"),
    Waiver("CKV_AWS_103", "no TLS without load_balancer.certificate_arn: the listener is plain HTTP"),
)


def load_balancer(scheme: str, https: bool) -> tuple[Waiver, ...]:
    """Waivers of the load balancer gen creates."""
    found = [
        Waiver("CKV_AWS_91", "access logs need an S3 bucket whose policy admits the region's ELB account; the blueprint "
                             "names none"),
        Waiver("CKV_AWS_150", "deletion protection would stop the stack or terraform destroy from removing it"),
    ]
    if not https:
        found.append(Waiver("CKV2_AWS_20", "the blueprint gives no load_balancer.certificate_arn, so there is no HTTPS "
                                           "listener to redirect to"))
    if scheme == "internet-facing":
        found.append(Waiver("CKV2_AWS_28", "gen associates no WAF web ACL; associate one of yours with the load balancer"))
    return tuple(found)


def load_balancer_security_group(world_open: bool, https: bool) -> tuple[Waiver, ...]:
    """Waivers of the load balancer's group: port 80 open to the internet, when the blueprint
    opts in to internet ingress (rule GEN024)."""
    if not world_open:
        return ()
    why = ("only to redirect to HTTPS on 443" if https
           else "to serve plain HTTP, as load_balancer.allow_plain_http chose")
    return (Waiver("CKV_AWS_260", f"an internet-facing load balancer takes port 80 from anywhere {why}; "
                                  "network.allow_internet_ingress opts in"),)
