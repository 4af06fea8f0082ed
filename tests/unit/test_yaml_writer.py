"""The template writer writes what cfn-flip's dumper writes, byte for byte, only faster: over
every renderable blueprint's stacks and a seeded corpus of awkward documents (quotes, escapes,
line breaks, YAML 1.1 and 1.2 look-alikes, long lines that fold, intrinsic functions)."""

from __future__ import annotations

import json
import random
import re

import pytest
import yaml
from cfn_clean import cfn_literal_parser, clean
from cfn_tools import load_json
from cfn_tools._config import config

from generator.render.cloudformation import yaml_text, yaml_writer
from generator.render.cloudformation.encoding import conventional_dict
from generator.render.cloudformation.template import build_templates, split_templates
from tests.conftest import RENDERABLE, Deployment, ids, plan_of


@pytest.mark.parametrize("deployment", RENDERABLE, ids=ids(RENDERABLE))
def test_the_writer_equals_cfn_flip_on_every_stack(deployment: Deployment) -> None:
    plan = plan_of(deployment)
    templates = {**build_templates(plan), **{f"split-{k}": t for k, t in split_templates(plan).items()}}
    for stem, template in templates.items():
        written = yaml_writer.Writer(yaml_text.scalars()).document(conventional_dict(template))  # no fallback
        assert written == yaml_text.template_yaml(template) == yaml_text.cfn_flip_yaml(template), stem


_PIECES = list("ab XZ09:-#'\"{}[],&*!|>%@`?\t\n\r\\") + ["\x85", "\u2028", "\ufeff", "é", "漢", "  ", "${", "0"]
_WORDS = ["true", "no", "null", "~", "1e3", "0123", "012345678901", "2010-09-09", "-", "- x", "a: b", "#x", " lead",
          "trail ", "", "yes", "on", "0x1f", "1_000", ".5", "=", "<<"]


_FLOATS = [0.5, 70.0, -0.0, 1e20, 1e-7, 123456789.125, 1e16, float("inf"), float("-inf"), float("nan")]


def _document(rnd: random.Random) -> dict:
    def text() -> str:
        r = rnd.random()
        if r < 0.3:
            return rnd.choice(_WORDS)
        if r < 0.4:
            return " ".join(f"word{i}" for i in range(rnd.randint(20, 80)))
        if r < 0.5:
            return "line one\n  line two\n\nline four\n" * rnd.randint(1, 3) + rnd.choice(["", "\n", " ", "\n\n"])
        return "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 30)))

    def value(depth: int = 0) -> object:
        r = rnd.random()
        if depth > 4 or r < 0.45:
            return rnd.choice([text(), text(), rnd.randint(-5, 10**6), rnd.choice(_FLOATS), True, False, None])
        if r < 0.55:
            return {"Ref": text()}
        if r < 0.6:
            return {"Fn::GetAtt": [text(), text()]}
        if r < 0.65:
            return {"Fn::Sub": text()}
        if r < 0.68:
            return {"Fn::Join": [",", [text(), {"Ref": "X"}]]}
        if r < 0.7:
            return {"Fn::Join": [",", {"Fn::GetAtt": ["A", "B"]}]}
        if r < 0.8:
            return [value(depth + 1) for _ in range(rnd.randint(0, 3))]
        return {(f"K{text()}" if rnd.random() < 0.5 else text()): value(depth + 1) for _ in range(rnd.randint(0, 4))}

    return {"Resources": {"R": {"Type": "AWS::X::Y", "Properties": value()}}, "Outputs": {"O": {"Value": value()}}}


def test_the_writer_equals_cfn_flip_on_awkward_documents() -> None:
    rnd = random.Random(12)
    written = 0
    for _ in range(400):
        data = yaml_text.in_conventional_order(_document(rnd))
        expected = yaml.dump(cfn_literal_parser(clean(load_json(json.dumps(data)))), Dumper=yaml_text._ExactDumper,
                             default_flow_style=False, allow_unicode=True, sort_keys=False, width=config.max_col_width)
        try:
            actual = yaml_writer.Writer(yaml_text.scalars()).document(yaml_text.in_conventional_order(data))
        except yaml_writer.Unsupported:
            continue  # template_yaml then uses cfn-flip's dumper itself
        written += 1
        assert actual == expected, data
    assert written > 250  # the rest hold keys PyYAML writes as complex keys ("? ")


