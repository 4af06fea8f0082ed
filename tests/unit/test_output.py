"""Writing output: gen's own files only (manifest), never through links, all or nothing across
blueprints, recoverable, one render at a time; and --check."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest

from generator import output
from generator.errors import UsageError
from generator.files import journal, lock
from generator.files.manifest import MANIFEST
from generator.output import Rendered, header, stale_files, write_all, write_rendered


def _rendered(name: str = "app", **files: str) -> Rendered:
    rendered = Rendered(name, owned=("credentialspecs", "cloudformation"))
    for path, text in files.items():
        rendered.add(path.replace("__", "/"), text)
    return rendered


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and p.name != MANIFEST}


def test_files_no_longer_produced_are_removed(tmp_path: Path) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="a", credentialspecs__B_json="b", cloudformation__t="t"))
    write_rendered(tmp_path, _rendered(cloudformation__t="t2"))
    assert _tree(tmp_path) == {"app/cloudformation/t": "t2"}
    assert not (tmp_path / "app" / "credentialspecs").exists(), "a folder gen emptied goes too"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app"], "no lock, journal or staging is left behind"


def test_the_manifest_lists_what_gen_wrote(tmp_path: Path) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="a", cloudformation__t="t"))
    manifest = json.loads((tmp_path / "app" / MANIFEST).read_text())
    assert manifest["files"] == ["cloudformation/t", "credentialspecs/A_json"] and manifest["generator"] == "gen"


FOREIGN = {
    "cloudformation/notes.md": "mine",
    "cloudformation/.terraform.lock.hcl": "lock",
    "credentialspecs/extra.json": "mine too",
    "terraform/main.tf": "other format",
    "terraform/backend.tf": "backend",
    "terraform/terraform.tfvars": "vars",
    "terraform/terraform.tfstate": "state",
    "terraform/.terraform/providers/big.bin": "provider",
}


def test_files_gen_did_not_write_stay_where_they_are_uncopied(tmp_path: Path) -> None:
    write_rendered(tmp_path, _rendered(cloudformation__t="t", credentialspecs__A_json="a"))
    for relative, text in FOREIGN.items():
        (tmp_path / "app" / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "app" / relative).write_text(text)
    inodes = {r: os.stat(tmp_path / "app" / r).st_ino for r in FOREIGN}
    write_rendered(tmp_path, _rendered(cloudformation__t="t2"))
    assert {r: (tmp_path / "app" / r).read_text() for r in FOREIGN} == FOREIGN
    assert {r: os.stat(tmp_path / "app" / r).st_ino for r in FOREIGN} == inodes, "moved or copied"
    assert not (tmp_path / "app" / "credentialspecs" / "A_json").exists()


def test_a_failure_midway_leaves_everything_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_all(tmp_path, [_rendered(credentialspecs__A_json="old", cloudformation__t="old"),
                         _rendered("two", cloudformation__t="old")])
    (tmp_path / "app" / "cloudformation" / "mine").write_text("mine")
    before = _tree(tmp_path)
    real = journal._apply_operation
    calls = {"n": 0}

    def failing(root: Path, staging: Path, operation: dict) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(28, "No space left on device")
        real(root, staging, operation)

    monkeypatch.setattr(journal, "_apply_operation", failing)
    with pytest.raises(OSError, match="No space"):
        write_all(tmp_path, [_rendered(credentialspecs__B_json="new", cloudformation__t="new"),
                             _rendered("two", cloudformation__t="new")])
    assert _tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app", "two"]


def test_a_failure_while_staging_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="old"))
    before = _tree(tmp_path)

    def full(path: Path, content: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal, "_stage_file", full)
    with pytest.raises(OSError):
        write_rendered(tmp_path, _rendered(credentialspecs__A_json="new"))
    monkeypatch.undo()
    assert _tree(tmp_path) == before
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="new"))
    assert _tree(tmp_path) == {"app/credentialspecs/A_json": "new"}


def test_an_interrupted_render_is_finished_by_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="old", cloudformation__t="old"))
    real = journal._apply_operation
    calls = {"n": 0}

    def killed(root: Path, staging: Path, operation: dict) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # like a kill: nothing is rolled back
        real(root, staging, operation)

    monkeypatch.setattr(journal, "_apply_operation", killed)
    with pytest.raises(KeyboardInterrupt):
        write_rendered(tmp_path, _rendered(credentialspecs__A_json="new", cloudformation__t="new"))
    monkeypatch.undo()
    assert journal.pending(tmp_path)
    assert stale_files(tmp_path, _rendered(credentialspecs__A_json="new", cloudformation__t="new"))[0].startswith(
        "interrupted: ")
    assert write_all(tmp_path, [_rendered("other", cloudformation__t="x")]) > 0
    assert _tree(tmp_path / "app") == {"credentialspecs/A_json": "new", "cloudformation/t": "new"}
    assert not (tmp_path / ".gen").exists()


@pytest.mark.parametrize("where", ["app", "app/cloudformation", "app/cloudformation/t"])
def test_links_are_never_followed(tmp_path: Path, where: str) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    (outside / "t").write_text("outside")
    if where != "app":
        write_rendered(out, _rendered(credentialspecs__A_json="a"))
    link = out / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside / "t" if where.endswith("/t") else outside)
    with pytest.raises(UsageError, match="symbolic link"):
        write_rendered(out, _rendered(cloudformation__t="new"))
    assert sorted(p.name for p in outside.iterdir()) == ["t"] and (outside / "t").read_text() == "outside"
    assert link.is_symlink()


def test_a_removal_never_follows_a_link(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    write_rendered(out, _rendered(credentialspecs__A_json="a", cloudformation__t="t"))
    outside.mkdir()
    (outside / "A_json").write_text("precious")
    (out / "app" / "credentialspecs" / "A_json").unlink()
    (out / "app" / "credentialspecs").rmdir()
    (out / "app" / "credentialspecs").symlink_to(outside)
    write_rendered(out, _rendered(cloudformation__t="t2"))
    assert (outside / "A_json").read_text() == "precious"


def test_a_manifest_cannot_make_gen_remove_other_files(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (tmp_path / "out" / "app").mkdir(parents=True)
    (tmp_path / "out" / "app" / "keep.txt").write_text("keep")
    (tmp_path / "out" / "app" / MANIFEST).write_text(json.dumps({"generator": "gen", "version": 1, "files": [
        "../../victim", str(victim), "keep.txt", "cloudformation/../keep.txt", "cloudformation//x"]}))
    write_rendered(tmp_path / "out", _rendered(cloudformation__t="t"))
    assert victim.read_text() == "keep" and (tmp_path / "out" / "app" / "keep.txt").read_text() == "keep"


def test_a_file_where_the_output_folder_goes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "app").write_text("mine")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        write_rendered(tmp_path, _rendered(cloudformation__t="t"))
    assert (tmp_path / "app").read_text() == "mine"


def test_one_command_is_all_or_nothing_across_blueprints(tmp_path: Path) -> None:
    write_all(tmp_path, [_rendered("one", cloudformation__t="old"), _rendered("two", cloudformation__t="old")])
    (tmp_path / "two" / "credentialspecs").mkdir()
    (tmp_path / "two" / "credentialspecs" / "A_json").mkdir()  # a folder where gen writes a file
    with pytest.raises(UsageError, match="is a folder where gen writes a file"):
        write_all(tmp_path, [_rendered("one", cloudformation__t="new"),
                             _rendered("two", cloudformation__t="new", credentialspecs__A_json="a")])
    assert (tmp_path / "one" / "cloudformation" / "t").read_text() == "old"


def test_leftovers_of_the_folder_swapping_gen_are_restored_and_removed(tmp_path: Path) -> None:
    (tmp_path / ".app.new-abcd1234" / "cloudformation").mkdir(parents=True)
    (tmp_path / ".app.old-wxyz9876" / "app" / "terraform").mkdir(parents=True)
    (tmp_path / ".app.old-wxyz9876" / "app" / "terraform" / "terraform.tfstate").write_text("state")
    write_rendered(tmp_path, _rendered(cloudformation__t="t"))
    assert (tmp_path / "app" / "terraform" / "terraform.tfstate").read_text() == "state"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app"]


def test_a_second_render_waits_then_fails_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".gen").mkdir()
    held = os.open(tmp_path / ".gen" / "lock", os.O_RDWR | os.O_CREAT)
    os.write(held, b"4242\n")
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
        with pytest.raises(UsageError, match=r"another gen render \(process 4242\) is writing into"):
            write_rendered(tmp_path, _rendered(cloudformation__t="t"))
    finally:
        os.close(held)
    write_rendered(tmp_path, _rendered(cloudformation__t="t"))


def test_check_lists_differing_missing_and_extra_files_with_a_diff(tmp_path: Path) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="line1\nline2\n", credentialspecs__B_json="b"))
    report = stale_files(tmp_path, _rendered(credentialspecs__A_json="line1\nchanged\n", cloudformation__t="t"))
    assert f"differs: {tmp_path.as_posix()}/app/credentialspecs/A_json" in report
    assert "    -line2" in report and "    +changed" in report
    assert f"missing: {tmp_path.as_posix()}/app/cloudformation/t" in report
    assert any(line.startswith("extra: ") and line.endswith("B_json (the blueprint no longer produces it)") for line in report)


def test_check_ignores_files_gen_did_not_write(tmp_path: Path) -> None:
    rendered = _rendered(credentialspecs__A_json="a", cloudformation__t="t")
    write_rendered(tmp_path, rendered)
    (tmp_path / "app" / "cloudformation" / "backend.tf").write_text("mine")
    (tmp_path / "app" / ".terraform").mkdir()
    assert stale_files(tmp_path, rendered) == []


def test_a_long_diff_is_cut_short(tmp_path: Path) -> None:
    write_rendered(tmp_path, _rendered(credentialspecs__A_json="".join(f"{i}\n" for i in range(100))))
    report = stale_files(tmp_path, _rendered(credentialspecs__A_json="".join(f"{i}x\n" for i in range(100))))
    assert len(report) == 1 + output.DIFF_LINES + 1 and report[-1].startswith("    ... ")


def test_rendered_refuses_paths_outside_its_folders() -> None:
    with pytest.raises(ValueError):
        _rendered(terraform__main_tf="x")


def test_a_file_name_cannot_add_lines_to_a_header() -> None:
    text = header("x\nTransform: AWS::Serverless-2016-10-31\n#.yaml")
    assert text.count("\n") == 2 and "\\nTransform" in text
