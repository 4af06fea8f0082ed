"""``gen discover``: read a directory through the Directory Service API and write the
blueprint's ``network:`` and ``directory:`` sections from it.

The API knows the DNS and NetBIOS names, the DNS addresses, the VPC and subnets. It does not
know the domain SID and GUID, which only Active Directory holds; the output says how to get them.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.aws.session import Aws
from generator.blueprint.validate import validate_text
from generator.errors import AwsError, UsageError

SID_GUID_NOTE = (
    "The Directory Service API does not give the domain SID and GUID. On a domain-joined host run\n"
    "  Get-ADDomain | Select-Object DomainSID, ObjectGUID\n"
    "and add them as directory.sid and directory.guid; or leave them out: the hosts then build the\n"
    "credential specs after they join, and `gen publish --sid ... --guid ...` can write them later."
)


@dataclass(frozen=True)
class Discovered:
    directory_id: str
    kind: str
    stage: str
    dns_name: str
    netbios_name: str
    dns_ips: list[str]
    vpc_id: str
    subnet_ids: list[str]


def discover(aws: Aws, directory_id: str) -> Discovered:
    """Describe ``directory_id``; :class:`AwsError` when it does not exist."""
    try:
        found = aws.call("ds", "describe_directories", directory_id, DirectoryIds=[directory_id])["DirectoryDescriptions"]
    except AwsError as exc:
        if exc.code != "EntityDoesNotExistException":
            raise
        found = []
    if not found:
        raise AwsError(f"no directory {directory_id} in {aws.region}; check the id and --region")
    d = found[0]
    settings = d.get("VpcSettings") or d.get("ConnectSettings") or {}
    dns_ips = d.get("DnsIpAddrs") or (d.get("ConnectSettings") or {}).get("CustomerDnsIps") or []
    return Discovered(
        directory_id=d["DirectoryId"],
        kind=d.get("Type", ""),
        stage=d.get("Stage", ""),
        dns_name=d["Name"],
        netbios_name=d.get("ShortName") or d["Name"].split(".")[0].upper(),
        dns_ips=sorted(dns_ips),
        vpc_id=settings.get("VpcId", ""),
        subnet_ids=sorted(settings.get("SubnetIds", [])),
    )


def sections(found: Discovered) -> dict[str, Any]:
    """The ``network`` and ``directory`` sections for ``found``."""
    return {
        "network": {"vpc_id": found.vpc_id, "subnet_ids": found.subnet_ids},
        "directory": {
            "dns_name": found.dns_name,
            "netbios_name": found.netbios_name,
            "existing": {"directory_id": found.directory_id, "dns_ips": found.dns_ips},
        },
    }


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a user's long lines
    yaml.preserve_quotes = True
    return yaml


def blueprint_region(path: Path, environment: str | None = None) -> str:
    """The region a blueprint (or its ``environment``) names, read without validating the rest."""
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        override = (data.get("environments") or {}).get(environment) or {} if environment else {}
        region = override.get("region", data.get("region"))
    except Exception:  # noqa: BLE001 - an unreadable blueprint is reported by write_into
        region = None
    if not isinstance(region, str):
        raise UsageError(f"{path} names no region; pass --region")
    return region


def as_yaml(found: Discovered, region: str) -> str:
    """Sections ready to paste into a blueprint, with where they came from and the SID/GUID note."""
    header = [f"Discovered by gen from {found.directory_id} ({found.kind}, {found.stage}) in {region}."]
    header += SID_GUID_NOTE.splitlines()
    buffer = io.StringIO()
    data = CommentedMap(sections(found))
    for key in ("network", "directory"):
        data[key] = _commented(data[key])
    _yaml().dump(data, buffer)
    return "".join(f"# {line}\n" if line else "#\n" for line in header) + buffer.getvalue()


def _commented(value: Any) -> Any:
    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = _commented(v)
        return mapping
    if isinstance(value, list):
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
    return value


def write_into(path: Path, found: Discovered, environment: str | None = None) -> list[str]:
    """Update ``path``'s network and directory sections in place (those of its ``environment``,
    if given), keeping comments, key order and every other key (allowed_cidrs, sid, guid);
    refuse to write a blueprint that would not be valid. Returns the changes made, for the user."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc})") from None
    yaml = _yaml()
    document = yaml.load(text)
    if not isinstance(document, CommentedMap):
        raise UsageError(f"{path} is not a blueprint (no mapping at the top)")
    new = sections(found)
    changes: list[str] = []
    target, shown = document, ""
    if environment is not None:
        environments = document.get("environments")
        if not isinstance(environments, CommentedMap) or environment not in environments:
            raise UsageError(f"{path} has no environment {environment}")
        if environments[environment] is None:
            environments[environment] = CommentedMap()
        target, shown = environments[environment], f"environments.{environment}."
    network = target.setdefault("network", CommentedMap())
    directory = target.setdefault("directory", CommentedMap())
    if network.get("vpc_id") != found.vpc_id or not network.get("subnet_ids"):
        # The hosts' subnets are the blueprint's choice; only a different VPC replaces them.
        _set(network, "vpc_id", found.vpc_id, f"{shown}network.vpc_id", changes)
        _set(network, "subnet_ids", _commented(new["network"]["subnet_ids"]), f"{shown}network.subnet_ids", changes)
    _set(directory, "dns_name", new["directory"]["dns_name"], f"{shown}directory.dns_name", changes)
    _set(directory, "netbios_name", new["directory"]["netbios_name"], f"{shown}directory.netbios_name", changes)
    shared_managed = target is not document and "managed" in (document.get("directory") or {})
    if "managed" in directory and not (shared_managed and directory["managed"] is None):
        del directory["managed"]
        changes.append(f"{shown}directory.managed removed: the directory exists, gen no longer creates it")
    if shared_managed and "managed" not in directory:
        directory["managed"] = None  # null removes the shared part's key in this environment
        changes.append(f"{shown}directory.managed: null (the directory exists, gen no longer creates it here)")
    existing = directory.setdefault("existing", CommentedMap())
    _set(existing, "directory_id", found.directory_id, f"{shown}directory.existing.directory_id", changes)
    _set(existing, "dns_ips", _commented(found.dns_ips), f"{shown}directory.existing.dns_ips", changes)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    updated = buffer.getvalue()
    # Raises BlueprintInvalid before anything is written: the user's file stays as it was.
    validate_text(updated, str(path))
    _atomic_write(path, updated)
    return changes


def _set(mapping: CommentedMap, key: str, value: Any, shown: str, changes: list[str]) -> None:
    if mapping.get(key) != value:
        changes.append(f"{shown}: {_plain(mapping.get(key))} -> {_plain(value)}")
        mapping[key] = value


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return "(none)" if value is None else str(value)


def _atomic_write(path: Path, text: str) -> None:
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(staging, path.stat().st_mode)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