_TAGS = ["tag:yaml.org,2002:str", "!Ref", "!Sub", "!GetAtt", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
         "tag:yaml.org,2002:null"]
_SIMPLE_VALUES = ["a", "Svc0001Service", "arn:aws:ssm:us-east-1:210987654321:parameter/x/y", "a:b", "a::b", "/ecs/x", "0",
                  "08", "0123", "012345678901", "1", "-1", "1.5", "1e3", "1E3", "1_000", "0x1f", "0o17", "0b101", "a*",
                  "x=y+z@w", "true", "True", "TRUE", "false", "yes", "Yes", "no", "on", "off", "y", "n", "null", "Null",
                  "NULL", "A-b_c.d", "arn:aws:s3:::bucket/*", "9:30", "12:30:00", "2010-09-09", "2001-12-14t21:59:43.10-05:00",
                  "a:-b", "_a", "/", "=", "+1", "1.", "1e", "NaN", "inf", "Infinity"]


def _simple_strings() -> list[str]:
    rnd = random.Random(3)
    alphabet = "aZ09_/.=+@*:-eEx"
    generated = [rnd.choice("aZ09_/") + "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 6)))
                 for _ in range(3000)]
    return [v for v in _SIMPLE_VALUES + generated if yaml_writer._SIMPLE.fullmatch(v) and not v.endswith(":")]


def test_simple_strings_are_decided_as_the_emitter_decides() -> None:
    """The shortcut for names, numbers, paths and ARNs gives PyYAML's own answer, as a value of
    every kind of tag and as a key."""
    scalars = yaml_text.scalars()
    values = _simple_strings()
    assert len(values) > 2000
    for value in values:
        for tag in _TAGS:
            assert scalars._simple(tag, value) == scalars._emitters_choice(tag, value, simple_key=False), (tag, value)
        assert scalars._simple(_TAGS[0], value) == scalars._emitters_choice(_TAGS[0], value, simple_key=True), value


def _cfn_flip(data: dict) -> str:
    return yaml.dump(cfn_literal_parser(clean(load_json(json.dumps(data)))), Dumper=yaml_text._ExactDumper,
                     default_flow_style=False, allow_unicode=True, sort_keys=False, width=config.max_col_width)


#: Strings the writer must not write as they are: PyYAML quotes, escapes, folds or breaks them.
_AWKWARD = [" lead", "trail ", "a: b", "a #b", "#a", "yes", "no", "on", "off", "Yes", "OFF", "y", "n", "1", "-1", "1.5",
            "1e3", "0x1f", "0o17", "0123", "012345678901", ".inf", "null", "Null", "~", "", "*a", "&a", "!a", "%a",
            "@a", "`a", "|a", ">a", "'a", '"a', "a'b", "[a", "{a", "a,b", "? a", "- a", "-", ":", "a:", "---", "...",
            "2010-09-09", "12:30:00", "<<", "=", "é", "漢字", "\U0001f600", "a\tb", "a\rb", "a\x85b", "a\u2028b", "\ufeffa",
            "a\nb", "a\n", "a\n\n", "\na", " a\nb", "a \nb", "line one\n  line two\n", "x" * 250,
            " ".join(["word"] * 60), "'" + " ".join(["it's"] * 50) + "'", "a" * 120 + " " + "b" * 120]


#: Keys PyYAML writes as simple keys (others, "? key", go to cfn-flip's dumper).
_SIMPLE_KEY = re.compile("[^\n\x85\u2028\u2029]{0,100}")


