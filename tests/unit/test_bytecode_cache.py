"""The compiled-template cache: used when it can be, never stale, never a reason to fail, and
without effect on what is rendered."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from generator.render.bytecode_cache import bytecode_cache, cache_folder


def _environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), bytecode_cache=bytecode_cache())


def test_the_folder_follows_xdg_and_can_be_moved_or_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "gen" / "jinja"
    monkeypatch.setenv("GEN_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_folder() == tmp_path / "mine"
    monkeypatch.setenv("GEN_CACHE_DIR", "off")
    assert cache_folder() is None and bytecode_cache() is None


def test_a_compiled_template_is_kept_and_an_edited_one_compiled_again(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("GEN_CACHE_DIR", str(cache))
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "a.tf.j2").write_text("first {{ x }}\n")
    assert _environment(templates).get_template("a.tf.j2").render(x=1) == "first 1"
    assert len(list(cache.glob("*.jinja"))) == 1 and oct(cache.stat().st_mode & 0o777) == "0o700"
    assert _environment(templates).get_template("a.tf.j2").render(x=2) == "first 2"  # from the cache
    (templates / "a.tf.j2").write_text("second {{ x }}\n")
    assert _environment(templates).get_template("a.tf.j2").render(x=3) == "second 3"  # checksum differs


def test_a_folder_that_cannot_be_made_means_no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("in the way")
    monkeypatch.setenv("GEN_CACHE_DIR", str(tmp_path / "file" / "jinja"))
    assert bytecode_cache() is None


def test_a_folder_others_may_write_to_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("GEN_CACHE_DIR", str(shared))
    assert bytecode_cache() is None


def test_a_failed_write_leaves_the_template_compiled_in_memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("GEN_CACHE_DIR", str(cache))
    environment = _environment(tmp_path)
    cache.rmdir()  # gone between start-up and the first compile
    (tmp_path / "t.j2").write_text("{{ 1 + 1 }}")
    assert environment.get_template("t.j2").render() == "2"


@pytest.mark.parametrize("damage", [b"", b"\x80", b"\x80\x04\x95garbage", b"not a pickle at all"])
def test_a_damaged_entry_is_compiled_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, damage: bytes) -> None:
    from jinja2.bccache import bc_magic

    cache = tmp_path / "cache"
    monkeypatch.setenv("GEN_CACHE_DIR", str(cache))
    (tmp_path / "t.j2").write_text("{{ 6 * 7 }}")
    assert _environment(tmp_path).get_template("t.j2").render() == "42"
    [entry] = cache.glob("*.jinja")
    entry.write_bytes(bc_magic + damage)
    assert _environment(tmp_path).get_template("t.j2").render() == "42"
    assert entry.read_bytes().startswith(bc_magic) and len(entry.read_bytes()) > len(bc_magic) + len(damage)


def test_the_terraform_is_the_same_from_a_cold_and_a_warm_cache(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    outputs = []
    for run in ("cold", "warm", "off"):
        folder = "off" if run == "off" else str(tmp_path / "cache")
        environment = {**os.environ, "GEN_CACHE_DIR": folder}
        subprocess.run([sys.executable, "-m", "generator", "render", "blueprints/webapp.yaml", "--format", "terraform",
                        "--out", str(tmp_path / run)], cwd=ROOT, env=environment, check=True, capture_output=True)
        outputs.append({p.relative_to(tmp_path / run): p.read_bytes() for p in (tmp_path / run).rglob("*.tf")})
    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]
    assert len(list((tmp_path / "cache").glob("*.jinja"))) >= 10
