"""Plumbing: keep a copy of a component's frontend build under the app's static folder.

Streamlit serves a component's files (``/component/<name>/...``) with
``Cache-Control: public`` but with no ``Last-Modified`` or ``ETag``, so a
browser cannot keep them: every page load fetches streamlit-folium's 225 KB
``main.js`` again from the Python server, which gzips it on the way. Files
under the app's static folder are served with ``Last-Modified`` and no
``Cache-Control``, so a browser keeps them for a tenth of their age (its
heuristic freshness) and then fetches them again in full (the server answers
no conditional request with 304). :func:`mirror_build` copies a build there,
byte for byte, and dates every copy :data:`KEPT_SINCE`, long ago, so that
browsers keep them: a kept copy is never stale, because the script's name
carries its content hash (webpack's) and the page is asked for with the hash
of its own content (``index.html?v=...``). The copy is checked against the
installed package on every process start, so an upgrade of the package is
followed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

# source maps are for debugging the package, not for the browser
_SKIPPED_SUFFIXES = (".map",)
# the copies' modification time (2000-01-01 UTC): browsers keep them for years
KEPT_SINCE = 946_684_800


def _build_files(source: Path) -> dict[Path, Path]:
    """Return the build's files to serve, by path relative to ``source``."""
    return {
        path.relative_to(source): path
        for path in sorted(source.rglob("*"))
        if path.is_file() and not path.name.endswith(_SKIPPED_SUFFIXES)
    }


def _same(a: Path, b: Path) -> bool:
    """Tell whether ``b`` is a dated copy of ``a``: same bytes and mode, dated ``KEPT_SINCE``."""
    if not b.is_file():
        return False
    sa, sb = a.stat(), b.stat()
    if sa.st_size != sb.st_size or int(sb.st_mtime) != KEPT_SINCE:
        return False
    if stat.S_IMODE(sa.st_mode) != stat.S_IMODE(sb.st_mode):
        return False
    return a.read_bytes() == b.read_bytes()


def _copy(source: Path, target: Path) -> None:
    """Copy one file, dated ``KEPT_SINCE``; readers see the old file or the new, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".", suffix=".part", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        shutil.copyfile(source, temp)
        # the package's permissions, not the private ones of a temporary file
        shutil.copymode(source, temp)
        os.utime(temp, (KEPT_SINCE, KEPT_SINCE))
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def mirror_build(source: Path, target: Path) -> str:
    """Make ``target`` hold the files of the frontend build ``source``, byte for byte.

    Files that differ (or are missing) are copied, dated :data:`KEPT_SINCE`,
    each replaced at once; files in ``target`` that the build no longer
    has are removed (files whose names start with ``.`` are left: another
    process may be writing one). Source maps are not copied.

    Parameters
    ----------
    source : Path
        The package's build folder (holding ``index.html``).
    target : Path
        A folder under the app's static folder.

    Returns
    -------
    str
        The build's version: the start of the SHA-256 of its ``index.html``,
        which names the script it loads.

    Raises
    ------
    FileNotFoundError
        If ``source`` has no ``index.html``.
    OSError
        If ``target`` cannot be written.
    """
    if not (source / "index.html").is_file():
        raise FileNotFoundError(f"not a frontend build (no index.html): {source}")
    wanted = _build_files(source)
    # copy what differs
    for relpath, path in wanted.items():
        if not _same(path, target / relpath):
            _copy(path, target / relpath)
    # remove what the build no longer has
    for path in sorted(target.rglob("*")):
        relpath = path.relative_to(target)
        if path.is_file() and not path.name.startswith(".") and relpath not in wanted:
            path.unlink()
    return hashlib.sha256((target / "index.html").read_bytes()).hexdigest()[:12]
