"""Rules about the gMSA variants: where containers run (Windows or Linux hosts, Fargate) and how
they get their gMSA (the hosts join the domain, or a domainless user retrieves it per task)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import Finding, rule
from generator.errors import INFO
from generator.facts.linux import LINUX_RELEASES, fargate_platform_ok
from generator.facts.windows import WINDOWS_RELEASES

WINDOWS_GMSA = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/windows-gmsa.html"
LINUX_GMSA = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/linux-gmsa.html"
FARGATE_GMSA = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-linux-gmsa.html"


@rule("GEN029", "the containers run on hosts or on Fargate: one of the two", FARGATE_GMSA)
def hosts_or_fargate(bp: Blueprint) -> Iterator[Finding]:
    if bp.hosts is None and bp.fargate is None:
        yield Finding((), "neither hosts nor fargate is set", "add hosts: (EC2 container instances) or fargate: (Linux "
                      "tasks on AWS Fargate)")
    elif bp.hosts is not None and bp.fargate is not None:
        yield Finding(("fargate",), "both hosts and fargate are set", "keep one: hosts for EC2 container instances, "
                      "fargate for Linux tasks on AWS Fargate")


@rule("GEN030", "the hosts' OS is of their platform", LINUX_GMSA)
def os_of_platform(bp: Blueprint) -> Iterator[Finding]:
    hosts = bp.hosts
    if hosts is None:
        return
    linux, windows = hosts.os in LINUX_RELEASES, hosts.os in WINDOWS_RELEASES
    if hosts.platform == "linux" and not linux:
        yield Finding(("hosts", "os"), f"{hosts.os} is not a Linux AMI", "gMSA on Linux needs credentials-fetcher, "
                      "which runs on Amazon Linux 2023: set os: amazon-linux-2023")
    elif hosts.platform == "windows" and not windows:
        yield Finding(("hosts", "os"), f"{hosts.os} is not a Windows AMI", "set platform: linux, or a Windows Server "
                      "os such as windows-server-2022-core")


@rule("GEN031", "domainless gMSA runs on Windows Server 2019 or later",
      "https://github.com/aws/amazon-ecs-agent/blob/master/agent/config/parse_windows.go")
def domainless_not_on_2016(bp: Blueprint) -> Iterator[Finding]:
    """amazon-ecs-agent ``parseGMSADomainlessCapability``: "gmsaDomainless is not supported on
    Windows 2016"; the capability is never advertised there, so no task would be placed."""
    if bp.domainless and bp.hosts is not None and bp.hosts.os == "windows-server-2016-full":
        yield Finding(("credential_specs", "mode"), "the ECS agent does not offer domainless gMSA on Windows Server 2016",
                      "use domain-joined mode on Windows Server 2016, or move the hosts to Windows Server 2019 or later")


@rule("GEN032", "Fargate runs domainless gMSA, with the specs in S3, on platform version 1.4.0 or later", FARGATE_GMSA)
def fargate_fits(bp: Blueprint) -> Iterator[Finding]:
    if bp.fargate is None:
        return
    if not bp.domainless:
        yield Finding(("credential_specs", "mode") if "mode" in bp.credential_specs.model_fields_set else ("fargate",),
                      "Fargate runs gMSA only in domainless mode: its tasks run on no host that could join the domain",
                      "set credential_specs.mode: domainless and credential_specs.domainless_secret")
    if bp.credential_specs.store != "s3":
        yield Finding(("credential_specs", "store"), f"Fargate reads credential specs from S3 only, not {bp.credential_specs.store}",
                      "set credential_specs.store: s3 with a bucket")
    if not fargate_platform_ok(bp.fargate.platform_version):
        yield Finding(("fargate", "platform_version"), f"platform version {bp.fargate.platform_version} has no gMSA",
                      "use 1.4.0 or LATEST")


