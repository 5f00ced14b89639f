"""Register counts shown beside the report's headline figures (777 key projects, 180 major).

The report counts 777 省市重点工程 and 180 projects of 10亿元 or more
city-wide; the register holds only the projects it names, with a key level
where one is stated and ``major_10yi`` derived from the stated investment.
These helpers count what the register (or a filtered part of it) knows and
how many projects it cannot tell, so a page can show "register: n of 777
(m without a level)" and never suggest the register is complete.
"""

from __future__ import annotations

import pandas as pd

from geodata.register import load_figures
from geodata.schema import KeyLevel, Major

COUNT_COLUMNS: tuple[str, ...] = (
    "key",
    "label_zh",
    "label_en",
    "figure",
    "counted",
    "not_stated",
)
"""Columns of :func:`figure_counts`."""
KEY_PROJECTS_FIGURE = "key_projects"
MAJOR_PROJECTS_FIGURE = "major_projects_10yi"
_KEY_LEVELS = tuple(k.value for k in KeyLevel if k.is_key)


def key_project_count(projects: pd.DataFrame) -> int:
    """Return how many projects are provincial or municipal key projects (省市重点)."""
    return int(projects["key_level"].isin(_KEY_LEVELS).sum())


def major_project_count(projects: pd.DataFrame) -> int:
    """Return how many projects have a stated total investment of 10亿元 or more."""
    return int((projects["major_10yi"] == Major.YES.value).sum())


def figure_counts(projects: pd.DataFrame, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count the register beside the report's 777 key and 180 major projects.

    Parameters
    ----------
    projects : pandas.DataFrame
        Register rows (``key_level``, ``major_10yi``), e.g. the filtered map.
    figures : pandas.DataFrame, optional
        Headline figures (default :func:`geodata.register.load_figures`).

    Returns
    -------
    pandas.DataFrame
        Two rows (``key_projects``, ``major_projects_10yi``), columns
        :data:`COUNT_COLUMNS`: the report's figure, the register's count and
        how many register projects do not state a level / an investment.
    """
    figures = load_figures() if figures is None else figures
    by_key = figures.set_index("key")
    counted = {
        KEY_PROJECTS_FIGURE: (
            key_project_count(projects),
            int((projects["key_level"] == "").sum()),
        ),
        MAJOR_PROJECTS_FIGURE: (
            major_project_count(projects),
            int((projects["major_10yi"] == "").sum()),
        ),
    }
    rows = [
        {
            "key": key,
            "label_zh": str(by_key.at[key, "label_zh"]),
            "label_en": str(by_key.at[key, "label_en"]),
            "figure": float(by_key.at[key, "value"]),
            "counted": n,
            "not_stated": unknown,
        }
        for key, (n, unknown) in counted.items()
    ]
    return pd.DataFrame(rows, columns=list(COUNT_COLUMNS))
