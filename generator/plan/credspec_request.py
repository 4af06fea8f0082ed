"""Work out which spec ``gen credspec`` prints: from a blueprint, from flags, or both.

Flags override the blueprint, so a user can print the spec of a blueprint's account once the
domain's SID and GUID are known (``gen credspec bp.yaml --account App01 --sid ... --guid ...``).
Flag values are checked with the same types as the blueprint.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from generator.blueprint.types import (
    PATTERNS,
    AccountName,
    DnsName,
    DomainGuid,
    DomainSid,
    NetbiosName,
    Strict,
)
from generator.errors import UsageError
from generator.plan.credspec import Domain


class _Request(Strict):
    account: AccountName
    dns_name: DnsName
    netbios_name: NetbiosName
    sid: DomainSid
    guid: DomainGuid
    forest: DnsName | None = None


def _invalid_flags(given: dict[str, str]) -> list[str]:
    """One line per flag whose value is not valid, in the order of the flags."""
    try:
        _Request.model_validate(given)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            if error["type"] == "missing":
                continue
            flag = "--" + str(error["loc"][0]).replace("_", "-")
            what, example = PATTERNS.get((error.get("ctx") or {}).get("pattern", ""), ("a valid value", ""))
            lines.append(f"{flag}: {error['input']!r} is not valid; expected {what}, for example {example}")
        return lines
    return []


def resolve_request(blueprint: Path | None, account: str | None, dns_name: str | None, netbios_name: str | None,
                    sid: str | None, guid: str | None, forest: str | None,
                    environment: str | None = None) -> tuple[Domain, str]:
    """The domain and account to print (of the blueprint's ``environment``, if it has them);
    :class:`UsageError` naming each flag that is wrong."""
    values = {"account": account, "dns_name": dns_name, "netbios_name": netbios_name, "sid": sid, "guid": guid,
              "forest": forest}
    if blueprint is not None:
        from generator.blueprint.validate import load_blueprint, load_environments

        model = (load_environments(blueprint, False, (environment,))[0] if environment else load_blueprint(blueprint)).model
        known = {"dns_name": model.directory.dns_name, "netbios_name": model.directory.netbios_name,
                 "sid": model.directory.sid, "guid": model.directory.guid, "forest": model.directory.forest}
        values = {k: v if v is not None else known.get(k) for k, v in values.items()}
        declared = [a.name for a in model.gmsa_accounts]
        if account is None and len(declared) == 1:
            values["account"] = declared[0]
        elif account is None:
            raise UsageError(f"{blueprint} declares {len(declared)} accounts; choose one with --account "
                             f"({', '.join(declared)})")
        elif account.lower() not in {d.lower() for d in declared}:
            raise UsageError(f"{account} is not declared in {blueprint}; declared: {', '.join(declared)}")
    problems = _invalid_flags({k: v for k, v in values.items() if v is not None})
    missing = [f"--{k.replace('_', '-')}" for k, v in values.items() if v is None and k != "forest"]
    if missing:
        where = "the blueprint gives no domain SID/GUID; " if blueprint is not None and set(missing) <= {"--sid", "--guid"} else ""
        problems.append(f"{where}missing {', '.join(missing)} (Get-ADDomain shows DomainSID and ObjectGUID)")
    if problems:
        raise UsageError(*problems)
    request = _Request.model_validate({k: v for k, v in values.items() if v is not None})
    domain = Domain(request.dns_name, request.netbios_name, request.sid, request.guid, request.forest)
    return domain, request.account
