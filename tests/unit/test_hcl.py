"""HCL literals and layout. Terraform itself reads the hostile strings back in
tests/integration/test_terraform.py; here the properties that need no binary."""

from __future__ import annotations

import re

import hcl2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import expr
from generator.render.hcl import escape, format_hcl, heredoc, key, literal

HOSTILE = ['"', "\\", "${var.x}", "%{ if true }x%{ endif }", "a\nb\r\tc", "\x00\x07\x1b", "\u2028", "é✓", "}", "#", "//"]
#: python-hcl2's grammar rejects the escape "%%{", "$$${" (a literal "$" before an escaped "${"),
#: and "$${" with no "}" after it, which Terraform reads correctly: strings that produce them
#: ("%{", "$${", "${") are checked by Terraform itself in tests/integration/test_hcl_escaping.py.
PARSER_GAP = ("%{", "$${", "${")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_stay_one_quoted_literal(text: str) -> None:
    rendered = literal(text)
    assert rendered.startswith('"') and rendered.endswith('"')
    body = rendered[1:-1]
    assert "\n" not in body and "\r" not in body
    assert not re.search(r'(?<!\\)"', body.replace("\\\\", "")), "an unescaped quote ends the string early"
    assert "${" not in body.replace("$${", "") and "%{" not in body.replace("%%{", "")
    hcl2.loads(f"x = {rendered}\n")


@given(st.text(max_size=40).filter(lambda t: not any(gap in t for gap in PARSER_GAP)))
def test_any_string_parses_as_a_single_attribute(text: str) -> None:
    parsed = hcl2.loads(f"x = {literal(text)}\ny = 1\n")
    assert parsed["y"] == 1 and "x" in parsed


def test_deploy_time_values_become_interpolations() -> None:
    value = expr.Text(("arn:aws:iam::", expr.ACCOUNT_ID, ":role/${not-a-ref}"))
    assert literal(value) == '"arn:aws:iam::${local.account_id}:role/$${not-a-ref}"'


def test_object_keys_are_quoted_only_when_needed() -> None:
    assert key("team") == "team" and key("awslogs-group") == "awslogs-group"
    assert key("gen:hosts") == '"gen:hosts"' and key("1st") == '"1st"'


def test_heredocs_keep_text_and_escape_template_sequences() -> None:
    text = '{\n    "a": "${b}"\n}\n'
    rendered = heredoc(text, 2)
    assert rendered == '<<-EOT\n    {\n        "a": "$${b}"\n    }\n    EOT'
    with pytest.raises(ValueError):
        heredoc("no newline", 2)


def test_layout_aligns_runs_of_single_line_attributes_like_terraform_fmt() -> None:
    source = 'resource "a" "b" {\nname = "x"\nlong_name = 1\ntags = {\nk = "v"\n}\nz = 2\n}\n'
    assert format_hcl(source) == (
        'resource "a" "b" {\n  name      = "x"\n  long_name = 1\n  tags = {\n    k = "v"\n  }\n  z = 2\n}\n'
    )


def test_layout_leaves_heredoc_content_alone_and_ignores_brackets_in_strings() -> None:
    source = 'locals {\nx = "{["\ny = <<-EOT\n  {   }\n  EOT\n}\n'
    assert format_hcl(source) == 'locals {\n  x = "{["\n  y = <<-EOT\n  {   }\n  EOT\n}\n'


def test_layout_is_idempotent_on_escape_output() -> None:
    once = format_hcl(f"locals {{\n  a = {literal({'k': HOSTILE, 'gen:x': {'n': 1}})}\n}}\n")
    assert format_hcl(once) == once
    assert escape("x") == "x"


def test_keywords_are_quoted_as_object_keys() -> None:
    assert key("for") == '"for"' and key("null") == '"null"' and key("format") == "format"
    hcl2.loads(f"x = {literal({'for': 1, 'in': 2})}\n")


def test_identifiers_never_start_with_a_digit() -> None:
    from generator.naming import tf_name

    assert tf_name("1WebApp", "CredentialSpec") == "_1_web_app_credential_spec"
    assert tf_name("HostRoleArn") == "host_role_arn"


def test_every_character_a_quoted_string_cannot_hold_is_escaped_and_no_other() -> None:
    named = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    for code in range(0x2028):
        char = chr(code)
        expected = named.get(char) or (f"\\u{code:04x}" if code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 else char)
        assert escape(char) == expected, hex(code)
    assert escape("\u2028\u2029") == "\\u2028\\u2029"
    assert escape("${a}%{b}\\${c}") == "$${a}%%{b}\\\\$${c}"


@pytest.mark.parametrize(("line", "aligned"), [
    ('a = "x = {"', "a"),            # brackets and "=" inside a string do not count
    ('a == b', None),               # a comparison is no assignment
    ('x => y', None),
    ('b = { # c = [', None),        # the value opens a block; the comment is not scanned
    ('c = "\\" = ["', "c"),         # an escaped quote does not end the string
    ('d   =   1 // e = (', "d"),
])
def test_layout_finds_the_assignment_outside_strings_and_comments(line: str, aligned: str | None) -> None:
    laid_out = format_hcl(f"{line}\nlonger_name = 2\n").split("\n")[0]
    lead = laid_out.split("=", 1)[0] if aligned else None
    assert (lead is not None and lead.rstrip() == aligned and len(lead) == len("longer_name ")) == (aligned is not None)
