"""Headless Chromium's flags and ``streamlit run`` on a free port, for benches and tests.

One place for what the browser benches (:mod:`bench.bench_app_browser`,
:mod:`bench.bench_map`) and the browser tests (``tests/conftest.py``) share:
the Chromium binary and flags, and a Streamlit server started on a free
loopback port, waited for until its health check answers and stopped when
the block ends. ``geodata`` does not know Streamlit, so this lives in
``bench``, which the tests already import.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from geodata._pgcluster import free_port

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ROOT", "Served", "free_port", "serve_streamlit"]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Served(NamedTuple):
    """A running ``streamlit run`` server: its URL and process id."""

    url: str
    pid: int


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Wait until a server answers its health check; raise when it died or took too long."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not start; see {log}")
        time.sleep(0.3)


@contextlib.contextmanager
def serve_streamlit(
    script: Path,
    *,
    env: Mapping[str, str],
    log: Path,
    options: Sequence[str] = (),
    timeout: float = 60.0,
    port: int | None = None,
) -> Iterator[Served]:
    """Run ``streamlit run script`` on a free loopback port until the block ends.

    Parameters
    ----------
    script : Path
        The app file.
    env : mapping of str to str
        The server's whole environment.
    log : Path
        Where the server's output goes.
    options : sequence of str
        More ``streamlit run`` options (``--secrets.files``, ...).
    timeout : float
        Seconds to wait for the health check.
    port : int, optional
        The loopback port (default a free one).

    Yields
    ------
    Served
        The server's URL and process id.
    """
    port = port or free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script)]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false", *options]
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc, log, timeout)
            yield Served(url, proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
