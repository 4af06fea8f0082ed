"""Reading YAML: positions, YAML 1.2 scalars, and the problems of malformed files."""

from __future__ import annotations

import pytest

from generator.blueprint.load import parse_document
from generator.errors import BlueprintInvalid


def test_positions_of_keys_and_values_are_one_based() -> None:
    doc = parse_document("a: 1\nb:\n  - x: 2\n", "f.yaml")
    assert doc.key_marks[("b",)] == (2, 1)
    assert doc.value_marks[("b", 0)] == (3, 5)
    assert doc.value_marks[("b", 0, "x")] == (3, 8)


def test_a_missing_key_points_at_its_parent() -> None:
    doc = parse_document("hosts:\n  min: 1\n", "f.yaml")
    assert doc.mark(("hosts", "max"), key=True) == (1, 1)


def test_yaml_12_keeps_no_and_on_as_strings() -> None:
    doc = parse_document("netbios: no\nflag: on\nreal: true\n", "f.yaml")
    assert doc.data == {"netbios": "no", "flag": "on", "real": True}


def test_every_duplicate_key_is_reported_with_its_path() -> None:
    with pytest.raises(BlueprintInvalid) as caught:
        parse_document("a:\n  b: 1\n  b: 2\nc: 1\nc: 2\n", "f.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "f.yaml:3:3: error GEN101: a.b: the key 'b' is written twice in the same mapping (first on line 2). "
        "Hint: keep one of them; YAML would otherwise silently use the last.",
        "f.yaml:5:1: error GEN101: c: the key 'c' is written twice in the same mapping (first on line 4). "
        "Hint: keep one of them; YAML would otherwise silently use the last.",
    ]


