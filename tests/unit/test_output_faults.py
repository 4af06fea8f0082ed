"""Renders killed at any moment, and renders racing: foreign files survive, and the next render
finishes or undoes what the killed one left. The renders run as real processes, killed with
SIGKILL from inside at an injected point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import app
from tests.conftest import ROOT

#: Run gen, killing the process with SIGKILL just before the Nth call of a step of the journal
#: (``step:N``), or just before the Nth rename that a step makes (``rename-into:<name>:N``).
KILLER = """
import os, signal, sys
import generator.files.journal as journal

where, nth = os.environ["KILL_AT"].rsplit(":", 1)
calls = [0]

def kill_on_the_nth_call():
    calls[0] += 1
    if calls[0] == int(nth):
        os.kill(os.getpid(), signal.SIGKILL)

if where.startswith("rename-into-"):
    suffix, real_replace = where.removeprefix("rename-into-"), os.replace
    def replace(src, dst, *args, **kwargs):
        if str(dst).endswith(suffix):
            kill_on_the_nth_call()
        return real_replace(src, dst, *args, **kwargs)
    journal.os.replace = replace
else:
    real_step = getattr(journal, where)
    def step(*args, **kwargs):
        kill_on_the_nth_call()
        return real_step(*args, **kwargs)
    setattr(journal, where, step)

from generator.cli import main
main(sys.argv[1:])
"""

FOREIGN = {
    "payroll/terraform/.terraform/providers/provider.bin": "provider",
    "payroll/terraform/.terraform.lock.hcl": "lock",
    "payroll/terraform/terraform.tfstate": "state",
    "payroll/terraform/backend.tf": "backend",
    "payroll/notes.md": "notes",
}

#: (where to kill, whether the render was already decided: the next render rolls it forward).
POINTS = [
    ("_stage_file:1", False),
    ("_stage_file:9", False),
    ("rename-into-journal.json:1", False),
    ("_apply_operation:1", True),
    ("_apply_operation:12", True),
    ("rename-into-PayrollBatch2.json:1", True),
    ("_prune_folders:1", True),
    ("_remove_tree:2", True),
]


def _blueprints(tmp_path: Path) -> tuple[Path, Path]:
    """Version 1 and version 2 of payroll (another gMSA account: a spec file goes, one comes)."""
    old = tmp_path / "payroll.yaml"
    old.write_text((ROOT / "blueprints" / "payroll.yaml").read_text())
    new = tmp_path / "v2" / "payroll.yaml"
    new.parent.mkdir()
    new.write_text(old.read_text().replace("PayrollBatch", "PayrollBatch2"))
    return old, new


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _gen(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize(("point", "decided"), POINTS, ids=[p for p, _ in POINTS])
def test_a_killed_render_is_recovered_by_the_next(tmp_path: Path, point: str, decided: bool) -> None:
    old, new = _blueprints(tmp_path)
    out = tmp_path / "out"
    legacy = str(ROOT / "blueprints" / "legacy.yaml")
    assert _gen("render", str(old), legacy, "--out", str(out))[0] == 0
    for relative, text in FOREIGN.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text)
    killed = subprocess.run([sys.executable, "-c", KILLER, "render", str(new), legacy, "--out", str(out)],
                            cwd=tmp_path, env={**os.environ, "KILL_AT": point, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, check=False)
    assert killed.returncode == -9, killed.stderr
    assert {r: (out / r).read_text() for r in FOREIGN} == FOREIGN
    if not decided:  # nothing under out/payroll changed: the old render is still current
        assert _gen("render", str(old), legacy, "--out", str(out), "--check")[0] == 0

    code, said = _gen("render", str(new), legacy, "--out", str(out))
    assert code == 0, said
    assert ("finished an interrupted render" in said) == (decided and point != "_remove_tree:2")
    fresh = tmp_path / "fresh"
    assert _gen("render", str(new), legacy, "--out", str(fresh))[0] == 0
    assert {k: v for k, v in _tree(out).items() if k not in FOREIGN} == _tree(fresh)
    assert {r: (out / r).read_text() for r in FOREIGN} == FOREIGN
    assert sorted(p.name for p in out.iterdir()) == ["legacy", "payroll"]


RACER = """
import sys
from generator.cli import main
main(sys.argv[1:])
"""


def test_racing_renders_take_turns(tmp_path: Path) -> None:
    old, new = _blueprints(tmp_path)
    out = tmp_path / "out"
    racers = [subprocess.Popen([sys.executable, "-c", RACER, "render", str(old if i % 2 else new), "--out", str(out)],
                               cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(4)]
    results = [(racer.wait(timeout=120), racer.stderr.read()) for racer in racers]
    assert all(code == 0 for code, _ in results), results
    current = [_gen("render", str(bp), "--out", str(out), "--check")[0] for bp in (old, new)]
    assert sorted(current) == [0, 3], "the output is one whole render, not a mix"
    assert sorted(p.name for p in out.iterdir()) == ["payroll"]
