"""Staff sign-in: the sidebar form, the server-wide failure limiter, idle expiry and OIDC.

Planners never sign in. A password is checked in the form's callback, before
any page work; the identity and the time of its last activity live in the
session, the failed-sign-in counts in one limiter per server process.
"""

from __future__ import annotations

import math

import streamlit as st

from app import config, state
from app.state import STAFF_SESSION_KEYS, Keys
from geodata import throttle
from geodata.auth import (
    IdentitySource,
    SignInOutcome,
    StaffIdentity,
    identity_from_oidc,
    session_expired,
    sign_in,
)
from geodata.i18n import Lang, t
from geodata.settings import STAFF_IDLE_MINUTES
from geodata.text import md_literal
from geodata.throttle import SignInLimiter


def _client_address() -> str:
    """Address of this session's client, the second key of the sign-in limit.

    Behind a reverse proxy every connection comes from the proxy; name the
    header the proxy sets in ``[staff] client_ip_header`` (e.g. ``X-Real-IP``).
    """
    header = config.client_ip_header()
    forwarded = st.context.headers.get(header, "") if header else ""
    # the last entry is the one the nearest proxy wrote
    return forwarded.rpartition(",")[2].strip() or st.context.ip_address or "local"


@st.cache_resource(show_spinner=False)
def _signin_limiter() -> SignInLimiter:
    """Return the server's failed-sign-in limiter.

    Server-wide security state, not per-user state: a guessing script opens a
    new session at will, so the counts must outlive sessions. One thread-safe
    instance per process is the point, hence ``st.cache_resource``.
    """
    return SignInLimiter()


def _now() -> float:
    """Return the clock of idle expiry, the limiter's own (read through its module)."""
    return throttle.monotonic_now()


def _remember(identity: StaffIdentity) -> None:
    """Keep a signed-in member of staff in the session, active now."""
    st.session_state[Keys.STAFF] = identity
    st.session_state[Keys.STAFF_SEEN] = _now()


def _on_sign_in() -> None:
    """Check a submitted password before any page work (the form's callback)."""
    ss = st.session_state
    outcome = sign_in(
        str(ss.get(Keys.USERNAME, "")),
        str(ss.get(Keys.PASSWORD, "")),
        config.staff_users(),
        client=_client_address(),
        limiter=_signin_limiter(),
    )
    ss[Keys.PASSWORD] = ""
    ss[Keys.SIGN_IN_OUTCOME] = outcome
    if outcome.identity is not None:
        _remember(outcome.identity)
        ss[Keys.REHASH] = outcome.new_hash


def take_outcome() -> SignInOutcome | None:
    """Return the outcome of a sign-in submitted just now, once."""
    return st.session_state.pop(Keys.SIGN_IN_OUTCOME, None)


def staff() -> StaffIdentity | None:
    """Return the signed-in member of staff, if any."""
    identity = state.signed_in()
    domains = config.oidc_domains()
    # an identity-provider login makes staff only of verified addresses of allowed domains
    if identity is None and domains and config.oidc_configured() and st.user.get("is_logged_in"):
        identity = identity_from_oidc(st.user.to_dict(), allowed_domains=domains)
        if identity is not None:
            _remember(identity)
    return identity


def _sign_out() -> None:
    """Forget the signed-in member of staff and what they were doing."""
    identity = st.session_state.pop(Keys.STAFF, None)
    for key in STAFF_SESSION_KEYS:
        st.session_state.pop(key, None)
    if isinstance(identity, StaffIdentity) and identity.source is IdentitySource.OIDC:
        st.logout()


def expire_idle_staff(lang: Lang) -> None:
    """Sign staff out after :data:`STAFF_IDLE_MINUTES` without activity; note the activity."""
    now = _now()
    if state.signed_in() is not None and session_expired(
        st.session_state.get(Keys.STAFF_SEEN), now=now, idle_seconds=STAFF_IDLE_MINUTES * 60
    ):
        _sign_out()
        st.warning(t("idle_signed_out", lang, minutes=STAFF_IDLE_MINUTES))
    if state.signed_in() is not None:
        st.session_state[Keys.STAFF_SEEN] = now


def _sign_in_message(outcome: SignInOutcome, lang: Lang) -> str:
    """Say why a sign-in was refused."""
    if outcome.busy:
        return t("sign_in_busy", lang)
    if outcome.locked_for > 0:
        return t("sign_in_locked", lang, seconds=math.ceil(outcome.locked_for))
    return t("sign_in_failed", lang)


def _signed_in_box(identity: StaffIdentity, lang: Lang) -> None:
    """Who is signed in, a rehash note for them alone, and the sign-out button."""
    st.caption(f"{t('signed_in_as', lang)} {md_literal(identity.display_name)}")
    rehash = st.session_state.get(Keys.REHASH)
    if rehash:
        # only the member of staff who just typed the password sees it
        st.warning(t("rehash_note", lang))
        st.code(f'password_hash = "{rehash}"', language="toml")
    if st.button(t("sign_out", lang), key=Keys.SIGN_OUT):
        _sign_out()
        st.rerun()


def sidebar_sign_in(lang: Lang, outcome: SignInOutcome | None) -> None:
    """Staff sign-in; planners never need it."""
    identity = staff()
    refused = outcome is not None and outcome.identity is None
    # a constant "expanded": a changing one would fold the form under the user's cursor;
    # the form is built only when opened (planners never open it, and its widgets cost
    # every page load a share of the browser's time before the map)
    box = st.sidebar.expander(
        t("staff", lang), expanded=False, key=Keys.STAFF_BOX, on_change="rerun"
    )
    if not box.open:
        return
    with box:
        if identity is not None:
            _signed_in_box(identity, lang)
            return
        with st.form(Keys.SIGN_IN_FORM, clear_on_submit=True):
            st.text_input(t("username", lang), key=Keys.USERNAME, max_chars=64)
            st.text_input(t("password", lang), type="password", key=Keys.PASSWORD, max_chars=256)
            st.form_submit_button(t("sign_in", lang), on_click=_on_sign_in)
        if refused:
            st.error(_sign_in_message(outcome, lang))
        if (
            config.oidc_configured()
            and config.oidc_domains()
            and st.button(t("sign_in_oidc", lang), key=Keys.OIDC)
        ):
            st.login()
