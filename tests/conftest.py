"""Shared fixtures: paths of the example blueprints and fixture corpus, and loaded plans."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.blueprint.validate import LoadedBlueprint, load_blueprint
from generator.plan import Plan, build_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "blueprints").glob("*.yaml"))
GOOD = sorted((ROOT / "tests" / "fixtures" / "good").glob("*.yaml"))
BAD = sorted((ROOT / "tests" / "fixtures" / "bad").glob("*.yaml"))
#: Everything that renders: the shipped examples and the good fixtures.
RENDERABLE = EXAMPLES + GOOD


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


@pytest.fixture(autouse=True)
def _run_from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages and headers name blueprints relative to the working directory."""
    monkeypatch.chdir(ROOT)


def load(path: Path) -> LoadedBlueprint:
    return load_blueprint(path.relative_to(ROOT) if path.is_absolute() else path)


def plan_of(path: Path) -> Plan:
    loaded = load(path)
    return build_plan(loaded.model, loaded.file)


@pytest.fixture
def webapp() -> Plan:
    os.chdir(ROOT)
    return plan_of(ROOT / "blueprints" / "webapp.yaml")
