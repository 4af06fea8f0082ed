"""Problems for machines: ``gen validate --output json`` and ``--output sarif``.

The text form (``FILE:LINE:COL: SEVERITY GENxxx: path: message. Hint: ...``) is for people and
editors; JSON carries the same fields one by one, and SARIF 2.1.0 is what code-scanning services
(GitHub's ``upload-sarif``, GitLab, Azure DevOps) read, with every rule gen has described in the
tool's rule table.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from generator.blueprint.rules import RULES, Rule
from generator.errors import ERROR, INFO, WARNING, Problem, summary
from generator.version import gen_version

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: SARIF's levels for gen's severities.
SARIF_LEVELS = {ERROR: "error", WARNING: "warning", INFO: "note"}


def as_json(problems: list[Problem], checked: list[str]) -> str:
    """Every problem with its fields, the blueprints checked and whether each is valid."""
    invalid = {p.file for p in problems if p.is_error}
    document = {
        "blueprints": [{"file": file, "valid": file not in invalid} for file in checked],
        "problems": [
            {"file": p.file, "line": p.line, "column": p.column, "path": p.path, "rule": p.rule,
             "severity": p.severity, "message": p.message, "hint": p.hint}
            for p in problems
        ],
        "summary": summary(problems) if problems else "no problems",
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def as_sarif(problems: list[Problem]) -> str:
    """A SARIF 2.1.0 log of one run of gen: its rules, then one result per problem."""
    rules = [r for r in RULES if not r.retired]
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    for p in problems:
        result = {
            "ruleId": p.rule,
            "level": SARIF_LEVELS[p.severity],
            "message": {"text": _text(p)},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(p.file)},
                    "region": {"startLine": p.line, "startColumn": p.column},
                },
                **({"logicalLocations": [{"fullyQualifiedName": p.path}]} if p.path else {}),
            }],
        }
        if p.rule in index:
            result["ruleIndex"] = index[p.rule]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "gen", "version": gen_version(), "rules": [_rule(r) for r in rules]}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _text(problem: Problem) -> str:
    text = f"{problem.path}: {problem.message}" if problem.path else problem.message
    return f"{text}. Hint: {problem.hint}" if problem.hint else text


def _rule(rule: Rule) -> dict[str, object]:
    """A SARIF reportingDescriptor. A rule whose source is gen's own reference (a path in the
    repository, not a URI) points there in its help text instead of ``helpUri``."""
    described: dict[str, object] = {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
    }
    if "://" in rule.url:
        described["helpUri"] = rule.url
    else:
        described["help"] = {"text": f"See {rule.url}, section Rules, in gen's documentation."}
    return described
