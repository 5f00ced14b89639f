"""Words and numbers of the progress views and exports (月度进度、晾晒、督办).

The words come from the one vocabulary (:mod:`geodata.i18n`); these helpers
label the progress package's values and write amounts and rates, showing
无计划 / 未报送 where a number is absent, never 0.
"""

from __future__ import annotations

import pandas as pd

from geodata.i18n import Lang, label, t
from geodata.progress import Change, LagStatus, Period
from geodata.schema import Stage


def status_label(status: str, lang: Lang | str = Lang.ZH) -> str:
    """Label a lag status key (``lagging`` → 滞后); ``""`` for an unknown key."""
    try:
        member = LagStatus(str(status))
    except ValueError:
        return ""
    return label(member, Lang(lang))


def change_label(change: str, lang: Lang | str = Lang.ZH) -> str:
    """Label a comparison change key (``started`` → 新开工)."""
    member = Change(str(change))
    return label(member, Lang(lang))


def month_label(period: Period | str, lang: Lang | str = Lang.ZH) -> str:
    """Label a month: ``2025年9月`` or ``Sep 2025``."""
    return Period.read(period).label(Lang(lang))


def as_of(period: Period | str, lang: Lang | str = Lang.ZH) -> str:
    """Return ``截至 2025年9月`` / ``As of Sep 2025``."""
    return t("as_of", lang, month=month_label(period, lang))


def stage_label(stage: object, lang: Lang | str = Lang.ZH) -> str:
    """Label a stage value (``construction`` → 建设); ``""`` for none or an unknown one."""
    try:
        member = Stage(str(stage))
    except ValueError:
        return ""
    return label(member, Lang(lang))


def yi_text(value: object, lang: Lang | str = Lang.ZH, *, missing: LagStatus) -> str:
    """Write an amount in 亿元 (``12.34``), or the status that explains its absence.

    Parameters
    ----------
    value : object
        Amount in 亿元; ``None``/``nan`` when there is none.
    lang : Lang or str
        Label language.
    missing : LagStatus
        What an absent amount means: :attr:`LagStatus.NO_PLAN` (无计划) or
        :attr:`LagStatus.NOT_REPORTED` (未报送), never 0.

    Returns
    -------
    str
    """
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.isna(number):
        return status_label(missing.value, lang)
    return f"{float(number):,.2f}"


def pct_text(value: object) -> str:
    """Write a percentage with one decimal (``—`` when there is none)."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return "—" if pd.isna(number) else f"{float(number):.1f}"


def rank_change_text(change: object) -> str:
    """Write a change of rank since last month: ``↑2``, ``↓1``, ``→`` (same) or ``—`` (none)."""
    if change is None or pd.isna(change):
        return "—"
    value = int(change)
    if value > 0:
        return f"↑{value}"
    if value < 0:
        return f"↓{-value}"
    return "→"