@pytest.mark.parametrize("value", _AWKWARD, ids=range(len(_AWKWARD)))
def test_awkward_strings_are_written_as_cfn_flip_writes_them(value: str) -> None:
    """Each awkward string as a value at several columns (so that a long one folds, or not),
    in a sequence, as a function's argument, and as a key; then again from a cache that already
    holds it."""
    data = {"Resources": {"R": {"Properties": {
        "A": value, "AVeryLongKeyThatPushesTheValueFurtherRight": value, "L": [value, [value]],
        "Deep": {"Deeper": {"Deepest": {"D": value}}}, "Ref": {"Ref": value}, "Sub": {"Fn::Sub": [value, {"V": value}]},
        "K": {f"K{value}": 1} if _SIMPLE_KEY.fullmatch(value) else {}}}}}
    cache = yaml_text.scalars()
    for _ in range(2):
        try:
            written = yaml_writer.Writer(cache).document(yaml_text.in_conventional_order(data))
        except yaml_writer.Unsupported:
            pytest.fail("the writer gave up")
        assert written == _cfn_flip(yaml_text.in_conventional_order(data))


def test_one_cache_serves_many_documents() -> None:
    """The strings a render's templates share are decided once, whatever column they come at."""
    rnd = random.Random(7)
    documents = [yaml_text.in_conventional_order(_document(rnd)) for _ in range(200)]
    cache = yaml_text.scalars()
    for data in documents:
        try:
            written = yaml_writer.Writer(cache).document(yaml_text.in_conventional_order(data))
        except yaml_writer.Unsupported:
            continue
        assert written == _cfn_flip(data), data


_NO_VALUE_IF = {"Fn::If": ["C", "x", {"Ref": "AWS::NoValue"}]}
#: Fn::Join as clean() finds it: turned into text or a Fn::Sub, refused (and then left as it is,
#: Fn::Join inside it too), anywhere a value can be, and as a function's argument.
_JOINS = [
    {"Fn::Join": [",", ["a", {"Ref": "X"}, {"Fn::GetAtt": ["R", "Arn"]}]]},
    {"Fn::Join": ["", ["a", "b"]]},
    {"Fn::Join": ["-", ["${x}", {"Fn::Select": [0, ["p"]]}, {"Fn::Select": [0, ["p"]]}]]},
    {"Fn::Join": [",", ["a"], "three items"]},
    {"Fn::Join": [",", {"Fn::If": ["C", {"Fn::Join": ["", ["a", "b"]]}, "z"]}]},
    {"Fn::Join": [",", ["a", _NO_VALUE_IF, {"Fn::Join": ["", ["c", "d"]]}, {"Fn::If": ["D", "x", "y"]}]]},
    {"Fn::Join": [",", ["a", _NO_VALUE_IF, {"Fn::If": ["D", {"Fn::Join": ["", ["c", "d"]]}, "y"]}]]},
    {"Fn::Join": [",", "text"]},
    {"Fn::Sub": {"Fn::Join": ["", ["x", "y"]]}},
    {"Fn::Sub": ["${X}", {"X": {"Fn::Join": [",", ["a", {"Ref": "Y"}]]}}]},
    {"Fn::GetAtt": ["A", {"Fn::Join": ["", ["B", "C"]]}]},
    {"Fn::If": ["C", {"Fn::Join": [",", ["a", "b"]]}, [{"Fn::Join": ["", [{"Ref": "Z"}]]}]]},
    {"A": 1, "Fn::Join": ["", ["x"]], "B": {"Fn::Join": ["", ["y"]]}},
]


#: Those holding a Fn::Join inside one clean() refuses: cfn-flip writes it as !Join if it came with
#: the template, as Fn::Join if clean() made it, which the writer cannot tell apart: cfn-flip's
#: dumper writes these templates.
_JOINS_IN_REFUSED_JOINS = (4, 5)


@pytest.mark.parametrize("index", range(len(_JOINS)))
def test_joins_are_cleaned_as_cfn_flip_cleans_them(index: int) -> None:
    join = _JOINS[index]
    data = yaml_text.in_conventional_order({"Resources": {"R": {"Properties": {
        "Value": join, "List": [join, {"Nested": join}], "Ref": {"Ref": join}}}}})
    writer = yaml_writer.Writer(yaml_text.scalars())
    if index in _JOINS_IN_REFUSED_JOINS:
        with pytest.raises(yaml_writer.Unsupported):
            writer.document(json.loads(json.dumps(data)))
    else:
        assert writer.document(json.loads(json.dumps(data))) == _cfn_flip(data)
