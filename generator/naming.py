"""The one place resource identifiers are formed, so both renderers name things alike."""

from __future__ import annotations

import hashlib
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
    name = "_".join(w.lower() for w in _words(camel))
    # A Terraform identifier may not start with a digit.
    return f"_{name}" if name[:1].isdigit() else name


#: Tag the Auto Scaling group propagates to its instances; the bootstrap association targets it.
HOST_TAG_KEY = "gen:hosts"


def host_tags(name: str) -> tuple[tuple[str, str], ...]:
    """Tags gen puts on every host of blueprint ``name``. ECS adds AmazonECSManaged to an Auto
    Scaling group under managed scaling; declaring it avoids drift."""
    return (("AmazonECSManaged", "true"), ("Name", f"{name}-host"), (HOST_TAG_KEY, name))


#: Tag keys gen sets on the hosts itself, which a blueprint may not use (rule GEN019).
RESERVED_TAG_KEYS = tuple(key for key, _ in host_tags("x"))


def service_stack(service_name: str, stacks: int) -> int:
    """Which of ``stacks`` CloudFormation service stacks holds a service, once a blueprint's
    services are split across several: a number from its name alone (case folded, as names are
    unique), the same on every run and machine, whatever other services the blueprint has."""
    digest = hashlib.sha256(service_name.lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % stacks


def fitted(name: str, limit: int) -> str:
    """``name`` if it fits ``limit`` characters, else its start and a digest of the whole, so two
    long names stay apart and the same name always gives the same result:
    ``webapp-prod-orders-reporting-api`` (33) -> ``webapp-prod-orders-rep-1a2b3c4d``."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return name[: limit - len(digest) - 1].rstrip("-") + "-" + digest


#: Listener-rule priorities gen derives: three bands (an exact host, a wildcard host, no host),
#: then the longer a path's literal start the earlier, then a digest of the route within
#: ``PRIORITY_SPREAD``. Rules of more specific routes come first, and a priority depends on its
#: route alone, so adding or removing a service never renumbers another's rule. The largest is
#: 1 + 2 * 16000 + 128 * 120 + 119 = 47480, within ELB's 1-50000.
PRIORITY_BAND = 16000
PRIORITY_SPREAD = 120


def route_priority(host: str | None, path: str) -> int:
    """The listener-rule priority of a route that has none of its own."""
    band = 2 if host is None else (1 if any(c in host for c in "*?") else 0)
    literal = len(re.split(r"[*?]", path, maxsplit=1)[0])
    digest = int(hashlib.sha256(f"{(host or '').lower()} {path}".encode()).hexdigest(), 16) % PRIORITY_SPREAD
    return 1 + band * PRIORITY_BAND + (128 - min(literal, 128)) * PRIORITY_SPREAD + digest
