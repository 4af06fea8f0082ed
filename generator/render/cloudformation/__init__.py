"""The plan as one CloudFormation template (troposphere).

One builder module per concern, named as in :mod:`generator.plan`: ``directory``, ``hosts``,
``bootstrap``, ``credential_specs``, ``iam`` and ``services``; ``values`` translates plan values
and policies; ``template`` assembles them.
"""

from __future__ import annotations

from generator.render.cloudformation.template import build_template, render_template

__all__ = ["build_template", "render_template"]
