"""HCL literals and layout, so generated Terraform is ``terraform fmt``-clean without the binary.

:func:`literal` is the one way a Python value (from the plan, hence from the blueprint) reaches
HCL: strings are escaped (``"``, ``\\``, control characters, and the template sequences ``${``
and ``%{``), deploy-time references become interpolations. :func:`format_hcl` then applies
``terraform fmt``'s layout: two-space indentation by bracket depth, and ``=`` aligned across
runs of consecutive single-line attributes (hclwrite's ``formatIndent`` and ``formatCells``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from generator import expr

#: A list longer than this on one line is written one item per line.
LINE_WIDTH = 100
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_HEREDOC_START = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_]*)$")

#: Terraform expressions of the plan's deploy-time values.
REFERENCES: dict[expr.Ref, str] = {
    expr.ACCOUNT_ID: "local.account_id",
    expr.DIRECTORY_ID: "aws_directory_service_directory.this.id",
    expr.DIRECTORY_DNS_IPS: 'join(",", sort(aws_directory_service_directory.this.dns_ip_addresses))',
    expr.HOST_IMAGE_ID: "data.aws_ssm_parameter.host_ami.value",
    expr.SETUP_IMAGE_ID: "data.aws_ssm_parameter.directory_setup_ami.value",
    expr.JOIN_SECRET_ARN: "aws_secretsmanager_secret.join.arn",
    expr.DOMAINLESS_SECRET_ARN: "aws_secretsmanager_secret.domainless.arn",
    expr.directory_dns_ip(0): "sort(aws_directory_service_directory.this.dns_ip_addresses)[0]",
    expr.directory_dns_ip(1): "sort(aws_directory_service_directory.this.dns_ip_addresses)[1]",
    expr.SETUP_INSTANCE_ID: "aws_instance.directory_setup.id",
    expr.LOAD_BALANCER_DNS_NAME: "aws_lb.this.dns_name",
}


#: Each character a quoted string cannot hold as itself, and its escape: the backslash, the quote,
#: line feed, carriage return and tab by name; other control characters (C0, DEL, C1) and the
#: Unicode line separators as ``\\uXXXX``.
_ESCAPES = {
    **{code: f"\\u{code:04x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)},
    ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
}


def escape(text: str) -> str:
    """The body of an HCL quoted string that reads back as exactly ``text``."""
    # Template sequences: a literal "${" or "%{" is written "$${" / "%%{".
    return text.translate(_ESCAPES).replace("${", "$${").replace("%{", "%%{")


def quoted(text: str) -> str:
    return f'"{escape(text)}"'


#: Words an object key may not be written bare: `{ for = 1 }` opens a for expression.
_KEYWORDS = {"for", "in", "if", "else", "endif", "endfor", "true", "false", "null"}


def key(name: str) -> str:
    """An object key: bare when it is an identifier, quoted otherwise (and for keywords)."""
    return name if _IDENTIFIER.fullmatch(name) and name not in _KEYWORDS else quoted(name)


def _template_part(part: str | expr.Ref) -> str:
    if isinstance(part, str):
        return escape(part)
    if part.known is not None:
        return escape(part.known)
    return "${" + REFERENCES[part] + "}"


def literal(value: Any, indent: int = 0) -> str:
    """``value`` as an HCL expression. Mappings and non-empty lists of mappings span lines,
    indented for a value whose attribute starts at column ``indent``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (str, expr.Text)) and _is_script(value):
        return _heredoc_template(value, indent)
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, expr.Ref):
        return quoted(value.known) if value.known is not None else REFERENCES[value]
    if isinstance(value, expr.Text):
        return '"' + "".join(_template_part(p) for p in value.parts) + '"'
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        inner = " " * (indent + 2)
        lines = [f"{inner}{key(str(k))} = {literal(v, indent + 2)}" for k, v in value.items()]
        return "{\n" + "\n".join(lines) + "\n" + " " * indent + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        one_line = "[" + ", ".join(literal(v, indent) for v in value) + "]"
        if (any(isinstance(v, (Mapping, list, tuple)) for v in value) or "\n" in one_line
                or (len(value) > 1 and len(one_line) > LINE_WIDTH)):
            inner = " " * (indent + 2)
            items = [literal(v, indent + 2) for v in value]
            # A heredoc's closing marker stands alone on its line: its comma, if any, goes below it.
            return "[\n" + "".join(f"{inner}{item}" + (("\n" if last else f"\n{inner},\n") if item.startswith("<<-")
                                                        else ",\n")
                                   for item, last in zip(items, [False] * (len(items) - 1) + [True])) + " " * indent + "]"
        return one_line
    raise TypeError(f"no HCL form for {type(value).__name__}")


def heredoc(text: str, indent: int, marker: str = "EOT") -> str:
    """``text`` as an indented heredoc (``<<-EOT``) whose content starts at ``indent + 2``.

    Terraform strips the common indentation, so the value read back is ``text`` itself, which
    must end with a newline. Template sequences are escaped as in quoted strings.
    """
    if not text.endswith("\n") or f"\n{marker}\n" in f"\n{text}":
        raise ValueError("heredoc text must end with a newline and not contain the marker line")
    pad = " " * (indent + 2)
    lines = [(pad + line.replace("${", "$${").replace("%{", "%%{")) if line else "" for line in text[:-1].split("\n")]
    return f"<<-{marker}\n" + "\n".join(lines) + f"\n{pad}{marker}"


