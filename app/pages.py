"""What every run does before a page, and the pages a session may see.

Planners see the map; signed-in staff also the import, review and history
pages. A refused sign-in runs no page at all.
"""

from __future__ import annotations

import streamlit as st

from app import data, signin, state
from app.map_page import map_page
from app.sidebar import language_switch
from app.staff_history import history_page
from app.staff_import import import_page
from app.staff_review import review_page
from app.state import Keys
from app.url import init_from_url
from geodata.i18n import Lang, t
from geodata.store import StoreError
from geodata.text import md_literal


def start() -> Lang:
    """Set up this run: the view from the URL, staff sign-in and the store version shown."""
    init_from_url()
    lang = state.lang()
    signin.expire_idle_staff(lang)
    outcome = signin.take_outcome()
    language_switch()
    signin.sidebar_sign_in(lang, outcome)
    if outcome is not None and outcome.identity is None:
        # a refused sign-in runs no page: a guessing loop costs one check, not the map
        st.info(t("sign_in_refused_page", lang))
        st.button(t("back_to_map", lang), key=Keys.BACK_TO_MAP)
        st.stop()
    data.read_version()
    return lang


def pages(lang: Lang) -> list[st.Page]:
    """Return the pages of this session: the map, and the staff pages once signed in."""
    shown = [st.Page(map_page, title=t("page_map", lang), url_path="map", default=True)]
    if signin.staff() is not None:
        shown += [
            st.Page(import_page, title=t("page_import", lang), url_path="import"),
            st.Page(review_page, title=t("page_review", lang), url_path="review"),
            st.Page(history_page, title=t("page_history", lang), url_path="history"),
        ]
    return shown


def store_error(exc: StoreError, lang: Lang) -> None:
    """Say that the store refused or failed (every page: a message, not a traceback)."""
    st.error(f"{t('store_error', lang)}\n\n{md_literal(exc)}")
