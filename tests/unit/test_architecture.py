"""The layout shows the architecture: imports point one way and no module grows into a heap.

The imports of every module under ``generator/`` are read with ``ast`` (not by running them):
module-level imports, imports under ``TYPE_CHECKING`` and imports inside functions alike.
A failure names the offending edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"

#: Layers from the bottom up. A module may import its own layer and the layers below it;
#: ``render`` and ``aws`` sit side by side and do not import each other.
LAYERS: dict[str, int] = {"bottom": 0, "blueprint": 1, "plan": 2, "render": 3, "aws": 3, "cli": 4}
BOTTOM = {"generator", "generator.errors", "generator.facts", "generator.naming", "generator.expr", "generator.version"}
BESIDE_THE_RENDERERS = {"generator.output", "generator.resources", "generator.next_steps", "generator.files", "generator.files.atomic",
                        "generator.files.journal", "generator.files.legacy", "generator.files.lock",
                        "generator.files.manifest", "generator.files.paths"}
ENTRY_POINTS = {"generator.cli", "generator.cli_parts", "generator.__main__"}
#: Libraries a layer must not load: boto3 belongs to the AWS commands, troposphere and Jinja to
#: the renderers.
FORBIDDEN_LIBRARIES: dict[str, set[str]] = {
    "bottom": {"boto3", "botocore", "troposphere", "awacs", "jinja2", "click"},
    "blueprint": {"boto3", "botocore", "troposphere", "awacs", "jinja2", "click"},
    "plan": {"boto3", "botocore", "troposphere", "jinja2", "click"},
    "render": {"boto3", "botocore", "click"},
    "aws": {"troposphere", "jinja2", "click"},
    "cli": set(),
}
#: Each concern has one room at every layer, under one name.
CONCERNS = ("directory", "hosts", "bootstrap", "credential_specs", "iam", "services")
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


#: Files under scripts/ are data gen writes into its output (a Lambda function's inline code among
#: them), not modules of gen: they are never imported.
SCRIPTS = PACKAGE / "plan" / "scripts"
MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
                            if SCRIPTS not in p.parents or p.name == "__init__.py"}


def layer_of(module: str) -> str:
    if module in BOTTOM or module.startswith("generator.facts."):
        return "bottom"
    if module in BESIDE_THE_RENDERERS:
        return "render"
    if module in ENTRY_POINTS:
        return "cli"
    second = module.split(".")[1]
    if second in LAYERS:
        return second
    raise AssertionError(f"{module} has no place in the layers; add it to test_architecture.LAYERS")


def imports_of(module: str) -> tuple[set[str], set[str]]:
    """``(gen modules, third-party top-level packages)`` that ``module`` imports anywhere in it."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    ours: set[str] = set()
    theirs: set[str] = set()

    def add(name: str) -> None:
        if name == "generator" or name.startswith("generator."):
            ours.add(name)
        else:
            theirs.add(name.split(".")[0])

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                add(candidate if candidate in MODULES else source)
    return {m for m in ours if m != module}, theirs


GRAPH = {module: imports_of(module)[0] for module in MODULES}


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module: str) -> None:
    own = layer_of(module)
    wrong = []
    for target in sorted(GRAPH[module]):
        assert target in MODULES, f"{module} imports {target}, which does not exist"
        other = layer_of(target)
        sideways = own != other and LAYERS[own] == LAYERS[other]
        if LAYERS[other] > LAYERS[own] or sideways:
            wrong.append(f"{module} ({own}) -> {target} ({other})")
    assert not wrong, "imports against the layering: " + "; ".join(wrong)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layers_load_only_their_libraries(module: str) -> None:
    _, libraries = imports_of(module)
    banned = sorted(libraries & FORBIDDEN_LIBRARIES[layer_of(module)])
    assert not banned, f"{module} ({layer_of(module)}) imports {', '.join(banned)}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), or a self-import."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle() -> None:
    cycles = _cycles(GRAPH)
    described = [
        ", ".join(f"{a} -> {b}" for a in cycle for b in sorted(GRAPH[a]) if b in cycle) for cycle in cycles
    ]
    assert not cycles, "import cycles: " + " | ".join(described)


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by concern (at most about {MAX_LINES})"


@pytest.mark.parametrize("concern", CONCERNS)
def test_a_concern_has_one_room_at_every_layer(concern: str) -> None:
    assert f"generator.plan.{concern}" in MODULES, f"no plan module for {concern}"
    assert f"generator.render.cloudformation.{concern}" in MODULES, f"no CloudFormation builder for {concern}"
    assert (ROOT / "templates" / "terraform" / f"{concern}.tf.j2").is_file(), f"no Terraform template for {concern}"
