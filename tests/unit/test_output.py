"""Writing output: atomic per blueprint, stale files removed, unowned folders kept, --check."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import output
from generator.output import Rendered, stale_files, write_rendered


def _rendered(**files: str) -> Rendered:
    rendered = Rendered("app", owned=("credentialspecs", "cloudformation"))
    for path, text in files.items():
        rendered.add(path.replace("__", "/"), text)
    return rendered


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def test_files_no_longer_produced_are_removed(tmp_path: Path) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="a", credentialspecs__B_json="b"))
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="a2"))
    assert _tree(tmp_path) == {"app/credentialspecs/A_json": "a2"}


def test_folders_of_other_formats_are_kept(tmp_path: Path) -> None:
    (tmp_path / "app" / "terraform").mkdir(parents=True)
    (tmp_path / "app" / "terraform" / "main.tf").write_text("kept")
    write_rendered(tmp_path, _rendered(cloudformation__template_yaml="t"))
    assert _tree(tmp_path) == {"app/cloudformation/template_yaml": "t", "app/terraform/main.tf": "kept"}


def test_a_failure_midway_leaves_the_previous_output_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="old", cloudformation__t="old"))
    before = _tree(tmp_path)
    real_open = open
    calls = {"n": 0}

    def failing_open(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if "w" in (args[0] if args else kwargs.get("mode", "r")):
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError("disk full")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(OSError, match="disk full"):
        write_rendered(tmp_path, _rendered(credentialspecs__A_json="new", cloudformation__t="new"))
    monkeypatch.undo()
    assert _tree(tmp_path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["app"], "no staging folder is left behind"


def test_check_lists_differing_missing_and_extra_files_with_a_diff(tmp_path: Path) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="line1\nline2\n", credentialspecs__B_json="b"))
    report = stale_files(tmp_path, _rendered(credentialspecs__A_json="line1\nchanged\n", cloudformation__t="t"))
    assert f"differs: {tmp_path.as_posix()}/app/credentialspecs/A_json" in report
    assert "    -line2" in report and "    +changed" in report
    assert f"missing: {tmp_path.as_posix()}/app/cloudformation/t" in report
    assert any(line.startswith("extra: ") and line.endswith("B_json (the blueprint no longer produces it)") for line in report)


def test_check_is_empty_when_current(tmp_path: Path) -> None:
    rendered = _rendered(credentialspecs__A_json="a")
    write_rendered(tmp_path, rendered)
    assert stale_files(tmp_path, rendered) == []


def test_a_long_diff_is_cut_short(tmp_path: Path) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="".join(f"{i}\n" for i in range(100))))
    report = stale_files(tmp_path, _rendered(credentialspecs__A_json="".join(f"{i}x\n" for i in range(100))))
    assert len(report) == 1 + output.DIFF_LINES + 1 and report[-1].startswith("    ... ")


def test_rendered_refuses_paths_outside_its_folders() -> None:
    with pytest.raises(ValueError):
        _rendered(terraform__main_tf="x")


def test_a_failed_swap_puts_the_previous_output_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="old"))
    real_rename = Path.rename

    def failing_rename(self: Path, target: Path) -> Path:
        if Path(target) == tmp_path / "app" and ".new-" in self.name:
            raise OSError("rename failed")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError, match="rename failed"):
        write_rendered(tmp_path, _rendered(credentialspecs__A_json="new"))
    monkeypatch.undo()
    assert _tree(tmp_path) == {"app/credentialspecs/A_json": "old"}
    assert [p.name for p in tmp_path.iterdir()] == ["app"]
