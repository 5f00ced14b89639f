"""A local PostgreSQL/PostGIS cluster for tests and for trying the PostGIS store.

Uses Debian's PostgreSQL 15 binaries (``postgresql``, ``postgresql-15-postgis-3``);
no Docker. ``initdb`` and ``pg_ctl`` refuse to run as root, so when this process is
root they run as the ``postgres`` user (``runuser -u postgres --``) in a folder that
user owns. The cluster listens on 127.0.0.1 only, with trust authentication for
local connections, and keeps its unix socket inside its own folder.

Two uses:

- :func:`temporary_cluster`: a throw-away cluster in a temporary folder, yielding a
  database URL; stopped (``pg_ctl -m immediate stop``) and deleted on exit, also
  when the block raises or the interpreter exits. A cluster left by a killed
  process is stopped and deleted by the next :func:`temporary_cluster`.
- ``python -m geodata._pgcluster start FOLDER --port 5433 --db changzhi`` (``make
  db``): a persistent cluster in ``FOLDER`` that stays running; ``stop FOLDER``
  (``make db-stop``) stops it.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg

PG_BIN_DIR = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "postgres"
_HOST = "127.0.0.1"
_START_TIMEOUT_S = 60
_TEMP_PREFIX = "changzhi-pg-"
_OWNER_FILE = "owner.pid"  # id of the process that made a temporary cluster
_INSTALL_HINT = (
    "install the Debian packages postgresql and postgresql-15-postgis-3 "
    "(make test does this when they are missing)"
)


class ClusterError(RuntimeError):
    """The local cluster cannot be created, started or stopped."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind((_HOST, 0))
        return int(s.getsockname()[1])


def _binary(name: str) -> Path:
    """Return the path of a PostgreSQL 15 program, or raise naming the packages to install."""
    path = PG_BIN_DIR / name
    if not path.is_file():
        raise ClusterError(f"{path} not found: {_INSTALL_HINT}")
    return path


def _check_postgis() -> None:
    """Raise unless the PostGIS extension files for PostgreSQL 15 are installed."""
    control = Path("/usr/share/postgresql/15/extension/postgis.control")
    if not control.is_file():
        raise ClusterError(f"PostGIS is not installed ({control} missing): {_INSTALL_HINT}")


def _as_owner(args: Sequence[str | Path]) -> list[str]:
    """Prefix a command so it runs as ``postgres`` when this process is root."""
    command = [str(a) for a in args]
    if os.geteuid() == 0:
        return ["runuser", "-u", SUPERUSER, "--", *command]
    return command


def _run(args: Sequence[str | Path], *, cwd: Path) -> None:
    """Run a cluster program (as its owner), raising ClusterError with its output on failure."""
    done = subprocess.run(
        _as_owner(args), cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )
    if done.returncode != 0:
        name = Path(str(args[0])).name
        raise ClusterError(f"{name} failed ({done.returncode}): {done.stderr or done.stdout}")


def _own(folder: Path) -> None:
    """Give ``folder`` to the ``postgres`` user when running as root (initdb needs that)."""
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam(SUPERUSER)
    for path in (folder, *folder.rglob("*")):
        os.chown(path, entry.pw_uid, entry.pw_gid)


def url_for(port: int, dbname: str) -> str:
    """Return the SQLAlchemy/psycopg URL of database ``dbname`` on the local cluster."""
    return f"postgresql://{SUPERUSER}@{_HOST}:{port}/{dbname}"


def init_cluster(folder: Path) -> None:
    """Create a new cluster in ``folder/data`` (trust authentication, UTF-8, no locale).

    Parameters
    ----------
    folder : Path
        Holds ``data`` (the cluster), ``sock`` (unix socket) and ``server.log``.
    """
    initdb = _binary("initdb")
    _check_postgis()
    (folder / "sock").mkdir(parents=True, exist_ok=True)
    _own(folder)
    args = [initdb, "-D", folder / "data", "-U", SUPERUSER, "--auth=trust", "-E", "UTF8"]
    _run([*args, "--no-locale", "--no-sync"], cwd=folder)


def start_cluster(folder: Path, *, port: int, fsync: bool = True) -> None:
    """Start the cluster in ``folder`` on 127.0.0.1:``port`` and wait until it accepts connections.

    Parameters
    ----------
    folder : Path
        A folder prepared by :func:`init_cluster`.
    port : int
        TCP port on 127.0.0.1.
    fsync : bool
        ``False`` for throw-away test clusters (faster, not crash-safe on power loss).
    """
    options = f"-c listen_addresses={_HOST} -p {port} -k {folder / 'sock'}"
    if not fsync:
        # committed data stays in the os cache, so an immediate stop loses nothing
        options += " -c fsync=off -c full_page_writes=off"
    args = [_binary("pg_ctl"), "-D", folder / "data", "-l", folder / "server.log", "-w"]
    _run([*args, "-t", str(_START_TIMEOUT_S), "-o", options, "start"], cwd=folder)