#: A string of more lines than this (a script) that reads the same in a heredoc is written as one;
#: shorter ones (user data) stay quoted strings.
SCRIPT_LINES = 10
#: What a heredoc cannot hold as itself: characters other than the line feed that are escaped in
#: quoted strings (a heredoc has no escapes), and the Unicode line separators.
_NOT_IN_HEREDOC = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _is_script(value: str | expr.Text) -> bool:
    """Whether ``value`` is a multi-line text (a script) that a heredoc writes as itself."""
    flat = value if isinstance(value, str) else "".join(p if isinstance(p, str) else "x" for p in value.parts)
    lines = flat.split("\n")
    return (flat.endswith("\n") and len(lines) > SCRIPT_LINES and _NOT_IN_HEREDOC.search(flat) is None
            and all(line.strip() != "EOT" for line in lines))


def _heredoc_template(value: str | expr.Text, indent: int) -> str:
    """``value`` as an indented heredoc, deploy-time values as interpolations (see :func:`heredoc`)."""
    parts = (value,) if isinstance(value, str) else value.parts
    body = "".join(p.replace("${", "$${").replace("%{", "%%{") if isinstance(p, str) else _template_part(p)
                   for p in parts)
    pad = " " * (indent + 2)
    lines = [(pad + line) if line else "" for line in body[:-1].split("\n")]
    return "<<-EOT\n" + "\n".join(lines) + f"\n{pad}EOT"


# --- layout ------------------------------------------------------------------------------------


#: What :func:`_scan` looks at in a line: a quoted string (to its closing quote, escapes
#: skipped, or to the end of the line), a comment, a bracket or an equals sign.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|#|//|[{}\[\]()=]')


def _scan(line: str) -> tuple[int, int | None]:
    """Net bracket change of ``line`` and the index of its assignment ``=`` (or None).

    Text inside quoted strings does not count: an interpolation opens and closes on the same
    line, so it nets to zero as hclwrite counts it.
    """
    net = 0
    assign = None
    depth_at_assign = 0
    for token in _TOKENS.finditer(line):
        char = token.group()
        if char in "{[(":
            net += 1
        elif char in "}])":
            net -= 1
        elif char == "=":
            i = token.start()
            if assign is None and i > 0 and line[:i].strip():
                before, after = line[i - 1], line[i + 1 : i + 2]
                if before not in "=!<>" and after not in ("=", ">"):
                    assign, depth_at_assign = i, net
        elif char in ("#", "//"):
            break
    if assign is not None and net != depth_at_assign:
        assign = None  # the value opens a multi-line expression: not part of an alignment run
    return net, assign


def _single_spaced(line: str) -> str:
    """Collapse runs of spaces outside strings and comments, as hclwrite's formatSpaces does."""
    if "  " not in line:
        return line  # no run to collapse
    out = []
    in_string = False
    i = 0
    while i < len(line):
        char = line[i]
        if in_string:
            out.append(char)
            if char == "\\":
                out.append(line[i + 1 : i + 2])
                i += 2
                continue
            if char == '"':
                in_string = False
        elif char == "#" or line.startswith("//", i):
            out.append(line[i:])
            break
        elif char == " " and out and out[-1] == " ":
            pass
        else:
            in_string = char == '"'
            out.append(char)
        i += 1
    return "".join(out)


def format_hcl(source: str) -> str:
    """Re-indent ``source`` and align its ``=`` as ``terraform fmt`` would."""
    out: list[tuple[str, str | None]] = []  # (lead or whole line, rest from "=" or None)
    stack: list[int] = []
    heredoc_end: str | None = None
    for raw in source.split("\n"):
        if heredoc_end is not None:
            out.append((raw, None))
            if raw.strip() == heredoc_end:
                heredoc_end = None
            continue
        stripped = _single_spaced(raw.strip())
        if not stripped:
            out.append(("", None))
            continue
        net, assign = _scan(stripped)
        if net < 0:
            closed = -net
            while closed > 0 and stack:
                if closed >= stack[-1]:
                    closed -= stack.pop()
                else:
                    stack[-1] -= closed
                    closed = 0
        indent = " " * (2 * len(stack))
        if net > 0:
            stack.append(net)
        match = _HEREDOC_START.search(stripped)
        if match:
            heredoc_end = match.group(1)
        if assign is None:
            out.append((indent + stripped, None))
        else:
            out.append((indent + stripped[:assign].rstrip(), stripped[assign:]))
    lines: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(lead) for lead, _ in run), default=0)
        lines.extend(f"{lead.ljust(width)} {rest}" for lead, rest in run)
        run.clear()

    for lead, rest in out:
        if rest is None:
            flush()
            lines.append(lead)
        else:
            run.append((lead, rest))
    flush()
    return "\n".join(lines)
