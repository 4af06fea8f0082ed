"""Golden files: the examples' output in out/ and the good fixtures' in tests/golden/.

A difference fails, naming the CloudFormation resource or file that changed. Rebuild all of
them with one command, then review the diff like any change:

    UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.output import source_name, stale_files, write_rendered
from generator.render import FORMATS, render_blueprint
from tests.conftest import EXAMPLES, GOOD, RENDERABLE, ROOT, Deployment, ids, load

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
GOLDEN = ROOT / "tests" / "golden"


def _golden_root(deployment: Deployment) -> Path:
    return ROOT / "out" if deployment.path in EXAMPLES else GOLDEN


def _changed_resources(old: str, new: str) -> list[str]:
    from cfn_flip import load_yaml

    before, after = load_yaml(old).get("Resources", {}), load_yaml(new).get("Resources", {})
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


@pytest.mark.parametrize("path", RENDERABLE, ids=ids(RENDERABLE))
def test_rendered_output_matches_the_golden_files(path: Deployment) -> None:
    root = _golden_root(path)
    rendered = render_blueprint(load(path), FORMATS, source=source_name(path.path))
    if UPDATE:
        write_rendered(root, rendered)
    stale = stale_files(root, rendered)
    if stale:
        template = root / rendered.name / "cloudformation" / "template.yaml"
        detail = ""
        if template.exists() and any("template.yaml" in line for line in stale):
            detail = "changed resources: " + ", ".join(
                _changed_resources(template.read_text(), rendered.files["cloudformation/template.yaml"])
            )
        pytest.fail(f"{path.stem}: output differs from {root.relative_to(ROOT)}/{rendered.name} "
                    f"(UPDATE_GOLDEN=1 pytest tests/test_golden.py rebuilds it). {detail}\n" + "\n".join(stale[:40]))


def test_no_golden_folder_without_its_blueprint() -> None:
    names = {load(d).model.name for d in RENDERABLE if d.path in GOOD}
    examples = {load(d).model.name for d in RENDERABLE if d.path in EXAMPLES}
    orphans = sorted({p.name for p in GOLDEN.iterdir() if p.is_dir()} - names)
    orphans += sorted({p.name for p in (ROOT / "out").iterdir() if p.is_dir()} - examples)
    if UPDATE:
        for orphan in orphans:
            shutil.rmtree(GOLDEN / orphan if (GOLDEN / orphan).exists() else ROOT / "out" / orphan)
        orphans = []
    assert not orphans, f"golden output of blueprints that no longer exist: {orphans}"


def test_renders_are_byte_identical_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "generator", "render", *[p.relative_to(ROOT).as_posix() for p in EXAMPLES + GOOD],
                        "--out", str(out)], cwd=ROOT, env=env, check=True, capture_output=True)
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert len(trees[0]) > 50


def test_the_blueprint_reference_and_schema_are_current() -> None:
    from generator.blueprint.reference import with_reference
    from generator.blueprint.schema import schema_text

    for path, current in ((ROOT / "docs" / "blueprint.md", lambda text: with_reference(text)),
                          (ROOT / "schema" / "blueprint.schema.json", lambda text: schema_text())):
        text = path.read_text()
        if UPDATE:
            path.write_text(current(text))
            text = path.read_text()
        assert text == current(text), f"{path.relative_to(ROOT)} is stale: UPDATE_GOLDEN=1 pytest tests/test_golden.py"
