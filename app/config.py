"""What the installation configures in ``st.secrets`` (or the environment).

Read on use: Streamlit reloads ``secrets.toml`` when it changes. A missing
secrets file means nothing is configured.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from geodata.settings import runtime


def _staff_section() -> Mapping[str, object]:
    """Return the ``[staff]`` section of the secrets (empty when not configured)."""
    try:
        return st.secrets.get("staff", {})
    except FileNotFoundError:
        return {}


def tianditu_key() -> str | None:
    """Read the Tianditu key from secrets or the environment (read once at start-up)."""
    try:
        key = st.secrets.get("TIANDITU_KEY")
    except FileNotFoundError:
        key = None
    return key or runtime().tianditu_key


def staff_users() -> Mapping[str, Mapping[str, object]]:
    """Local staff accounts from ``st.secrets`` (none when not configured)."""
    return _staff_section().get("users", {})


def oidc_configured() -> bool:
    """Whether an identity provider is configured for ``st.login``."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def oidc_domains() -> tuple[str, ...]:
    """E-mail domains whose identity-provider users are staff (none: nobody is)."""
    return tuple(_staff_section().get("oidc_domains", ()))


def client_ip_header() -> str:
    """Name the header a reverse proxy sets to the client's address (none: no proxy)."""
    return str(_staff_section().get("client_ip_header", ""))
