"""The map component's frontend: copied from the installed package, kept by browsers."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import streamlit_folium as sf

from app import map_frame
from app._frontend import KEPT_SINCE, mirror_build
from geodata.settings import FRONTEND_MIRROR_DIR, FRONTEND_MIRROR_URL

PACKAGE_BUILD = Path(sf._component_func.path)


def _build(folder: Path, script: str = "main.abc123.js") -> Path:
    """Write a tiny frontend build: a page, its script and a source map."""
    (folder / "static" / "js").mkdir(parents=True)
    (folder / "index.html").write_text(f'<script src="./static/js/{script}"></script>')
    (folder / "static" / "js" / script).write_text("console.log('map')")
    (folder / "static" / "js" / f"{script}.map").write_text("{}")
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_the_copy_holds_the_build_byte_for_byte_dated_long_ago(tmp_path):
    source = _build(tmp_path / "build")
    version = mirror_build(source, tmp_path / "copy")
    copied = _files(tmp_path / "copy")
    # every file but the source map
    assert copied == {k: v for k, v in _files(source).items() if not k.endswith(".map")}
    # browsers keep a file for a tenth of its age: the copies are old
    for path in (tmp_path / "copy").rglob("*.*"):
        assert path.stat().st_mtime == KEPT_SINCE
        # readable as the package's files are (not a temporary file's owner-only mode)
        mode = (source / path.relative_to(tmp_path / "copy")).stat().st_mode
        assert path.stat().st_mode == mode
    expected = hashlib.sha256((source / "index.html").read_bytes()).hexdigest()[:12]
    assert version == expected


def test_an_up_to_date_copy_is_left_as_it_is(tmp_path):
    source = _build(tmp_path / "build")
    mirror_build(source, tmp_path / "copy")
    inode = (tmp_path / "copy" / "index.html").stat().st_ino
    mirror_build(source, tmp_path / "copy")
    assert (tmp_path / "copy" / "index.html").stat().st_ino == inode


def test_an_altered_or_outdated_copy_follows_the_build(tmp_path):
    source = _build(tmp_path / "build")
    target = tmp_path / "copy"
    first = mirror_build(source, target)
    # someone edits the copy (same size, same date): its bytes decide
    page = target / "index.html"
    page.write_bytes(page.read_bytes().replace(b"main", b"MAIN"))
    os.utime(page, (KEPT_SINCE, KEPT_SINCE))
    mirror_build(source, target)
    assert page.read_bytes() == (source / "index.html").read_bytes()
    # a copy touched since (a fresh date would make browsers fetch it again) is redated
    os.utime(page, None)
    mirror_build(source, target)
    assert page.stat().st_mtime == KEPT_SINCE
    # and one that only its owner may read is made readable again
    page.chmod(0o600)
    mirror_build(source, target)
    assert page.stat().st_mode == (source / "index.html").stat().st_mode
    # an upgrade of the package: a new script name; the old one goes, the version changes
    other = _build(tmp_path / "build2", script="main.def456.js")
    second = mirror_build(other, target)
    assert sorted(_files(target)) == ["index.html", "static/js/main.def456.js"]
    assert second != first


def test_a_part_written_by_another_process_is_not_removed(tmp_path):
    source = _build(tmp_path / "build")
    target = tmp_path / "copy"
    (target / "static" / "js").mkdir(parents=True)
    (target / "static" / "js" / ".x.part").write_text("half")
    mirror_build(source, target)
    assert (target / "static" / "js" / ".x.part").exists()


def test_a_folder_without_a_page_is_refused(tmp_path):
    (tmp_path / "build").mkdir()
    with pytest.raises(FileNotFoundError, match=r"no index\.html"):
        mirror_build(tmp_path / "build", tmp_path / "copy")
    assert not (tmp_path / "copy").exists()


def test_the_app_serves_the_installed_packages_frontend_from_its_copy():
    map_frame.component.clear()
    func = map_frame.component()
    version = hashlib.sha256((PACKAGE_BUILD / "index.html").read_bytes()).hexdigest()[:12]
    assert func.url == f"{FRONTEND_MIRROR_URL}/index.html?v={version}"
    assert func.name == "app.map_frame.st_folium"
    for name, content in _files(PACKAGE_BUILD).items():
        if not name.endswith(".map"):
            assert (FRONTEND_MIRROR_DIR / name).read_bytes() == content, name


def test_without_a_writable_copy_the_package_serves_the_map(monkeypatch, caplog):
    def refuse(source: Path, target: Path) -> str:
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(map_frame, "mirror_build", refuse)
    map_frame.component.clear()
    try:
        assert map_frame.component() is sf._component_func
        assert "served by its package" in caplog.text
    finally:
        monkeypatch.undo()
        map_frame.component.clear()
