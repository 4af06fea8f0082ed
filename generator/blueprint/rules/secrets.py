"""Rules that keep secrets out of blueprints."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.blueprint.model import Blueprint
from generator.blueprint.rules.registry import Finding, rule

_SECRET_WORDS = {"PASSWORD", "PASSWD", "PWD", "SECRET", "SECRETS", "CREDENTIAL", "CREDENTIALS"}
_SECRET_ENDINGS = {"TOKEN", "APIKEY", "API_KEY", "PRIVATE_KEY", "ACCESS_KEY", "SECRET_KEY", "CONNECTIONSTRING"}
_SECRET_VALUE = re.compile(r"(password|pwd)\s*=\s*[^;\s]+", re.IGNORECASE)


def looks_like_secret_name(name: str) -> bool:
    """Whether a key names a secret: a word such as PASSWORD anywhere in it (DB_PASSWORD), or an
    ending such as TOKEN or API_KEY (GITHUB_TOKEN), but not TOKEN_LIFETIME or PROXY_BYPASS."""
    upper = name.upper().replace("-", "_")
    words = upper.split("_")
    return bool(_SECRET_WORDS & set(words)) or any(upper.endswith(e) for e in _SECRET_ENDINGS)


@rule("GEN014", "no secret is written into a blueprint")
def no_literal_secrets(bp: Blueprint) -> Iterator[Finding]:
    for index, service in enumerate(bp.services):
        for name, value in service.environment.items():
            if looks_like_secret_name(name) or _SECRET_VALUE.search(value):
                yield Finding(
                    ("services", index, "environment", name),
                    "this looks like a secret written in plain text",
                    f"store it in Secrets Manager and list it under secrets: {name}: <secret ARN>",
                )
