"""Render a validated blueprint into its files, in memory.

The renderers are imported only when their format is asked for, so that commands which do not
render (``validate``, ``schema``, ``--help``) never pay for troposphere.
"""

from __future__ import annotations

from generator.blueprint.validate import LoadedBlueprint
from generator.errors import BlueprintInvalid, Problem
from generator.output import Rendered, header
from generator.plan import build_plan

FORMATS = ("cloudformation", "terraform")


#: The rule a stack beyond CloudFormation's quotas is reported under.
STACK_RULE = "GEN061"


def _stack_too_large(loaded: LoadedBlueprint, stack: str, what: str) -> BlueprintInvalid:
    line, col = loaded.document.mark(("services",))
    return BlueprintInvalid([Problem(
        loaded.file, line, col, "services", f"CloudFormation stack {stack}: {what}",
        "split the services across blueprints (each renders its own stacks), or render --format terraform",
        rule=STACK_RULE,
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
        from generator.render.cloudformation.template import StackTooLarge, render_templates

        try:
            templates = render_templates(plan, cfn_format)
        except StackTooLarge as exc:
            raise _stack_too_large(loaded, exc.stack, exc.what) from None
        for name, text in templates.items():
            rendered.add(f"cloudformation/{name}", text)
    if "terraform" in formats:
        from generator.render.terraform import render_module

        for name, text in render_module(plan).items():
            rendered.add(f"terraform/{name}", text)
    return rendered
