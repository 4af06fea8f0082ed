"""Work out which spec ``gen credspec`` prints: from a blueprint, from flags, or both.

Flags override the blueprint, so a user can print the spec of a blueprint's account once the
domain's SID and GUID are known (``gen credspec bp.yaml --account App01 --sid ... --guid ...``).
Flag values are checked with the same types as the blueprint. A domainless spec
(``--mode domainless``) names the domainless user's secret, in the form of its platform
(``--platform windows|linux``; see :class:`~generator.plan.credspec.HostAccount`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from generator.blueprint.types import (
    PATTERNS,
    SECRET_ARN_RE,
    AccountName,
    DnsName,
    DomainGuid,
    DomainSid,
    NetbiosName,
    Strict,
)
from generator.errors import UsageError
from generator.plan.credspec import Domain, HostAccount

MODES = ("domain-joined", "domainless")
PLATFORMS = ("windows", "linux")


class _Request(Strict):
    account: AccountName
    dns_name: DnsName
    netbios_name: NetbiosName
    sid: DomainSid
    guid: DomainGuid
    forest: DnsName | None = None
    domainless_secret: Annotated[str, Field(pattern=SECRET_ARN_RE)] | None = None


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
                    environment: str | None = None, mode: str | None = None, platform: str | None = None,
                    domainless_secret: str | None = None) -> tuple[Domain, str, HostAccount | None]:
    """The domain, account and (in domainless mode) host account to print, of the blueprint's
    ``environment`` if it has them; :class:`UsageError` naming each flag that is wrong."""
    values = {"account": account, "dns_name": dns_name, "netbios_name": netbios_name, "sid": sid, "guid": guid,
              "forest": forest, "domainless_secret": domainless_secret}
    how = {"mode": mode, "platform": platform}
    if blueprint is not None:
        from generator.blueprint.validate import load_blueprint, load_environments

        model = (load_environments(blueprint, False, (environment,))[0] if environment else load_blueprint(blueprint)).model
        known = {"dns_name": model.directory.dns_name, "netbios_name": model.directory.netbios_name,
                 "sid": model.directory.sid, "guid": model.directory.guid, "forest": model.directory.forest}
        given_secret = model.credential_specs.domainless_secret
        known["domainless_secret"] = given_secret.arn if given_secret is not None else None
        values = {k: v if v is not None else known.get(k) for k, v in values.items()}
        how["mode"] = how["mode"] or model.credential_specs.mode
        how["platform"] = how["platform"] or ("windows" if model.platform == "windows" else "linux")
        declared = [a.name for a in model.gmsa_accounts]
        if account is None and len(declared) == 1:
            values["account"] = declared[0]
        elif account is None:
            raise UsageError(f"{blueprint} declares {len(declared)} accounts; choose one with --account "
                             f"({', '.join(declared)})")
        elif account.lower() not in {d.lower() for d in declared}:
            raise UsageError(f"{account} is not declared in {blueprint}; declared: {', '.join(declared)}")
    problems = [f"--{flag}: {value!r} is not valid; expected {' or '.join(choices)}"
                for flag, value, choices in (("mode", how["mode"], MODES), ("platform", how["platform"], PLATFORMS))
                if value is not None and value not in choices]
    domainless = how["mode"] == "domainless"
    if how["mode"] in (None, "domain-joined") and domainless_secret is not None:
        problems.append("--domainless-secret: a domain-joined spec names no secret; add --mode domainless")
    problems += _invalid_flags({k: v for k, v in values.items() if v is not None})
    optional = {"forest"} if domainless else {"forest", "domainless_secret"}
    missing = [f"--{k.replace('_', '-')}" for k, v in values.items() if v is None and k not in optional]
    if missing:
        where = "the blueprint gives no domain SID/GUID; " if blueprint is not None and set(missing) <= {"--sid", "--guid"} else ""
        problems.append(f"{where}missing {', '.join(missing)} (Get-ADDomain shows DomainSID and ObjectGUID)")
    if problems:
        raise UsageError(*problems)
    request = _Request.model_validate({k: v for k, v in values.items() if v is not None})
    domain = Domain(request.dns_name, request.netbios_name, request.sid, request.guid, request.forest)
    host = (HostAccount(request.domainless_secret, linux=how["platform"] == "linux")
            if domainless and request.domainless_secret else None)
    return domain, request.account, host
