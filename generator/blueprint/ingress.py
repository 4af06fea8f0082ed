"""Which ports the security groups open, and to whom: one rule per distinct port range and
source, so a thousand services stay within a group's quota of inbound rules.

Read by the plan (the rules it writes) and by rule GEN060 (whether they fit), so both count the
same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.blueprint.model import Blueprint
from generator.facts.quotas import SG_MAX_INBOUND_RULES, SG_RULE_DESCRIPTION_CHARS


@dataclass(frozen=True)
class Ingress:
    """One inbound rule: TCP ``from_port``..``to_port`` from ``cidr``, for these services."""

    from_port: int
    to_port: int
    cidr: str
    services: tuple[str, ...]

    @property
    def port(self) -> int:
        return self.from_port

    @property
    def description(self) -> str:
        """``Api from 10.0.0.0/8``, or the services it serves, shortened to what a rule's
        description holds."""
        tail = f" from {self.cidr}"
        names = ", ".join(self.services)
        if len(names) + len(tail) <= SG_RULE_DESCRIPTION_CHARS:
            return names + tail
        shown: list[str] = []
        for name in self.services:
            more = f" and {len(self.services) - len(shown) - 1} more"
            if len(", ".join([*shown, name])) + len(more) + len(tail) > SG_RULE_DESCRIPTION_CHARS:
                break
            shown.append(name)
        return f"{', '.join(shown)} and {len(self.services) - len(shown)} more{tail}"


def host_ingress(bp: Blueprint) -> tuple[Ingress, ...]:
    """Inbound rules of the hosts' group: the host ports services publish, from ``allowed_cidrs``."""
    return consolidated([(s.name, port) for s in bp.services if (port := bp.host_port(s)) is not None],
                        bp.network.allowed_cidrs)


def task_ingress(bp: Blueprint) -> tuple[Ingress, ...]:
    """Inbound rules of the ``awsvpc`` tasks' group: their ports, from ``allowed_cidrs``; a
    routed task admits the load balancer only (its own rule, :func:`load_balancer_rules`)."""
    return consolidated([(s.name, s.port) for s in bp.services
                         if bp.awsvpc(s) and s.port is not None and not bp.routed(s)],
                        bp.network.allowed_cidrs)


def load_balancer_rules(bp: Blueprint) -> tuple[int, int]:
    """The inbound rules the load balancer adds to the hosts' group (one, on the agent's dynamic
    port range, when a routed service publishes host ports) and to the tasks' group (one per
    distinct port of the routed awsvpc services)."""
    routed = [s for s in bp.services if bp.routed(s)]
    hosts = int(any(not bp.awsvpc(s) for s in routed))
    tasks = len({s.port for s in routed if bp.awsvpc(s)})
    return hosts, tasks


def consolidated(ports: Iterable[tuple[str, int]], cidrs: Iterable[str],
                 quota: int = SG_MAX_INBOUND_RULES) -> tuple[Ingress, ...]:
    """One rule per distinct port and CIDR, in the order services declare them; when that is
    more than ``quota``, adjacent ports share one range (which opens no other port)."""
    by_port: dict[int, list[str]] = {}
    for name, port in ports:
        by_port.setdefault(port, []).append(name)
    cidrs = list(dict.fromkeys(cidrs))
    ranges = [(port, port) for port in by_port]
    if len(ranges) * len(cidrs) > quota:
        ranges = _adjacent_ranges(sorted(by_port))
    return tuple(
        Ingress(low, high, cidr, tuple(n for p in sorted(by_port) if low <= p <= high for n in by_port[p]))
        for low, high in ranges
        for cidr in cidrs
    )


def _adjacent_ranges(ports: list[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for port in ports:
        if ranges and ranges[-1][1] == port - 1:
            ranges[-1] = (ranges[-1][0], port)
        else:
            ranges.append((port, port))
    return ranges
