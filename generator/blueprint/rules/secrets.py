"""Rules that keep secrets out of blueprints, and the tests of what looks like one.

``looks_like_secret_name`` and ``looks_like_credential`` are also what keeps gen's own messages
from echoing a value that may be a secret (see :mod:`generator.blueprint.messages`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import SERVICES, Finding, rule

#: A name holding one of these anywhere says it holds a secret (PGPASSWORD, ADMIN_PASSWORDS).
_SECRET_PARTS = ("PASSWORD", "PASSWD", "PASSPHRASE", "CREDENTIAL", "PRIVATE_KEY", "PRIVATEKEY", "APIKEY", "API_KEY",
                 "ACCESS_KEY", "ACCESSKEY", "SECRET_KEY", "SECRETKEY", "CONNECTIONSTRING", "CONNECTION_STRING")
#: ... or ending with one of these (MYSQLPWD, GITHUB_TOKEN, CLIENTSECRET), but not TOKEN_LIFETIME.
_SECRET_ENDINGS = ("PWD", "TOKEN", "TOKENS", "SECRET", "SECRETS")
#: ... or having one of these as a word between underscores (DB_PASS), but not PROXY_BYPASS.
_SECRET_WORDS = {"PASS", "PWD", "SECRET", "SECRETS"}

_CREDENTIAL_VALUES = re.compile(
    "|".join((
        # postgres://app:pw@host, https://user:token@example.com
        r"[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@",
        # user=sa;pass=..., db_password: ..., api-key=...
        r"(?<![a-z0-9])(password|passwd|passphrase|pwd|pass|secret|client_?secret|api[_-]?key|access[_-]?key|"
        r"secret[_-]?key|auth[_-]?token|token)\s*[=:]\s*[^\s;,&]",
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----",  # a PEM private key
        r"(?<![A-Za-z0-9])(AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])",  # an AWS access key id
        r"(?<![A-Za-z0-9])(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abprs]-[A-Za-z0-9-]{10,})",
    )),
    re.IGNORECASE,
)


def looks_like_secret_name(name: str) -> bool:
    """Whether a name says it holds a secret: PASSWORD anywhere in it (PGPASSWORD, DB_PASSWORD), an
    ending such as TOKEN, PWD or SECRET (GITHUB_TOKEN, MYSQLPWD), or PASS as a word (DB_PASS); but
    not TOKEN_LIFETIME or PROXY_BYPASS."""
    upper = name.upper().replace("-", "_")
    return (any(part in upper for part in _SECRET_PARTS)
            or upper.endswith(_SECRET_ENDINGS)
            or bool(_SECRET_WORDS & set(upper.split("_"))))


def looks_like_credential(value: str) -> bool:
    """Whether a value carries a credential: a URL with a password (``postgres://app:pw@db``),
    a password assignment (``user=sa;pass=...``, ``db_password: ...``), a private key, or the
    shape of an AWS access key id or a GitHub or Slack token."""
    return _CREDENTIAL_VALUES.search(value) is not None


LOOKS_SECRET = "this looks like a secret written in plain text"


def _secret_hint(name: str, value: str, where: str) -> str:
    why = "the name says it holds one" if looks_like_secret_name(name) else "the value carries a credential"
    return (f"{why}; store it in Secrets Manager or SSM and list it under the service's secrets: {name}: <ARN>. "
            f"If it is not a secret, add {name} to {where}")


@rule("GEN014", "no secret is written into a blueprint: no name or value under environment or tags that says or "
      "looks like it holds one (unless listed under not_secret)", items=SERVICES)
def no_literal_secrets(bp: Blueprint) -> Iterator[Finding]:
    for index, service in enumerate(bp.services):
        reviewed = set(service.not_secret)
        for name, value in service.environment.items():
            if name in reviewed:
                continue
            if looks_like_secret_name(name) or looks_like_credential(value):
                yield Finding(("services", index, "environment", name), LOOKS_SECRET,
                              _secret_hint(name, value, "this service's not_secret"))
        for position, name in enumerate(service.not_secret):
            if name not in service.environment:
                yield Finding(("services", index, "not_secret", position),
                              f"{name} is listed as not secret but is not under environment",
                              "remove it from not_secret; the list names environment variables only")
    reviewed_tags = set(bp.not_secret_tags)
    for key, value in bp.tags.items():
        if key not in reviewed_tags and (looks_like_secret_name(key) or looks_like_credential(value)):
            why = "the name says it holds one" if looks_like_secret_name(key) else "the value carries a credential"
            yield Finding(("tags", key), LOOKS_SECRET,
                          f"{why}; anyone who may describe the resources reads their tags, so keep secrets out of "
                          f"them. If it is not a secret, add {key} to not_secret_tags")
    for position, key in enumerate(bp.not_secret_tags):
        if key not in bp.tags:
            yield Finding(("not_secret_tags", position), f"{key} is listed as not secret but is not under tags",
                          "remove it from not_secret_tags; the list names tag keys only")


DYNAMIC_REFERENCE = re.compile(r"\{\{\s*resolve\s*:", re.IGNORECASE)


@rule("GEN040", "no CloudFormation dynamic reference ({{resolve:...}}) in a plain value: CloudFormation would resolve "
      "it into plain text, and Terraform would keep it as written",
      "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html", items=SERVICES)
def no_dynamic_references(bp: Blueprint) -> Iterator[Finding]:
    hint = "give the secret's or parameter's ARN under the service's secrets:, which ECS reads when the task starts"
    for key, value in bp.tags.items():
        if DYNAMIC_REFERENCE.search(value):
            yield Finding(("tags", key), "a CloudFormation dynamic reference ({{resolve:...}}) in a tag value",
                          "write the value itself; tags cannot read secrets or parameters")
    for index, service in enumerate(bp.services):
        for name, value in service.environment.items():
            if DYNAMIC_REFERENCE.search(value):
                yield Finding(("services", index, "environment", name),
                              "a CloudFormation dynamic reference ({{resolve:...}}) in a plain environment value", hint)
        if service.hostname is not None and DYNAMIC_REFERENCE.search(service.hostname):
            yield Finding(("services", index, "hostname"), "a CloudFormation dynamic reference ({{resolve:...}}) "
                          "in the hostname", "write the hostname itself")
