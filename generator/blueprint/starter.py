"""``gen init``'s starter blueprint, named after the file it is written to.

``gen init payments.yaml`` writes a blueprint named ``payments`` whose comments say
``payments.yaml`` and whose accounts and group are named after it too. The editor line points at
``blueprint.schema.json`` beside the file, which ``gen init`` writes there when it is missing
(``gen schema`` prints the same schema).
"""

from __future__ import annotations

import re

from generator.blueprint.rules.names import RESERVED_PREFIXES
from generator.blueprint.types import NAME_RE

#: The schema file ``gen init`` writes beside a new blueprint, which its editor line names.
SCHEMA_FILE = "blueprint.schema.json"
#: The name of a blueprint whose file name makes no valid name.
FALLBACK_NAME = "myapp"


def blueprint_name(file_name: str) -> str:
    """A valid blueprint name from a file name: ``Payments API.yaml`` -> ``payments-api``."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    name = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:24].rstrip("-")
    if re.search(NAME_RE, name) is None or name.startswith(RESERVED_PREFIXES):
        return FALLBACK_NAME
    return name


def starter(template: str, file_name: str) -> str:
    """The starter ``template`` filled in for a blueprint written to ``file_name``."""
    name = blueprint_name(file_name)
    title = "".join(word.capitalize() for word in name.split("-"))
    return (template.replace("@FILE@", file_name).replace("@NAME@", name)
            .replace("@ACCOUNT@", title[:13] + "01").replace("@TITLE@", title).replace("@SCHEMA@", SCHEMA_FILE))
