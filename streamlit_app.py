"""长治项目一张图 · Changzhi Project Map — the Streamlit entry point.

``streamlit run streamlit_app.py``. The page set-up and navigation only;
every part of the page lives in the :mod:`app` package.
"""

from __future__ import annotations

import streamlit as st

from app._heap import settle_heap
from app.pages import pages, start, store_error
from geodata.store import StoreError


def main() -> None:
    """Lay out the app: language, sign-in, pages."""
    st.set_page_config(page_title="长治项目一张图", page_icon="🗺️", layout="wide")
    # once per process: the long-lived heap out of the collector's way
    settle_heap()
    lang = start()
    try:
        st.navigation(pages(lang)).run()
    except StoreError as exc:
        store_error(exc, lang)


main()
