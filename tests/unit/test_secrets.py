"""GEN014 and GEN040: secrets and dynamic references stay out of plain values, with a reviewed
opt-out; and messages never echo a value that may be a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.blueprint.load import parse_document
from generator.blueprint.rules import looks_like_credential, looks_like_secret_name
from generator.blueprint.validate import validate_document
from generator.errors import BlueprintInvalid
from tests.conftest import ROOT

WEBAPP = (ROOT / "blueprints" / "webapp.yaml").read_text()


@pytest.mark.parametrize("name", ["PGPASSWORD", "DB_PASS", "ADMIN_PASSWORDS", "MYSQLPWD", "DB_PASSWORD", "GITHUB_TOKEN",
                                  "api-key", "ClientSecret", "AWS_SECRET_ACCESS_KEY", "SQL_CONNECTIONSTRING",
                                  "db_password", "SECRET", "PWD"])
def test_names_that_say_they_hold_a_secret(name: str) -> None:
    assert looks_like_secret_name(name)


@pytest.mark.parametrize("name", ["TOKEN_LIFETIME", "PROXY_BYPASS", "PASSPORT_OFFICE", "ASPNETCORE_ENVIRONMENT",
                                  "DB_HOST", "DATABASE_URL", "team", "cost-center"])
def test_names_that_do_not(name: str) -> None:
    assert not looks_like_secret_name(name)


@pytest.mark.parametrize("value", ["postgres://app:pw@db.example.com/app", "Server=db;user=sa;pass=hunter2",
                                   "db_password: hunter2", "Password=x;Server=y", "https://u:tok@example.com",
                                   "-----BEGIN RSA PRIVATE KEY-----", "AKIAIOSFODNN7EXAMPLE",
                                   "ghp_" + "a" * 36, "api_key=abc"])
def test_values_that_carry_a_credential(value: str) -> None:
    assert looks_like_credential(value)


@pytest.mark.parametrize("value", ["postgres://db.example.com/app", "Server=db;Integrated Security=true", "bypass=1",
                                   "Production", "https://example.com/path?a=b", "C:\\app\\web.config", "user@host"])
def test_values_that_do_not(value: str) -> None:
    assert not looks_like_credential(value)


def _problems(text: str) -> list[str]:
    """Errors and warnings (the examples' placeholder notes, GEN042, are not what these test)."""
    try:
        problems = validate_document(parse_document(text, "bp.yaml")).notes
    except BlueprintInvalid as exc:
        problems = tuple(exc.problems)
    return [str(p) for p in problems if p.rule != "GEN042"]


def _with_tags(lines: str) -> str:
    return WEBAPP.replace("tags: {team: identity}\n", f"tags:\n  team: identity\n{lines}", 1)


def _with_environment(lines: str, extra: str = "") -> str:
    return WEBAPP.replace("    desired_count: 2\n", f"    desired_count: 2\n    environment:\n{lines}{extra}", 1)


@pytest.mark.parametrize(("entry", "secret"), [
    ("      PGPASSWORD: hunter2\n", "hunter2"),
    ("      DB_PASS: hunter2\n", "hunter2"),
    ("      ADMIN_PASSWORDS: hunter2\n", "hunter2"),
    ("      MYSQLPWD: hunter2\n", "hunter2"),
    ("      DATABASE_URL: postgres://app:hunter2@db/app\n", "hunter2"),
    ("      CONNECTION: user=sa;pass=hunter2\n", "hunter2"),
    ("      SETTINGS: 'db_password: hunter2'\n", "hunter2"),
])
def test_a_secret_in_environment_is_refused_and_never_echoed(entry: str, secret: str) -> None:
    problems = _problems(_with_environment(entry))
    assert len(problems) == 1 and " error GEN014: " in problems[0] and "secrets:" in problems[0], problems
    assert secret not in problems[0]


@pytest.mark.parametrize("entry", ["  PGPASSWORD: hunter2\n", "  db_password: hunter2\n", "  url: postgres://a:hunter2@db\n"])
def test_a_secret_in_tags_is_refused(entry: str) -> None:
    problems = _problems(_with_tags(entry))
    assert len(problems) == 1 and " error GEN014: tags." in problems[0] and "hunter2" not in problems[0], problems


def test_a_reviewed_name_may_stay() -> None:
    text = _with_environment("      PASSWORD_MIN_LENGTH: '12'\n", "    not_secret: [PASSWORD_MIN_LENGTH]\n")
    assert _problems(text) == []
    tagged = _with_tags("  password-policy: strict\n").replace("tags:\n", "not_secret_tags: [password-policy]\ntags:\n", 1)
    assert _problems(tagged) == []


def test_a_stale_opt_out_is_an_error() -> None:
    problems = _problems(_with_environment("      MODE: x\n", "    not_secret: [PASSWORD_MIN_LENGTH]\n"))
    assert len(problems) == 1 and "services[0].not_secret[0]: PASSWORD_MIN_LENGTH is listed as not secret" in problems[0]


@pytest.mark.parametrize("text", [
    _with_environment("      DB_HOST: '{{resolve:secretsmanager:db:SecretString:host}}'\n"),
    _with_environment("      DB_HOST: 'x{{ resolve:ssm:/a/b}}'\n"),
    _with_tags("  owner: '{{resolve:ssm:/owner}}'\n"),
    WEBAPP.replace("    desired_count: 2\n", "    desired_count: 1\n    hostname: '{{resolve:ssm:/h}}'\n", 1),
])
def test_dynamic_references_are_refused_outside_secrets(text: str) -> None:
    problems = _problems(text)
    assert len(problems) == 1 and " error GEN040: " in problems[0], problems


@pytest.mark.parametrize("value", ['"DB_PASSWORD=hunter2"', "postgres://app:hunter2@db", "[a, hunter2]"])
def test_a_value_where_environment_belongs_is_never_echoed(value: str) -> None:
    problems = _problems(WEBAPP.replace("    desired_count: 2\n", f"    desired_count: 2\n    environment: {value}\n", 1))
    assert len(problems) == 1 and "hunter2" not in problems[0], problems


def test_a_credential_looking_value_is_never_echoed_anywhere() -> None:
    problems = _problems(WEBAPP.replace("name: webapp ", "name: postgres://app:hunter2@db ", 1))
    assert len(problems) == 1 and "hunter2" not in problems[0] and "not shown" in problems[0], problems


def test_the_examples_do_not_trip_the_rules(tmp_path: Path) -> None:
    for path in sorted((ROOT / "blueprints").glob("*.yaml")):
        assert _problems(path.read_text()) == []


def test_a_tag_error_never_echoes_a_value_that_may_be_a_secret() -> None:
    for text in ("environment:\n  DB_PASSWORD: !!int hunter2\n", "url: !!int postgres://a:hunter2@db\n"):
        with pytest.raises(BlueprintInvalid) as caught:
            parse_document(text, "bp.yaml")
        assert "hunter2" not in str(caught.value.problems[0]) and "not shown" in str(caught.value.problems[0])
