"""Integration fixtures: moto's server mode on 127.0.0.1, the terraform binary with its offline
provider mirror, and checkov in its own environment.

A missing tool skips its tests with a reason that says how to provide it (pytest -ra lists
skips); nothing passes silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class MotoServer:
    """A running moto server and boto3 clients for it."""

    url: str
    process: subprocess.Popen

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=30).read()

    def client(self, service: str, region: str):  # noqa: ANN201
        return boto3.client(service, region_name=region, endpoint_url=self.url, aws_access_key_id="testing",
                            aws_secret_access_key="testing")


def start_moto(env_extra: dict[str, str] | None = None) -> MotoServer:
    """Start moto's server on a free loopback port and wait until it answers."""
    port = _free_port()
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true", **(env_extra or {})}
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"moto-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode}; see {log.name}")
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=2).read()
            return MotoServer(url, process)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("moto_server did not answer within 60 s")


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = start_moto()
    yield server
    server.process.terminate()
    server.process.wait(timeout=30)


@pytest.fixture
def moto(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> MotoServer:
    """Fresh moto state, and credentials the commands under test pick up from the environment."""
    moto_server.reset()
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_EC2_METADATA_DISABLED": "true"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return moto_server


# --- terraform -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TerraformTool:
    binary: str
    env: dict[str, str]
    mirror: Path

    def run(self, workdir: Path, *args: str, timeout: int = 600, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([self.binary, *args], cwd=workdir, env=self.env, capture_output=True, text=True,
                                timeout=timeout, check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"terraform {' '.join(args[:2])} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result


def _plugin_dir() -> Path | None:
    """TF_PLUGIN_DIR (set by .ci/run), the folder holding registry.terraform.io/."""
    value = os.environ.get("TF_PLUGIN_DIR")
    if value and (Path(value) / "registry.terraform.io").is_dir():
        return Path(value)
    return None


@pytest.fixture(scope="session")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> TerraformTool:
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("TERRAFORM MISSING: no terraform binary on PATH, so fmt/validate/apply were NOT checked")
    mirror = _plugin_dir()
    if mirror is None:
        pytest.skip("TERRAFORM PROVIDER MIRROR MISSING: set TF_PLUGIN_DIR to the folder holding "
                    "registry.terraform.io/hashicorp/aws (the registry is unreachable), so init/validate/apply "
                    "were NOT checked")
    config = tmp_path_factory.mktemp("terraform") / "cli.tfrc"
    config.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = ["registry.terraform.io/*/*"]\n  }}\n'
        '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n'
        "}\n"
    )
    # One provider copy for every module the tests initialize (init links to the cache).
    cache = tmp_path_factory.mktemp("terraform-plugin-cache")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
           "TF_PLUGIN_CACHE_DIR": str(cache),
           "TF_INPUT": "0"}
    return TerraformTool(binary, env, mirror)


# --- checkov -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def checkov() -> str:
    candidate = os.environ.get("CHECKOV_BIN") or str(ROOT / ".venv-checkov" / "bin" / "checkov")
    if not Path(candidate).exists():
        pytest.skip("CHECKOV MISSING: create its environment with scripts/test (or set CHECKOV_BIN); "
                    "the security scan was NOT run")
    return candidate