def test_a_syntax_error_names_its_line() -> None:
    with pytest.raises(BlueprintInvalid) as caught:
        parse_document("a: [1, 2\nb: 3\n", "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("f.yaml", 2)
    assert problem.message.startswith("YAML syntax error")


# --- hostile input: every reproducer of issue 10 ends in problems with positions, never a crash ---

REPRODUCERS = [
    # (YAML, rule, message fragment)
    ("a: " + "[" * 245 + "]" * 245 + "\n", "GEN108", "nest more than 64 levels"),
    ("a: " + "[" * 100_000 + "\n", "GEN100", "YAML syntax error"),
    ("a: " + "1" * 4301 + "\n", "GEN108", "a number of 4,301 digits"),
    ("a: 0x" + "f" * 5000 + "\n", "GEN108", "digits is longer than gen reads"),
    ("x: !o [b]\n", "GEN109", "the tag !o is not one a blueprint uses"),
    ("a: &a [*a]\n", "GEN109", "inside the value of its own anchor"),
    ("a: &a {b: *a}\n", "GEN109", "inside the value of its own anchor"),
    ("a: *nothing\n", "GEN109", "refers to no anchor"),
    ("? [a]\n: 1\n? [a]\n: 2\n", "GEN109", "this key is a list"),
    ("? {a: 1}\n: 1\n", "GEN109", "this key is a mapping"),
    ("{{{:[]}}}", "GEN100", "YAML syntax error"),
    ("x: !!int abc\n", "GEN109", '"abc" is not a valid !!int value'),
    ("x: !!int 0x\n", "GEN109", '"0x" is not a valid !!int value'),
    ("x: !!bool maybe\n", "GEN109", '"maybe" is not a valid !!bool value'),
    ("x: !!float 8'\n", "GEN109", "is not a valid !!float value"),
    ("x: !!null a\n", "GEN109", "is not a valid !!null value"),
    ("x: !!timestamp 2001-02-03\n", "GEN109", "the tag !!timestamp is not one a blueprint uses"),
    ("x: !!map [a]\n", "GEN109", "the tag !!map is on a list"),
    ('x: "\\U00110000"\n', "GEN100", "an escape that is not a Unicode character"),
    ('x: "\\U9001F63F"\n', "GEN100", "an escape that is not a Unicode character"),
    ('{"x": "\\ud83d\\ude80"}\n', "GEN100", "half of a surrogate pair"),
    ('{"x": "\\ud83d"}\n', "GEN100", "half of a surrogate pair"),
    ("1: a\n0x1: b\n", "GEN101", "the key '0x1' is written twice in the same mapping (first on line 1, as '1')"),
    ("true: a\nTrue: b\n", "GEN101", "the key 'True' is written twice"),
    ("a: 1\n'a': 2\n", "GEN101", "the key 'a' is written twice"),
    ("s:\n  <<: ssm\n", "GEN109", "the merge key << takes a mapping or a list of mappings"),
    ("a: 1\n---\nb: 2\n", "GEN100", "a second YAML document"),
    ("a: b\x07c\n", "GEN100", "U+0007"),
    ("%YAML 1.3\n---\na: 1\n", "GEN100", "a %YAML directive"),
]


@pytest.mark.parametrize(("text", "rule", "fragment"), REPRODUCERS, ids=[f"r{i}" for i in range(len(REPRODUCERS))])
def test_hostile_yaml_is_a_problem_with_a_position_and_a_hint(text: str, rule: str, fragment: str) -> None:
    with pytest.raises(BlueprintInvalid) as caught:
        parse_document(text, "f.yaml")
    lines = [str(p) for p in caught.value.problems]
    assert lines and all("\n" not in line and " Hint: " in line for line in lines), lines
    assert caught.value.problems[0].rule == rule, lines
    assert any(fragment in line for line in lines), lines


def test_control_characters_are_reported_where_they_are_on_one_line() -> None:
    with pytest.raises(BlueprintInvalid) as caught:
        parse_document("é: 1\nname: ab\x01c\n", "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 9)
    assert "unicode string" not in str(problem) and "\n" not in str(problem)


def test_yaml_12_core_schema_reads_numbers_and_leaves_the_rest_as_strings() -> None:
    doc = parse_document("a: 0o17\nb: 0x1F\nc: -1.5e3\nd: 012\ne: 2001-02-30\nf: 1_000\ng: yes\nh: ~\ni: ! 12\n"
                         "j: !!str 3\nk: !!float 1\nl: .inf\n", "f.yaml")
    assert doc.data == {"a": 15, "b": 31, "c": -1500.0, "d": 12, "e": "2001-02-30", "f": "1_000", "g": "yes",
                        "h": None, "i": "12", "j": "3", "k": 1.0, "l": float("inf")}


def test_merge_keys_keep_written_keys_and_point_at_the_merge() -> None:
    doc = parse_document("x-d: &d {store: ssm, reference: credential_specs}\ns:\n  <<: *d\n  store: s3\n", "f.yaml")
    assert doc.data == {"s": {"store": "s3", "reference": "credential_specs"}}
    assert doc.key_marks[("s", "reference")] == (3, 3)
    assert doc.value_marks[("s", "reference")] == (1, 33)


def test_a_section_made_only_of_a_merge_key_is_read() -> None:
    doc = parse_document("x-d: &d {store: ssm}\ncredential_specs:\n  <<: *d\n", "f.yaml")
    assert doc.data == {"credential_specs": {"store": "ssm"}}


def test_top_level_extension_keys_are_neither_expanded_nor_kept() -> None:
    laughs = ['x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        laughs.append(f"x-{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    doc = parse_document("\n".join(laughs) + "\nname: web\n", "f.yaml")
    assert doc.data == {"name": "web"}


def test_a_billion_laughs_is_refused_without_expanding_it() -> None:
    laughs = ['x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
    for prev, name in zip("abcdefghijklmnopqrstuvwxy", "bcdefghijklmnopqrstuvwxyz"):
        laughs.append(f"x-{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(BlueprintInvalid) as caught:
        parse_document("\n".join(laughs) + "\nname: *z\n", "f.yaml")  # 9**26 values if expanded
    (problem,) = caught.value.problems
    assert problem.rule == "GEN108" and problem.path == "name" and (problem.line, problem.column) == (27, 7)


def test_aliases_nested_past_the_depth_limit_are_refused() -> None:
    chain = ["x-0: &a0 [end]"] + [f"x-{i}: &a{i} [*a{i - 1}]" for i in range(1, 200)]
    with pytest.raises(BlueprintInvalid) as caught:
        parse_document("\n".join(chain) + "\nname: *a199\n", "f.yaml")
    assert caught.value.problems[0].rule == "GEN108" and "levels deep" in caught.value.problems[0].message


@pytest.mark.parametrize(("raw", "position"), [
    (b"name: web\xed\xa0\xbd\n", (1, 10)),  # a lone surrogate, as UTF-8 bytes
    (b"a: 1\nb: \xff\n", (2, 4)),
])
def test_bytes_that_are_not_utf8_are_a_problem_at_their_position(raw: bytes, position: tuple[int, int]) -> None:
    from generator.blueprint.load import parse_bytes

    with pytest.raises(BlueprintInvalid) as caught:
        parse_bytes(raw, "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == position and "not UTF-8" in problem.message


def test_a_byte_order_mark_is_allowed() -> None:
    from generator.blueprint.load import parse_bytes

    assert parse_bytes(b"\xef\xbb\xbfa: 1\n", "f.yaml").data == {"a": 1}


def test_100000_extension_keys_are_read_in_seconds() -> None:
    import time

    text = "name: web\n" + "".join(f"x-{i}: {i}\n" for i in range(100_000))
    started = time.perf_counter()
    assert parse_document(text, "f.yaml").data == {"name": "web"}
    assert time.perf_counter() - started < 10  # 17-31 s before the libyaml loader; about 1 s now
