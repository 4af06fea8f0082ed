"""Values that are only known at deploy time, and strings built from them.

The plan is renderer-neutral, yet some values exist only once a stack runs: the account id, the
id and DNS addresses of a directory the stack creates. The plan writes them as :class:`Ref`, and
strings containing them as :class:`Text`; each renderer translates these two types and nothing
else (CloudFormation to ``Ref``/``Fn::Sub``/``Fn::GetAtt``, Terraform to interpolations).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ref:
    """A deploy-time value, by name; ``known`` when the blueprint already determines it (the
    partition and region), so that renderers may write either the literal or a pseudo value."""

    name: str
    known: str | None = None


def partition(value: str) -> Ref:
    """The partition, known from the region; CloudFormation writes it as ``AWS::Partition``."""
    return Ref("partition", value)


def region(value: str) -> Ref:
    """The region, known from the blueprint; CloudFormation writes it as ``AWS::Region``."""
    return Ref("region", value)


#: The AWS account the stack is deployed into.
ACCOUNT_ID = Ref("account_id")
#: The id of the directory the stack creates.
DIRECTORY_ID = Ref("directory_id")
#: The DNS addresses of the directory the stack creates, comma-separated.
DIRECTORY_DNS_IPS = Ref("directory_dns_ips")
def directory_dns_ip(index: int) -> Ref:
    """One DNS address of the directory the stack creates (it has two)."""
    return Ref(f"directory_dns_ip_{index}")


#: The image id resolved from the hosts' AMI parameter.
HOST_IMAGE_ID = Ref("host_image_id")
#: The image id resolved from the directory setup instance's AMI parameter.
SETUP_IMAGE_ID = Ref("setup_image_id")
#: The ARN of the join account's secret the stack creates.
JOIN_SECRET_ARN = Ref("join_secret_arn")
#: The ARN of the domainless user's secret the stack creates.
DOMAINLESS_SECRET_ARN = Ref("domainless_secret_arn")
#: The id of the directory setup instance.
SETUP_INSTANCE_ID = Ref("setup_instance_id")
#: The DNS name of the load balancer the stack creates.
LOAD_BALANCER_DNS_NAME = Ref("load_balancer_dns_name")


@dataclass(frozen=True)
class Text:
    """A string made of literal parts and :class:`Ref` s, e.g. an ARN with the account id."""

    parts: tuple[str | Ref, ...]

    def __str__(self) -> str:
        return "".join(p if isinstance(p, str) else p.known or "${" + p.name + "}" for p in self.parts)


Value = str | Text | Ref


def text(*parts: str | Ref | Text) -> str | Text:
    """Join parts into a plain ``str`` when all are literal, else a :class:`Text`."""
    flat: list[str | Ref] = []
    for part in parts:
        items = part.parts if isinstance(part, Text) else (part,)
        for item in items:
            if isinstance(item, str) and flat and isinstance(flat[-1], str):
                flat[-1] += item
            elif item != "":
                flat.append(item)
    if all(isinstance(p, str) for p in flat):
        return "".join(flat)  # type: ignore[arg-type]
    return Text(tuple(flat))


def resolved(value: str | Text | Ref, account_id: str = "") -> str:
    """``value`` with known refs and the account id filled in; ValueError for anything else."""
    parts = value.parts if isinstance(value, Text) else (value,)
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part.known is not None:
            out.append(part.known)
        elif part == ACCOUNT_ID and account_id:
            out.append(account_id)
        else:
            raise ValueError(f"{part.name} is only known once the stack is deployed")
    return "".join(out)
