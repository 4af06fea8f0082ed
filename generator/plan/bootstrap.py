"""The host bootstrap: an SSM Command document and the association that runs it on every host.

Order matters for gMSA: the ECS agent advertises ``ecs.capability.gmsa`` only if the host is
domain-joined when the agent starts. The document therefore joins the domain (and reboots),
adds the computer to the gMSA group, writes the credential specs the hosts own, and only then
starts the agent. The static part is ``scripts/host-bootstrap.ps1``; the credential spec step
is generated here from the plan's specs.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from generator.expr import Value, text
from generator.facts import DOCKER_CREDSPEC_DIR
from generator.plan.credential_specs import BucketPlan, SpecPlan
from generator.plan.credspec import (
    FOREST_PLACEHOLDER,
    GUID_PLACEHOLDER,
    SID_PLACEHOLDER,
)

SPEC_MARKER = "# @CREDENTIAL_SPECS@"

#: Parameters of the document, with the pattern SSM enforces before substituting them.
DOCUMENT_PARAMETERS: dict[str, tuple[str, str]] = {
    "directoryName": ("DNS name of the domain", r"^[A-Za-z0-9.-]+$"),
    "netbiosName": ("NetBIOS name of the domain", r"^[A-Za-z0-9-]{1,15}$"),
    "dnsIpAddresses": ("Comma-separated DNS servers of the domain", r"^[0-9.]+(,[0-9.]+)*$"),
    "gmsaGroup": ("AD group allowed to retrieve the gMSA passwords", r"^[A-Za-z0-9 _.-]+$"),
    "joinSecretArn": ("Secrets Manager secret with the join credentials", r"^arn:[a-z-]+:secretsmanager:[A-Za-z0-9/_+=.@:-]+$"),
    "clusterName": ("ECS cluster the host joins", r"^[A-Za-z0-9_-]+$"),
    "region": ("AWS region of the secret and the specs", r"^[a-z0-9-]+$"),
}


@dataclass(frozen=True)
class BootstrapPlan:
    """The SSM Command document that bootstraps hosts, and the association that runs it."""

    document_name: str
    content: dict[str, Any]
    association_name: str
    target_key: str
    target_value: str
    parameters: dict[str, Value]
    join_secret_arn: str
    document_type: str = "Command"
    document_format: str = "JSON"
    #: The document is idempotent: running it again lets a host recover from a failed run (the
    #: group did not exist yet, the domain was unreachable) and applies a changed document.
    schedule: str = "rate(30 minutes)"


@dataclass(frozen=True)
class _Lines:
    lines: list[Value]

    def add(self, *parts: Value) -> None:
        self.lines.append(text(*parts))


def _quote(value: str) -> str:
    """A PowerShell single-quoted literal (only ' needs doubling)."""
    return "'" + value.replace("'", "''") + "'"


def spec_step(specs: tuple[SpecPlan, ...], bucket: BucketPlan | None) -> list[Value]:
    """PowerShell lines that write the specs the hosts own: every spec of a file store, and
    specs whose domain SID/GUID the blueprint does not give (built from ``Get-ADDomain``)."""
    owned = [s for s in specs if s.store == "file" or s.generated_on_host]
    out = _Lines([])
    if not owned:
        out.add("# None: the specs are stored by the stack itself.")
        return out.lines
    if any(s.generated_on_host for s in owned):
        out.add("$domainInfo = Get-ADDomain -Server $DomainName -Credential $credential")
        out.add("function Expand-CredentialSpec([string] $Template) {")
        out.add(f"    $Template.Replace('{SID_PLACEHOLDER}', $domainInfo.DomainSID.Value).Replace("
                f"'{GUID_PLACEHOLDER}', $domainInfo.ObjectGUID.ToString()).Replace("
                f"'{FOREST_PLACEHOLDER}', $domainInfo.Forest)")
        out.add("}")
    else:
        out.add("function Expand-CredentialSpec([string] $Template) { $Template }")
    if any(s.store == "file" for s in owned):
        out.add(f"New-Item -ItemType Directory -Force -Path {_quote(DOCKER_CREDSPEC_DIR)} | Out-Null")
    for spec in owned:
        out.add(f"# {spec.account}")
        out.add("$spec = (Expand-CredentialSpec @'")
        for line in spec.text.rstrip("\n").split("\n"):
            out.add(line)
        out.add("'@) + \"`n\"")
        if spec.store == "ssm":
            assert spec.parameter_name is not None
            out.add(f"Write-SSMParameter -Name {_quote(spec.parameter_name)} -Value $spec -Type String "
                    "-Overwrite $true -Region $Region")
        elif spec.store == "s3":
            assert bucket is not None and spec.key is not None
            encryption = f"-ServerSideEncryption {bucket.sse_algorithm}"
            if bucket.kms_key_arn:
                encryption += f" -ServerSideEncryptionKeyManagementServiceKeyId {_quote(bucket.kms_key_arn)}"
            out.add("Write-S3Object -BucketName '", bucket.name, f"' -Key {_quote(spec.key)} -Content $spec "
                    f"-ContentType 'application/json' {encryption} -Region $Region")
        else:
            assert spec.file_name is not None
            path = f"{DOCKER_CREDSPEC_DIR}\\{spec.file_name}"
            out.add(f"[System.IO.File]::WriteAllText({_quote(path)}, $spec)")
    return out.lines


def document_content(specs: tuple[SpecPlan, ...], bucket: BucketPlan | None) -> dict[str, Any]:
    """The SSM Command document (schema 2.2) that bootstraps a host."""
    script = resources.files("generator.plan.scripts").joinpath("host-bootstrap.ps1").read_text(encoding="utf-8")
    lines: list[Value] = []
    for line in script.rstrip("\n").split("\n"):
        if line.strip() == SPEC_MARKER:
            lines.extend(spec_step(specs, bucket))
        else:
            lines.append(line)
    return {
        "schemaVersion": "2.2",
        "description": "Join the domain and the gMSA group, write credential specs, then start the ECS agent (generated by gen).",
        "parameters": {
            name: {"type": "String", "description": description, "allowedPattern": pattern}
            for name, (description, pattern) in DOCUMENT_PARAMETERS.items()
        },
        "mainSteps": [
            {
                "action": "aws:runPowerShellScript",
                "name": "bootstrapGmsaHost",
                "precondition": {"StringEquals": ["platformType", "Windows"]},
                "inputs": {"timeoutSeconds": "3600", "runCommand": lines},
            }
        ],
    }


def plan_bootstrap(*, name: str, region: str, directory_name: str, netbios_name: str, dns_ips: Value,
                   gmsa_group: str, join_secret_arn: str, cluster_name: str, specs: tuple[SpecPlan, ...],
                   bucket: BucketPlan | None, target: tuple[str, str]) -> BootstrapPlan:
    """The bootstrap document and association of one blueprint."""
    parameters: dict[str, Value] = {
        "directoryName": directory_name,
        "netbiosName": netbios_name,
        "dnsIpAddresses": dns_ips,
        "gmsaGroup": gmsa_group,
        "joinSecretArn": join_secret_arn,
        "clusterName": cluster_name,
        "region": region,
    }
    return BootstrapPlan(
        document_name=f"{name}-host-bootstrap",
        content=document_content(specs, bucket),
        association_name=f"{name}-host-bootstrap",
        target_key=target[0],
        target_value=target[1],
        parameters=parameters,
        join_secret_arn=join_secret_arn,
    )
