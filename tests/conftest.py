"""Shared fixtures: paths of the example blueprints and fixture corpus, and loaded plans."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.blueprint.load import load_document
from generator.blueprint.validate import LoadedBlueprint, load_blueprint, load_environments
from generator.plan import Plan, build_plan

# Compiled templates go to a folder of the test run (read at render time, inherited by the
# processes the tests start), never the user's cache (see generator/render/bytecode_cache.py).
if "GEN_CACHE_DIR" not in os.environ:
    _TEMPLATE_CACHE = tempfile.TemporaryDirectory(prefix="gen-test-cache-")  # removed when the run ends
    os.environ["GEN_CACHE_DIR"] = _TEMPLATE_CACHE.name

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "blueprints").glob("*.yaml"))
GOOD = sorted((ROOT / "tests" / "fixtures" / "good").glob("*.yaml"))
BAD = sorted((ROOT / "tests" / "fixtures" / "bad").glob("*.yaml"))


@dataclass(frozen=True)
class Deployment:
    """One thing a blueprint renders: the blueprint itself, or one of its environments."""

    path: Path
    environment: str | None = None

    @property
    def stem(self) -> str:
        """Its id in test names, and the name of its output folder's blueprint part."""
        return f"{self.path.stem}-{self.environment}" if self.environment else self.path.stem

    def relative_to(self, root: Path) -> Path:
        return self.path.relative_to(root)

    def read_text(self) -> str:
        return self.path.read_text()


def deployments(paths: list[Path]) -> list[Deployment]:
    """Each blueprint, or each of its environments."""
    from generator.blueprint.environments import environment_names

    return [Deployment(p, env) for p in paths
            for env in (environment_names(load_document(p.relative_to(ROOT))) or [None])]


#: Everything that renders: the shipped examples (each environment of those that have them) and
#: the good fixtures.
RENDERABLE = deployments(EXAMPLES + GOOD)
#: The examples without environments (the moto deployments run these).
SINGLE_EXAMPLES = [d.path for d in deployments(EXAMPLES) if d.environment is None]


def ids(paths: list[Path] | list[Deployment]) -> list[str]:
    return [p.stem for p in paths]


@pytest.fixture(autouse=True)
def _run_from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages and headers name blueprints relative to the working directory."""
    monkeypatch.chdir(ROOT)


def load(path: Path | Deployment) -> LoadedBlueprint:
    if isinstance(path, Deployment):
        if path.environment is None:
            return load(path.path)
        return load_environments(path.path.relative_to(ROOT), False, (path.environment,))[0]
    return load_blueprint(path.relative_to(ROOT) if path.is_absolute() else path)


def plan_of(path: Path | Deployment) -> Plan:
    loaded = load(path)
    return build_plan(loaded.model, loaded.file)


@pytest.fixture
def webapp() -> Plan:
    os.chdir(ROOT)
    return plan_of(ROOT / "blueprints" / "webapp.yaml")
