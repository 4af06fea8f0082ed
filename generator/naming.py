"""The one place resource identifiers are formed, so both renderers name things alike."""

from __future__ import annotations

import re


def _words(parts: tuple[str, ...]) -> list[str]:
    return [w for part in parts for w in re.split(r"[^A-Za-z0-9]+", part) if w]


def logical_id(*parts: str) -> str:
    """A CloudFormation logical id: ``("web-api", "TaskDefinition")`` -> ``WebApiTaskDefinition``."""
    return "".join(w[:1].upper() + w[1:] for w in _words(parts))


def tf_name(*parts: str) -> str:
    """A Terraform identifier: ``("web-api", "task")`` -> ``web_api_task``,
    ``"HostRoleArn"`` -> ``host_role_arn``."""
    camel = tuple(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", part) for part in parts)
    return "_".join(w.lower() for w in _words(camel))
