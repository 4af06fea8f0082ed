"""The user data of Linux hosts is valid bash that readies credentials-fetcher before the agent.

Each rendered user data is checked by ``bash -n``; what the agent needs is asserted on its text:
ecs-init binds credentials-fetcher's socket into the agent only when ``ECS_GMSA_SUPPORTED`` is
exactly ``true`` and the socket exists when ecs.service starts (after cloud-final, this script),
and on a domain-joined host the agent advertises ``ecs.capability.gmsa`` only once ``realm list``
shows the realm (amazon-ecs-init docker.go, agent config/parse_linux.go).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.blueprint.load import parse_document
from generator.blueprint.validate import validate_document
from generator.plan import Plan, build_plan
from tests.conftest import RENDERABLE, plan_of

LINUX = [p for p in RENDERABLE if (plan := plan_of(p)).hosts is not None and plan.hosts.platform == "linux"]

DOMAINLESS = """
version: 1
name: quotes
region: eu-central-1
network:
  vpc_id: vpc-0a1b2c3d4e5f60718
  subnet_ids: [subnet-0a1b2c3d4e5f60718]
directory:
  dns_name: corp.example.org
  netbios_name: CORP
  sid: S-1-5-21-1111111111-2222222222-3333333333
  guid: 0d4b7e2a-6c1f-4a9e-b3d8-5f7a2c9e1b64
  existing:
    dns_ips: [10.0.0.10, 10.0.1.10]
hosts:
  platform: linux
  os: amazon-linux-2023
  instance_type: m6i.large
  min: 1
  max: 2
credential_specs:
  mode: domainless
  domainless_secret: arn:aws:secretsmanager:eu-central-1:444455556666:secret:quotes/reader-AbCdEf
  store: ssm
gmsa_accounts:
  - name: QuotesSvc
services:
  - name: quotes
    gmsa: QuotesSvc
    image: public.ecr.aws/example/quotes:1
    cpu: 512
    memory: 1024
"""


def domainless_plan() -> Plan:
    return build_plan(validate_document(parse_document(DOMAINLESS, "quotes.yaml")).model, "quotes.yaml")


CASES = [(p.stem, lambda p=p: plan_of(p)) for p in LINUX] + [("domainless", domainless_plan)]


def user_data(plan: Plan) -> str:
    assert plan.bootstrap is not None and plan.bootstrap.user_data is not None
    return str(plan.bootstrap.user_data)


def test_an_example_runs_linux_hosts() -> None:
    assert LINUX, "blueprints/ should hold a Linux example"


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize(("name", "make"), CASES, ids=[c[0] for c in CASES])
def test_user_data_is_valid_bash(name: str, make, tmp_path: Path) -> None:
    script = tmp_path / "user-data.sh"
    script.write_text(user_data(make()))
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("name", "make"), CASES, ids=[c[0] for c in CASES])
def test_credentials_fetcher_runs_before_the_agent_config(name: str, make) -> None:
    lines = user_data(make()).splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in lines
    started = lines.index("systemctl enable --now credentials-fetcher")
    assert lines.index("dnf install -y credentials-fetcher") < started
    # The exact string ecs-init compares, written after the daemon started.
    assert lines.index("ECS_GMSA_SUPPORTED=true") > started
    # After a reboot systemd starts the daemon before the agent.
    assert "After=credentials-fetcher.service" in lines


def test_joined_hosts_join_the_realm_before_the_agent() -> None:
    for path in LINUX:
        plan = plan_of(path)
        if plan.domainless:
            continue
        text = user_data(plan)
        assert "realm join" in text and "adcli add-member" in text
        assert text.index("realm join") < text.index("ECS_GMSA_SUPPORTED=true")


def test_domainless_hosts_join_nothing() -> None:
    text = user_data(domainless_plan())
    assert "realm join" not in text and "JOIN_SECRET_ARN" not in text
    assert "ECS_GMSA_SUPPORTED=true" in text
