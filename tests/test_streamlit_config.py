"""The shipped Streamlit config: upload limit equal to the importer's, no error details."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from streamlit.config import ShowErrorDetailsConfigOptions

from geodata.settings import MAX_UPLOAD_BYTES, ROOT_DIR

CONFIG = ROOT_DIR / ".streamlit" / "config.toml"


def test_upload_limit_equals_the_import_limit():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    # streamlit counts the limit in megabytes of 2**20 bytes
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES


def test_error_details_are_off():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    # a string option: the legacy boolean false would still show tracebacks
    assert config["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE.value


def test_streamlit_reads_both_values_from_the_shipped_config():
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    lines = shown.splitlines()
    assert f"maxUploadSize = {MAX_UPLOAD_BYTES // 2**20}" in lines
    assert 'showErrorDetails = "none"' in lines
