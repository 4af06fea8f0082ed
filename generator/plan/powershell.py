"""PowerShell that gen generates: the shared functions, quoting, and the steps every script
assembles from the plan (credential specs to write).

Scripts are kept as files under ``scripts/`` and assembled here: a line ``# @NAME@`` in a script
is replaced by generated lines. A blueprint value reaches PowerShell only inside a single-quoted
literal (:func:`quote`) or a here-string of JSON, or as an SSM document parameter, which SSM
checks against its allowedPattern before it substitutes it.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any, NamedTuple

from generator.expr import Value, text
from generator.plan.credential_specs import BucketPlan, SpecPlan
from generator.plan.credspec import (
    DOMAINLESS_SECRET_PLACEHOLDER,
    FOREST_PLACEHOLDER,
    GUID_PLACEHOLDER,
    SID_PLACEHOLDER,
)

#: Files of shared functions, in the order they are included.
COMMON = ("common.ps1",)
ACTIVE_DIRECTORY = ("common.ps1", "ad-objects.ps1")


def quote(value: str) -> str:
    """A PowerShell single-quoted literal (only ' needs doubling)."""
    return "'" + value.replace("'", "''") + "'"


def script(name: str) -> str:
    return resources.files("generator.plan.scripts").joinpath(name).read_text(encoding="utf-8")


class Lines(NamedTuple):
    lines: list[Value]

    def add(self, *parts: Value) -> None:
        self.lines.append(text(*parts))


def assemble(main: str, steps: dict[str, list[Value]], functions: tuple[str, ...]) -> list[Value]:
    """The lines of ``main`` with ``# @FUNCTIONS@`` and each ``# @NAME@`` of ``steps`` filled in."""
    fill = {"FUNCTIONS": [line for name in functions for line in script(name).rstrip("\n").split("\n")], **steps}
    lines: list[Value] = []
    for line in script(main).rstrip("\n").split("\n"):
        marker = line.strip()
        if marker.startswith("# @") and marker.endswith("@"):
            lines.extend(fill[marker[3:-1]])
        else:
            lines.append(line)
    return lines


def revision(content: Any) -> str:
    """A short digest of a document's content: it changes whenever what the document does does."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:12]


def spec_lines(specs: tuple[SpecPlan, ...], bucket: BucketPlan | None) -> list[Value]:
    """Lines that write ``specs`` to their stores, each only where its text differs. Specs of a
    domain the blueprint does not know are completed from ``$domainInfo`` (Get-ADDomain)."""
    out = Lines([])
    if not specs:
        out.add("# None: the stack stores every spec itself.")
        return out.lines
    if any(s.pending for s in specs):
        # The domainless user's secret the stack created is the setup's $PrincipalSecretArn.
        secret = (f".Replace('{DOMAINLESS_SECRET_PLACEHOLDER}', $PrincipalSecretArn)"
                  if any(DOMAINLESS_SECRET_PLACEHOLDER in s.text for s in specs) else "")
        out.add("function Expand-CredentialSpec([string] $Template) {")
        out.add(f"    $Template.Replace('{SID_PLACEHOLDER}', $domainInfo.DomainSID.Value).Replace("
                f"'{GUID_PLACEHOLDER}', $domainInfo.ObjectGUID.ToString()).Replace("
                f"'{FOREST_PLACEHOLDER}', $domainInfo.Forest){secret}")
        out.add("}")
    else:
        out.add("function Expand-CredentialSpec([string] $Template) { $Template }")
    for spec in specs:
        out.add("$spec = (Expand-CredentialSpec @'")
        for line in spec.text.rstrip("\n").split("\n"):
            out.add(line)
        out.add("'@) + \"`n\"")
        if spec.store == "ssm":
            assert spec.parameter_name is not None
            out.add(f"Write-SsmSpec -Name {quote(spec.parameter_name)} -Spec $spec")
        elif spec.store == "s3":
            assert bucket is not None and spec.key is not None
            encryption = f"@{{ ServerSideEncryption = {quote(bucket.sse_algorithm)}"
            if bucket.kms_key_arn:
                encryption += f"; ServerSideEncryptionKeyManagementServiceKeyId = {quote(bucket.kms_key_arn)}"
            encryption += " }"
            out.add("Write-S3Spec -Bucket '", bucket.name, f"' -Key {quote(spec.key)} -Spec $spec -Encryption {encryption}")
        else:
            assert spec.file_path is not None
            out.add(f"Write-FileSpec -Path {quote(spec.file_path)} -Spec $spec")
    return out.lines


def as_block(lines: list[Value]) -> Value:
    """``lines`` as one script, each line ended by a newline: what a reviewer reads as one block
    (a YAML ``|`` block in the template, a heredoc in Terraform), and what SSM runs the same way
    as the list of lines it joins with newlines."""
    parts: list[Value] = []
    for line in lines:
        parts += [line, "\n"]
    return text(*parts)


def run_command_document(description: str, step: str, parameters: dict[str, tuple[str, str]],
                         lines: list[Value], timeout_seconds: int) -> dict[str, Any]:
    """An SSM Command document (schema 2.2) that runs ``lines`` on Windows, as one script
    (``runCommand`` holds one element, the whole script)."""
    return {
        "schemaVersion": "2.2",
        "description": description,
        "parameters": {
            name: {"type": "String", "description": what, "allowedPattern": pattern}
            for name, (what, pattern) in parameters.items()
        },
        "mainSteps": [
            {
                "action": "aws:runPowerShellScript",
                "name": step,
                "precondition": {"StringEquals": ["platformType", "Windows"]},
                "inputs": {"timeoutSeconds": str(timeout_seconds), "runCommand": [as_block(lines)]},
            }
        ],
    }
