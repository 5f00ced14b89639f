"""The staff history page: every version of the register, what one changed, restore and revert.

Writes are based on the version the page showed; a restore replaces the
whole register and needs a deliberate second step.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import data, signin, state
from app.state import Keys
from geodata.auth import require_staff
from geodata.i18n import Lang, label, t
from geodata.store import Action, StoreError

HISTORY_COLUMNS = (
    "version",
    "created_at",
    "who_name",
    "action",
    "message",
    "n_projects",
    "added",
    "updated",
    "removed",
)
# what a version changed, per project
CHANGE_COLUMNS = ["id", "change", "fields", "before_name_zh", "after_name_zh"]


def history_page() -> None:
    """Every version of the register, what one changed, with restore and revert."""
    lang = state.lang()
    staff = signin.staff()
    st.title(t("page_history", lang))
    base = state.seen_version(Keys.HISTORY_SEEN)
    store = data.store()
    history = store.history()
    st.dataframe(_history_table(history, lang), hide_index=True, width="stretch")
    version = int(
        st.selectbox(t("version", lang), history["version"].tolist(), key=Keys.HISTORY_VERSION)
    )
    st.caption(t("version_changes", lang))
    changes = store.version_changes(version)
    st.dataframe(changes[CHANGE_COLUMNS], hide_index=True, width="stretch")
    # a restore replaces the whole register: it needs a deliberate second step
    confirmed = st.checkbox(
        t("restore_confirm", lang, version=version), key=state.restore_confirm_key(version)
    )
    left, right = st.columns(2)
    restore = left.button(t("restore", lang), key=Keys.HISTORY_RESTORE, disabled=not confirmed)
    restore = restore and confirmed
    revert = right.button(t("revert", lang), key=Keys.HISTORY_REVERT)
    if not (restore or revert):
        return
    write = store.restore if restore else store.revert
    try:
        new = write(version, author=require_staff(staff).author(), base_version=base)
    except StoreError as exc:
        data.say_write_refused(exc)
        return
    state.set_seen_version(Keys.HISTORY_SEEN, new)
    st.success(t("committed", lang, version=new))


def _history_table(history: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Label the versions for display."""
    table = history[list(HISTORY_COLUMNS)].copy()
    table["action"] = [_action_label(a, lang) for a in table["action"].astype(str)]
    return table.rename(columns={c: t(f"hist_{c}", lang) for c in HISTORY_COLUMNS})


def _action_label(action: str, lang: Lang) -> str:
    """Label a recorded action (an unknown one as stored)."""
    try:
        return label(Action(action), lang)
    except ValueError:
        return action
