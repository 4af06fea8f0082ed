"""Credential spec documents, exactly as Microsoft's ``New-CredentialSpec`` writes them.

``New-CredentialSpec`` (module CredentialSpec) reads ``Get-ADDomain`` and writes, in this key
order: ``CmsPlugins``; ``DomainJoinConfig`` with ``Sid`` (DomainSID), ``MachineAccountName``
(the gMSA), ``Guid`` (ObjectGUID), ``DnsTreeName`` (Forest), ``DnsName`` (DNSRoot) and
``NetBiosName``; and ``ActiveDirectoryConfig.GroupManagedServiceAccounts`` with one entry scoped
to the DNS name and one to the NetBIOS name. The document holds no secret.

A domainless spec adds ``ActiveDirectoryConfig.HostAccountConfig``: the AWS CCG plugin's GUID,
``PortableCcgVersion`` "1", and ``PluginInput`` naming the secret of the domainless user. The ECS
agent reads ``PluginInput`` as a JSON *string* with ``credentialArn`` on Windows
(``credentialspec_windows.go``, ``writeCredentialSpec``) and as an *object* with
``CredentialArn`` on Linux and Fargate (``credentialspec_linux.go``; credentials-fetcher reads
the key case-sensitively), as the ECS guide's Windows and Linux gMSA pages show.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from generator.facts.agent import CCG_PLUGIN_GUID

#: Stand-ins a joined host replaces with ``Get-ADDomain`` values when the blueprint has no SID/GUID.
SID_PLACEHOLDER = "__DOMAIN_SID__"
GUID_PLACEHOLDER = "__DOMAIN_GUID__"
FOREST_PLACEHOLDER = "__DOMAIN_FOREST__"
#: Stand-in for the domainless user's secret when the stack creates it (its ARN is known only then).
DOMAINLESS_SECRET_PLACEHOLDER = "__DOMAINLESS_SECRET_ARN__"


class HostAccount(NamedTuple):
    """The domainless user whose credentials the CCG plugin (Windows) or credentials-fetcher
    (Linux) uses to retrieve the gMSA password."""

    secret_arn: str
    linux: bool

    def config(self) -> dict[str, Any]:
        plugin_input: Any = ({"CredentialArn": self.secret_arn} if self.linux
                             else json.dumps({"credentialArn": self.secret_arn}))
        return {"PortableCcgVersion": "1", "PluginGUID": CCG_PLUGIN_GUID, "PluginInput": plugin_input}


class Domain(NamedTuple):
    """What a credential spec needs to know about the domain."""

    dns_name: str
    netbios_name: str
    sid: str | None = None
    guid: str | None = None
    forest: str | None = None

    @property
    def is_known(self) -> bool:
        """Whether SID and GUID are known, so the spec can be written without a joined host."""
        return self.sid is not None and self.guid is not None


def credential_spec(account: str, domain: Domain, host_account: HostAccount | None = None) -> dict[str, Any]:
    """The spec of ``account``; unknown SID/GUID/forest become placeholders a host fills in."""
    forest = domain.forest or (domain.dns_name if domain.is_known else FOREST_PLACEHOLDER)
    spec = {
        "CmsPlugins": ["ActiveDirectory"],
        "DomainJoinConfig": {
            "Sid": domain.sid or SID_PLACEHOLDER,
            "MachineAccountName": account,
            "Guid": domain.guid.lower() if domain.guid else GUID_PLACEHOLDER,
            "DnsTreeName": forest,
            "DnsName": domain.dns_name,
            "NetBiosName": domain.netbios_name,
        },
        "ActiveDirectoryConfig": {
            "GroupManagedServiceAccounts": [
                {"Name": account, "Scope": domain.dns_name},
                {"Name": account, "Scope": domain.netbios_name},
            ]
        },
    }
    if host_account is not None:
        spec["ActiveDirectoryConfig"]["HostAccountConfig"] = host_account.config()  # type: ignore[index]
    return spec


def spec_text(spec: dict[str, Any]) -> str:
    """The spec as a file: four-space indented JSON in the document's key order, newline-ended.

    The same bytes go to files, SSM parameters and S3 objects, so every store holds one text.
    """
    return json.dumps(spec, indent=4, ensure_ascii=True) + "\n"
