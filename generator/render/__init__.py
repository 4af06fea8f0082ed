"""Render a validated blueprint into its files, in memory.

The renderers are imported only when their format is asked for, so that commands which do not
render (``validate``, ``schema``, ``--help``) never pay for troposphere.
"""

from __future__ import annotations

from generator.blueprint.rules.structure import TOO_LARGE
from generator.blueprint.validate import LoadedBlueprint
from generator.errors import BlueprintInvalid, Problem
from generator.output import Rendered, header
from generator.plan import build_plan

FORMATS = ("cloudformation", "terraform")


def _too_many_resources(loaded: LoadedBlueprint, limit: int) -> BlueprintInvalid:
    line, col = loaded.document.mark(("services",))
    return BlueprintInvalid([Problem(
        loaded.file, line, col, "services",
        f"the CloudFormation template would hold more than {limit} resources, the most one stack may hold",
        "split the services across blueprints (each is its own stack), or render --format terraform",
        rule=TOO_LARGE,
    )])


def render_blueprint(loaded: LoadedBlueprint, formats: tuple[str, ...], cfn_format: str = "yaml",
                     source: str | None = None) -> Rendered:
    """Every file of ``loaded`` for ``formats``, relative to ``out/<name>/``; ``source`` is how
    headers name the blueprint (see :func:`generator.output.source_name`), to which an
    environment adds its name."""
    source = source or loaded.file
    if loaded.environment is not None:
        source = f"{source}, environment {loaded.environment}"
    plan = build_plan(loaded.model, source)
    rendered = Rendered(plan.name, owned=("ad", "credentialspecs", *sorted(formats)))
    for path, text in plan.spec_files.items():
        rendered.add(path, text)
    if plan.directory_setup.script:
        rendered.add("ad/setup.ps1", header(plan.source) + plan.directory_setup.script)
    if "cloudformation" in formats:
        from generator.render.cloudformation.template import (
            TooManyResources,
            render_template,
        )

        try:
            name, text = render_template(plan, cfn_format)
        except TooManyResources as exc:
            raise _too_many_resources(loaded, exc.limit) from None
        rendered.add(f"cloudformation/{name}", text)
    if "terraform" in formats:
        from generator.render.terraform import render_module

        for name, text in render_module(plan).items():
            rendered.add(f"terraform/{name}", text)
    return rendered