@rule("GEN033", "Linux containers refer to their spec with credentialSpecs, in SSM or S3", LINUX_GMSA)
def linux_spec_reference(bp: Blueprint) -> Iterator[Finding]:
    """The docs' storage table: no local file on Linux; ``dockerSecurityOptions`` credential specs
    are Windows' (Docker on Linux has no credentialspec option)."""
    if bp.platform == "windows":
        return
    specs = bp.credential_specs
    if specs.store == "file":
        yield Finding(("credential_specs", "store"), f"{bp.platform.capitalize()} reads no credential spec from a file",
                      "store the specs in s3 or ssm")
    if specs.reference == "docker_security_options":
        yield Finding(("credential_specs", "reference"), "docker_security_options is Windows' legacy reference",
                      "remove reference (credential_specs is the default)")


@rule("GEN034", "domainless mode names the secret of its domainless user", WINDOWS_GMSA)
def domainless_secret(bp: Blueprint) -> Iterator[Finding]:
    specs = bp.credential_specs
    if bp.domainless and specs.domainless_secret is None and bp.directory.managed is None:
        yield Finding(("credential_specs",), "domainless mode needs credential_specs.domainless_secret with an existing "
                      "directory", 'store {"username", "password", "domainName"} of an AD user allowed to retrieve '
                      "the gMSA passwords in Secrets Manager and set domainless_secret to its ARN")
    elif not bp.domainless and specs.domainless_secret is not None:
        yield Finding(("credential_specs", "domainless_secret"), "a domainless secret is given, but the mode is "
                      "domain-joined", "set mode: domainless, or remove domainless_secret")


@rule("GEN035", "the specs of an existing domain that no host joins name its SID and GUID", LINUX_GMSA)
def known_domain(bp: Blueprint) -> Iterator[Finding]:
    """Only a Windows host joined to the domain completes a spec from Get-ADDomain; everything
    else needs the SID and GUID in the blueprint (a managed directory's setup writes its own)."""
    d = bp.directory
    if d.managed is not None or (d.sid is not None and d.guid is not None):
        return
    if bp.platform != "windows" or bp.domainless:
        yield Finding(("directory",), "the domain's SID and GUID are needed: no Windows host joins the domain to read "
                      "them", "add directory.sid and directory.guid (Get-ADDomain shows DomainSID and ObjectGUID)")


@rule("GEN036", "hosts that join the domain name the group allowed to retrieve the gMSA passwords", WINDOWS_GMSA)
def joined_hosts_group(bp: Blueprint) -> Iterator[Finding]:
    if bp.hosts is not None and not bp.domainless and bp.hosts.gmsa_group is None:
        yield Finding(("hosts",), "hosts.gmsa_group is required in domain-joined mode",
                      "name the AD group allowed to retrieve the gMSA passwords; every host joins it")


@rule("GEN038", "a read-only root file system is for Linux containers",
      "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html")
def read_only_root_on_linux(bp: Blueprint) -> Iterator[Finding]:
    """ContainerDefinition ``readonlyRootFilesystem``: "This parameter is not supported for
    Windows containers."; ECS refuses the task definition."""
    if bp.platform != "windows":
        return
    for i, service in enumerate(bp.services):
        if service.read_only_root_filesystem:
            yield Finding(("services", i, "read_only_root_filesystem"), "Windows containers have no read-only root "
                          "file system", "remove read_only_root_filesystem, or run the service on Linux")


@rule("GEN039", "Linux hosts and Fargate tasks find the domain through the VPC's resolver", FARGATE_GMSA, INFO)
def vpc_resolves_the_domain(bp: Blueprint) -> Iterator[Finding]:
    """Windows hosts send the domain's names to its DNS servers themselves (NRPT rules in their
    boot steps); Linux hosts and Fargate tasks ask the VPC's resolver, which must answer for the
    domain ("You have a VPC and subnets that can resolve the Active Directory domain name",
    fargate-linux-gmsa, linux-gmsa). Without ``dns_forwarding`` that is left to the VPC's owner,
    so a note (never a failure) says so; ``gen doctor`` checks it once deployed."""
    if bp.platform == "windows" or bp.network.dns_forwarding:
        return
    yield Finding(("network",), f"Linux hosts and Fargate tasks resolve {bp.directory.dns_name} through the VPC's "
                  "resolver: its DHCP options or a Route 53 Resolver rule must send the domain's names to the domain's "
                  "DNS servers", "set network.dns_forwarding: true to have gen create the rule, or keep yours "
                  "(gen doctor checks it once deployed)")
