"""Property: whatever a blueprint file holds, gen ends with exit 0, 1 or 2, never a traceback, and
prints one line per problem, each with its position, rule and hint, then the count.

The inputs are the shipped blueprints, mutated by hypothesis (derandomized, a fixed number of
examples, so a run is repeatable and short): lines deleted, repeated, swapped, re-indented or cut
off, characters YAML treats specially inserted, values replaced by hostile ones, bytes that are
not UTF-8. Each mutated file is rendered (which validates it first) into a scratch folder.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from generator.cli import app
from tests.conftest import EXAMPLES

EXAMPLES_COUNT = 300

PROBLEM = re.compile(r"[^\n]+:[0-9]+:[0-9]+: (error|warning|info) GEN[0-9]{3}: [^\n]+ Hint: [^\n]+")
COUNT = re.compile(r"([0-9]+ (error|errors|warning|warnings|note|notes)(, | and )?)+ in [0-9]+ blueprints?")

TEXTS = [path.read_text() for path in EXAMPLES]
SPECIAL = ["[", "]", "{", "}", ":", ",", "-", "?", "&a", "*a", "!o", "!!int", "|", ">", "'", '"', "%", "@", "`", "#",
           "\t", "\n", "\x00", "\x07", "\x85", "\u2028", "\ufeff", "é", "🙂", "\\", "<<", "---", "...", " "]
VALUES = ["!o [b]", "*a", "&a x", "[" * 80, "{{{:[]}}}", "!!int abc", "!!bool maybe", "!!float 8'", '"\\U00110000"',
          '"\\ud83d\\ude80"', "9" * 5000, "0x" + "f" * 1200, "true", "null", "~", "''", '"web\\n"', "2001-02-30",
          "'{{resolve:ssm:/x}}'", "DB_PASSWORD=hunter2", "postgres://a:hunter2@db", "{<<: *a}", "[*a, *a]",
          "{? [a]: b}", "!!map [a]", "-1", "1e400", ".nan", "{1: a, 0x1: b}", "{true: a, True: b}", '"\\x85\\u2028"']


@st.composite
def mutated_blueprints(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "repeat", "swap", "indent", "cut", "insert", "value", "value", "value"]))
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "repeat":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "indent":
            lines[at] = " " * draw(st.integers(0, 6)) + lines[at].lstrip(" ")
        elif kind == "cut":
            lines = lines[: at + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        elif kind == "insert":
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + draw(st.sampled_from(SPECIAL)) + lines[at][column:]
        elif ": " in lines[at]:
            lines[at] = lines[at].split(": ", 1)[0] + ": " + draw(st.sampled_from(VALUES))
    data = "\n".join(lines).encode("utf-8")
    if draw(st.integers(0, 30)) == 0:
        position = draw(st.integers(0, len(data)))
        data = data[:position] + b"\xff" + data[position:]
    return data


@settings(max_examples=EXAMPLES_COUNT, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_blueprints())
def test_any_blueprint_ends_in_a_documented_exit_with_one_line_per_problem(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        blueprint = Path(scratch) / "bp.yaml"
        blueprint.write_bytes(data)
        result = CliRunner().invoke(app, ["render", str(blueprint), "--out", str(Path(scratch) / "out")])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    if result.exit_code == 2:
        assert len(lines) == 1 and lines[0].startswith("error: "), lines
        return
    problems = [line for line in lines if PROBLEM.fullmatch(line)]
    counts = [line for line in lines if COUNT.fullmatch(line)]
    assert len(problems) + len(counts) == len(lines), [line for line in lines if line not in problems + counts]
    assert (result.exit_code == 1) == any(" error GEN" in line for line in problems), lines
    assert len(counts) == (1 if problems else 0), lines
