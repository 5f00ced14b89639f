"""Every session-state and widget key of the app, and typed access to per-session values.

Per-user state lives only in ``st.session_state``; no other module of the app
spells a key. Widget keys are the same strings the tests and the browser
drive (``f_cat``, ``si_user``, ...), so changing one changes the app's surface.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from geodata.auth import StaffIdentity
from geodata.i18n import Lang
from layers.export import ExportFormat, SessionQuota


class Keys:
    """Names of the session-state entries and widgets of the app."""

    # language and url
    LANG: Final[str] = "lang"
    ENGLISH: Final[str] = "_english"
    URL_LOADED: Final[str] = "_url_loaded"
    # sidebar filters and map options (widgets; seeded from the url)
    CATEGORIES: Final[str] = "f_cat"
    SUBCATEGORIES: Final[str] = "f_sub"
    COUNTIES: Final[str] = "f_county"
    STAGES: Final[str] = "f_stage"
    INVEST_MIN: Final[str] = "f_min"
    INVEST_MAX: Final[str] = "f_max"
    QUERY: Final[str] = "f_q"
    BASEMAP: Final[str] = "basemap"
    CHOROPLETH: Final[str] = "choro"
    # progress view (sidebar and compare tab; seeded from the url)
    PERIOD: Final[str] = "period"
    MAP_MODE: Final[str] = "map_mode"
    COMPARE: Final[str] = "cmp"
    LATEST_PERIOD: Final[str] = "_latest_period"
    SUPERVISION_PDF: Final[str] = "sup_pdf"
    PROGRESS_ATLAS: Final[str] = "p_atlas"
    PROGRESS_ATLAS_FILE: Final[str] = "p_atlas_file"
    # store versions the user saw
    VERSION: Final[str] = "_store_version"
    IMPORT_BASE: Final[str] = "import_base"
    REVIEW_SEEN: Final[str] = "_rv_seen_version"
    HISTORY_SEEN: Final[str] = "_hv_seen_version"
    # sign-in
    STAFF_BOX: Final[str] = "staff_box"
    SIGN_IN_FORM: Final[str] = "sign_in"
    USERNAME: Final[str] = "si_user"
    PASSWORD: Final[str] = "si_pw"
    SIGN_IN_OUTCOME: Final[str] = "_signin_outcome"
    STAFF: Final[str] = "staff"
    STAFF_SEEN: Final[str] = "staff_seen"
    REHASH: Final[str] = "_rehash"
    SIGN_OUT: Final[str] = "sign_out"
    OIDC: Final[str] = "oidc"
    BACK_TO_MAP: Final[str] = "back_to_map"
    # map page
    MAP: Final[str] = "map"
    LAST_CLICK: Final[str] = "_last_click"
    PROJECT: Final[str] = "project"
    TABLE_PICK: Final[str] = "_table_pick"
    PROJECT_TABLE: Final[str] = "project_table"
    TABLE_PAGE: Final[str] = "table_page"
    TABLE_NONCE: Final[str] = "_table_nonce"
    RANK_BY: Final[str] = "rank_by"
    TABS: Final[str] = "tabs"
    RANK_CHART: Final[str] = "rank_chart"
    FIGURES_BOX: Final[str] = "figures_box"
    MAP_REPORTED: Final[str] = "_map_reported"
    MAP_REPORTED_NEWS: Final[str] = "_map_reported_news"
    SHOW_SECTIONS: Final[str] = "show_sections"
    # export panel
    EXPORT_FORMAT: Final[str] = "x_fmt"
    EXPORT_PAPER: Final[str] = "x_paper"
    EXPORT_ORIENTATION: Final[str] = "x_orient"
    EXPORT_DPI: Final[str] = "x_dpi"
    EXPORT_TITLE: Final[str] = "x_title"
    EXPORT_TABLE: Final[str] = "x_table"
    EXPORT_QUOTA: Final[str] = "x_quota"
    EXPORT_PREPARE: Final[str] = "x_prepare"
    EXPORT_FILE: Final[str] = "x_file"
    ATLAS_PREPARE: Final[str] = "x_atlas"
    ATLAS_FILE: Final[str] = "x_atlas_file"
    # import page
    IMPORT_KIND: Final[str] = "import_kind"
    UPLOAD: Final[str] = "upload"
    IMPORT_CRS: Final[str] = "import_crs"
    IMPORT_YEAR: Final[str] = "import_year"
    VALIDATE: Final[str] = "validate"
    IMPORT_RESULT: Final[str] = "import_result"
    IMPORT_PREVIEW: Final[str] = "preview"
    COMMIT: Final[str] = "commit"
    # review page
    REVIEW_ID: Final[str] = "rv_id"
    REVIEW_SHOWN_ID: Final[str] = "_rv_pid"
    REVIEW_LON: Final[str] = "rv_lon"
    REVIEW_LAT: Final[str] = "rv_lat"
    REVIEW_CRS: Final[str] = "rv_crs"
    REVIEW_MAP: Final[str] = "rv_map"
    REVIEW_CLICK: Final[str] = "_rv_click"
    REVIEW_SAVE: Final[str] = "rv_save"
    # history page
    HISTORY_VERSION: Final[str] = "hv_version"
    HISTORY_RESTORE: Final[str] = "hv_restore"
    HISTORY_REVERT: Final[str] = "hv_revert"


# what a sign-out forgets besides the identity
STAFF_SESSION_KEYS: Final = (Keys.STAFF_SEEN, Keys.REHASH, Keys.IMPORT_RESULT)


def extract_key(fmt: ExportFormat) -> str:
    """Return the widget key of one extract's download button."""
    return f"x_extract_{fmt.value}"


def restore_confirm_key(version: int) -> str:
    """Return the key of the restore confirmation of one version (unticked per version)."""
    return f"hv_confirm_{version}"


def lang() -> Lang:
    """Return the interface language of this session."""
    return Lang(st.session_state.get(Keys.LANG, Lang.ZH.value))


def set_lang(value: Lang) -> None:
    """Set the interface language of this session."""
    st.session_state[Keys.LANG] = value.value


def version() -> int:
    """Return the store version this rerun shows (read once, at the start of the rerun)."""
    return int(st.session_state[Keys.VERSION])


def set_version(value: int) -> None:
    """Remember the store version this rerun shows."""
    st.session_state[Keys.VERSION] = int(value)


def seen_version(key: str) -> int:
    """Return the version a page showed on its previous run, and remember this run's."""
    seen = int(st.session_state.get(key, version()))
    st.session_state[key] = version()
    return seen


def set_seen_version(key: str, value: int) -> None:
    """Remember the version a page just wrote: its next run is based on it."""
    st.session_state[key] = int(value)


def map_reported() -> bool:
    """Return whether this session's map has reported that it drew (or the user asked)."""
    return bool(st.session_state.get(Keys.MAP_REPORTED, False))


def mark_map_reported() -> None:
    """Remember that the map drew; the first time, ask for the rest of the page."""
    if not map_reported():
        st.session_state[Keys.MAP_REPORTED] = True
        st.session_state[Keys.MAP_REPORTED_NEWS] = True


def take_map_reported_news() -> bool:
    """Return (once) whether the map has just reported for the first time."""
    return bool(st.session_state.pop(Keys.MAP_REPORTED_NEWS, False))


def signed_in() -> StaffIdentity | None:
    """Return the member of staff this session signed in, if any."""
    return st.session_state.get(Keys.STAFF)


def export_quota() -> SessionQuota:
    """Return this session's export quota (made on first use)."""
    return st.session_state.setdefault(Keys.EXPORT_QUOTA, SessionQuota())
