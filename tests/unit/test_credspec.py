"""Credential specs: the AWS guide's example, placeholders, and the file format."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.plan.credspec import (
    GUID_PLACEHOLDER,
    SID_PLACEHOLDER,
    Domain,
    credential_spec,
    spec_text,
)

GUIDE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "aws-ecs-gmsa-windows-containers.txt"

#: The example of the AWS guide (copied so the test runs without ../shared).
GUIDE_EXAMPLE = {
    "CmsPlugins": ["ActiveDirectory"],
    "DomainJoinConfig": {
        "Sid": "S-1-5-21-2554468230-2647958158-2204241789",
        "MachineAccountName": "WebApp01",
        "Guid": "8665abd4-e947-4dd0-9a51-f8254943c90b",
        "DnsTreeName": "example.com",
        "DnsName": "example.com",
        "NetBiosName": "example",
    },
    "ActiveDirectoryConfig": {"GroupManagedServiceAccounts": [{"Name": "WebApp01", "Scope": "example.com"}]},
}
GUIDE_DOMAIN = Domain("example.com", "example", "S-1-5-21-2554468230-2647958158-2204241789",
                      "8665abd4-e947-4dd0-9a51-f8254943c90b")


def _shows(guide: object, ours: object) -> bool:
    """Every field the guide shows has the same value in ours (lists: the guide's items first)."""
    if isinstance(guide, dict):
        return isinstance(ours, dict) and all(k in ours and _shows(v, ours[k]) for k, v in guide.items())
    if isinstance(guide, list):
        return isinstance(ours, list) and all(_shows(g, o) for g, o in zip(guide, ours, strict=False)) and len(ours) >= len(guide)
    return guide == ours


def test_the_guides_example_is_reproduced_in_every_field_it_shows() -> None:
    spec = credential_spec("WebApp01", GUIDE_DOMAIN)
    assert _shows(GUIDE_EXAMPLE, spec)


def test_the_copied_example_matches_the_guide_when_it_is_at_hand() -> None:
    if not GUIDE.exists():
        return
    text = GUIDE.read_text()
    block = text[text.index('{\n    "CmsPlugins"'):]
    depth, end = 0, 0
    for index, char in enumerate(block):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            end = index + 1
            break
    assert json.loads(block[:end]) == GUIDE_EXAMPLE


def test_new_credentialspec_adds_the_netbios_scoped_entry() -> None:
    accounts = credential_spec("WebApp01", GUIDE_DOMAIN)["ActiveDirectoryConfig"]["GroupManagedServiceAccounts"]
    assert accounts == [{"Name": "WebApp01", "Scope": "example.com"}, {"Name": "WebApp01", "Scope": "example"}]


def test_keys_keep_new_credentialspecs_order() -> None:
    spec = credential_spec("WebApp01", GUIDE_DOMAIN)
    assert list(spec) == ["CmsPlugins", "DomainJoinConfig", "ActiveDirectoryConfig"]
    assert list(spec["DomainJoinConfig"]) == ["Sid", "MachineAccountName", "Guid", "DnsTreeName", "DnsName", "NetBiosName"]


def test_the_file_is_four_space_json_ending_in_a_newline() -> None:
    text = spec_text(credential_spec("WebApp01", GUIDE_DOMAIN))
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '\n    "CmsPlugins": [\n        "ActiveDirectory"\n    ],' in text


def test_guids_are_written_in_lower_case_as_dotnet_prints_them() -> None:
    domain = Domain("a.example", "A", "S-1-5-21-1-2-3", "8665ABD4-E947-4DD0-9A51-F8254943C90B")
    assert credential_spec("X", domain)["DomainJoinConfig"]["Guid"] == "8665abd4-e947-4dd0-9a51-f8254943c90b"


def test_an_unknown_domain_leaves_placeholders_for_the_host() -> None:
    spec = credential_spec("App", Domain("corp.example.com", "CORP"))
    join = spec["DomainJoinConfig"]
    assert (join["Sid"], join["Guid"]) == (SID_PLACEHOLDER, GUID_PLACEHOLDER)
    assert re.fullmatch(r"__[A-Z_]+__", join["DnsTreeName"])


def test_a_child_domain_names_its_forest() -> None:
    domain = Domain("child.corp.example", "CHILD", "S-1-5-21-1-2-3", GUIDE_DOMAIN.guid, forest="corp.example")
    assert credential_spec("X", domain)["DomainJoinConfig"]["DnsTreeName"] == "corp.example"