def stop_cluster(folder: Path, *, mode: str = "fast") -> None:
    """Stop the cluster in ``folder`` (``mode``: ``smart``, ``fast`` or ``immediate``)."""
    _run([_binary("pg_ctl"), "-D", folder / "data", "-m", mode, "-w", "stop"], cwd=folder)


def is_running(folder: Path) -> bool:
    """Return whether the cluster in ``folder`` has a running server."""
    if not (folder / "data" / "postmaster.pid").exists():
        return False
    command = _as_owner([_binary("pg_ctl"), "-D", folder / "data", "status"])
    return subprocess.run(command, cwd=folder, capture_output=True, check=False).returncode == 0


def create_database(port: int, dbname: str) -> str:
    """Create ``dbname`` with the PostGIS extension unless it exists; return its URL."""
    with psycopg.connect(url_for(port, "postgres"), autocommit=True) as con:
        found = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if found is None:
            con.execute(f'CREATE DATABASE "{dbname}"')
    url = url_for(port, dbname)
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return url


@dataclass(frozen=True)
class LocalCluster:
    """A running local cluster: its folder, port and the URL of its PostGIS database."""

    folder: Path
    port: int
    url: str

    def stop(self, *, mode: str = "immediate") -> None:
        """Stop the server (the folder stays; :meth:`start` brings it back)."""
        stop_cluster(self.folder, mode=mode)

    def start(self) -> None:
        """Start the server again on the same port."""
        start_cluster(self.folder, port=self.port, fsync=False)


def _temp_root() -> Path:
    """Folder for temporary clusters: ``/tmp`` as root (``postgres`` must reach it), else TMPDIR."""
    return Path("/tmp") if os.geteuid() == 0 else Path(tempfile.gettempdir())


def _alive(pid: int) -> bool:
    """Return whether a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_orphans() -> list[Path]:
    """Stop and delete temporary clusters whose creating process is gone (a killed test run).

    Returns
    -------
    list of Path
        The folders removed.
    """
    removed = []
    for folder in _temp_root().glob(f"{_TEMP_PREFIX}*"):
        owner = folder / _OWNER_FILE
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            continue
        if _alive(pid):
            continue
        with contextlib.suppress(ClusterError, subprocess.SubprocessError):
            if is_running(folder):
                stop_cluster(folder, mode="immediate")
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


@contextlib.contextmanager
def temporary_cluster(*, dbname: str = "changzhi_test") -> Iterator[LocalCluster]:
    """Run a throw-away cluster with one PostGIS database for the length of the block.

    Parameters
    ----------
    dbname : str
        Name of the database created with the PostGIS extension.

    Yields
    ------
    LocalCluster
        Its ``url`` is ``postgresql://postgres@127.0.0.1:PORT/dbname``.

    Raises
    ------
    ClusterError
        When the binaries are missing or the server does not start.
    """
    reap_orphans()
    folder = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=_temp_root()))
    folder.chmod(0o755)
    (folder / _OWNER_FILE).write_text(str(os.getpid()))

    def cleanup() -> None:
        """Stop the server (immediately) if it runs and delete the folder; safe to call twice."""
        with contextlib.suppress(ClusterError, subprocess.SubprocessError):
            if is_running(folder):
                stop_cluster(folder, mode="immediate")
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(cleanup)
    try:
        init_cluster(folder)
        port = free_port()
        start_cluster(folder, port=port, fsync=False)
        yield LocalCluster(folder=folder, port=port, url=create_database(port, dbname))
    finally:
        cleanup()
        atexit.unregister(cleanup)


def _start_persistent(folder: Path, *, port: int, dbname: str) -> str:
    """Create the cluster in ``folder`` when missing, start it unless running, ensure the db."""
    folder = folder.resolve()
    if not (folder / "data" / "PG_VERSION").exists():
        folder.mkdir(parents=True, exist_ok=True)
        init_cluster(folder)
    if not is_running(folder):
        start_cluster(folder, port=port)
    return create_database(port, dbname)


def main(argv: Sequence[str] | None = None) -> int:
    """Start or stop a persistent local cluster (``make db`` / ``make db-stop``)."""
    parser = argparse.ArgumentParser(prog="python -m geodata._pgcluster", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="create if needed and start; prints the URL")
    start.add_argument("folder", type=Path)
    start.add_argument("--port", type=int, default=5433)
    start.add_argument("--db", default="changzhi")
    stop = sub.add_parser("stop", help="stop the server")
    stop.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            url = _start_persistent(args.folder, port=args.port, dbname=args.db)
            print(url)
        elif is_running(args.folder.resolve()):
            stop_cluster(args.folder.resolve())
            print(f"stopped the database in {args.folder}")
        else:
            print(f"no database running in {args.folder}")
    except (ClusterError, psycopg.Error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
