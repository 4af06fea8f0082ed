"""What to do after ``gen render``: the exact commands that deploy what it wrote.

Printed on stdout after the files are written, for people; nothing machine-readable shares that
stream (``validate --output json|sarif``, ``schema``, ``credspec`` and ``doctor --output json``
print no next steps).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from generator.blueprint.validate import LoadedBlueprint
from generator.output import Rendered

#: CloudFormation takes a template body of at most this many bytes; a larger one must come from
#: S3 (``aws cloudformation deploy --s3-bucket``): CloudFormation User Guide, "CloudFormation
#: quotas", Template body size in a request.
DIRECT_TEMPLATE_BYTES = 51_200


def next_steps(out: Path, items: list[tuple[LoadedBlueprint, Rendered]]) -> str:
    """The next steps for each rendered blueprint (or environment), as lines of text."""
    lines = ["", "Next steps:"]
    for loaded, rendered in items:
        folder = out / rendered.name
        lines.append(f"  {rendered.name} ({loaded.model.region}):")
        if "ad/setup.ps1" in rendered.files:
            lines.append(f"    before the first deploy, a domain administrator runs {_q(folder / 'ad' / 'setup.ps1')} "
                         "once (its header says where and how)")
        templates = sorted(p for p in rendered.files if p.startswith("cloudformation/"))
        template = next((p for p in templates if p.startswith("cloudformation/template.")), None)
        if template is not None:
            lines.extend(_cloudformation(folder, loaded.model.region, rendered, template, templates))
        if any(p.startswith("terraform/") for p in rendered.files):
            chdir = f"-chdir={_q(folder / 'terraform')}"
            lines.append(f"    {'or: ' if template else ''}terraform {chdir} init && terraform {chdir} apply")
        env = f" --env {loaded.environment}" if loaded.environment else ""
        lines.append(f"    then check it: gen doctor {_shown_path(loaded)}{env}")
    lines.append("  The deploy writes every credential spec itself; `gen publish` is for changing them later "
                 "(for example once a domain's SID and GUID are known).")
    return "\n".join(lines) + "\n"


def _cloudformation(folder: Path, region: str, rendered: Rendered, template: str, templates: list[str]) -> list[str]:
    """The deploy commands of the base stack (the only one, unless the services are split across
    service stacks, which follow it)."""
    lines = []
    size = _size(rendered, template)
    command = (f"    aws cloudformation deploy --region {region} --stack-name {rendered.name} "
               f"--capabilities CAPABILITY_NAMED_IAM --template-file {_q(folder / template)}")
    services = [p for p in templates if p != template]
    if services:
        lines.append(f"    the system is {len(templates)} CloudFormation stacks: {rendered.name} first, then the "
                     f"{len(services)} service stacks, in any order or side by side")
    if size > DIRECT_TEMPLATE_BYTES:
        command += " --s3-bucket <a bucket of yours in that region>"
        lines.append(f"    the template is {size:,} bytes, over the {DIRECT_TEMPLATE_BYTES:,} bytes CloudFormation "
                     "takes directly, so deploy uploads it to S3 first:")
    lines.append(command)
    if services:
        suffix = Path(services[0]).suffix
        s3 = (" --s3-bucket <a bucket of yours in that region>"
              if any(_size(rendered, p) > DIRECT_TEMPLATE_BYTES for p in services) else "")
        pattern = _q(folder / "cloudformation") + f"/services-*{suffix}"
        lines.append(f'    for f in {pattern}; do aws cloudformation deploy --region {region} '
                     f'--stack-name "{rendered.name}-$(basename "$f" {suffix})" --capabilities CAPABILITY_NAMED_IAM '
                     f'--template-file "$f"{s3}; done')
    return lines


def _size(rendered: Rendered, path: str) -> int:
    return len(rendered.files[path].encode("utf-8"))


def _shown_path(loaded: LoadedBlueprint) -> str:
    """The blueprint as the user named it on the command line."""
    return _q(loaded.path) if loaded.path is not None and loaded.path.as_posix() != "-" else "BLUEPRINT"


def _q(path: Path) -> str:
    return shlex.quote(path.as_posix())
