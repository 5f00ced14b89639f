"""The store seam: who changes the register, the kinds of change, errors and the protocol.

Every backend (GeoPackage, PostGIS) implements :class:`ProjectStore` with the
same semantics; callers see only these names.

Lost-update rule: every write names the version it was based on
(``base_version``). The ids a write would change (after diffing against the
current register) that any version newer than ``base_version`` changed are
conflicts: the write raises :class:`StaleBase` naming them and who changed
them, and nothing is written. A write touching only other ids goes through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import geopandas as gpd
import pandas as pd

from geodata.coords import CoordSystem
from geodata.schema import Precision

_CONFLICTS_SHOWN = 10


@dataclass(frozen=True)
class Author:
    """Who makes a change, as written into the history.

    Attributes
    ----------
    username : str
        Account name (``who``).
    display_name : str
        Name shown in the history (``who_name``).
    source : str
        ``local``, ``oidc`` or ``system`` (``who_source``).
    """

    username: str
    display_name: str = ""
    source: str = "local"


class Action(StrEnum):
    """Kind of change recorded in the history."""

    CREATE = "create"
    IMPORT = "import"
    EDIT = "edit"
    RESTORE = "restore"
    REVERT = "revert"


class StoreError(RuntimeError):
    """The store cannot be read or written."""


class StoreBusy(StoreError):  # noqa: N818 (the name the app and issue use)
    """Another writer holds the store; nothing was written, try again."""


class StoreNotFound(StoreError):  # noqa: N818 (the name of the contract)
    """No store at the given path or URL (the message names it)."""


class SchemaMismatch(StoreError):  # noqa: N818 (the name of the contract)
    """The store has another schema version than this code reads (both are named)."""


@dataclass(frozen=True)
class Conflict:
    """A project changed since the writer's base version.

    Attributes
    ----------
    project_id : str
        The project.
    version : int
        The newer version that changed it.
    who : str
        Who made that version.
    created_at : str
        When (UTC, ISO-8601).
    """

    project_id: str
    version: int
    who: str
    created_at: str


class StaleBase(StoreError):  # noqa: N818 (the name of the contract)
    """A write based on an old version would overwrite newer changes; nothing was written.

    Parameters
    ----------
    conflicts : sequence of Conflict
        The projects changed since the base version, and by whom.
    """

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        self.conflicts: tuple[Conflict, ...] = tuple(conflicts)
        shown = "; ".join(
            f"{c.project_id} (版本 {c.version}, {c.who}, {c.created_at})"
            for c in self.conflicts[:_CONFLICTS_SHOWN]
        )
        more = len(self.conflicts) - _CONFLICTS_SHOWN
        if more > 0:
            shown += f" … +{more}"
        super().__init__(
            f"这些项目在您读取后已被他人修改，本次未保存：{shown} "
            f"(changed by someone else since your version; nothing was saved)"
        )


class OutsideCountyWarning(UserWarning):
    """A point was set outside the project's stated county (recorded in the version message)."""


class ProjectStore(Protocol):
    """A versioned store of the project register (GeoPackage or PostGIS)."""

    url: str

    def current_version(self) -> int:
        """Return the latest version number (one small query)."""
        ...

    def projects(
        self, *, version: int | None = None, include_unlocated: bool = False
    ) -> gpd.GeoDataFrame:
        """Return the register at ``version`` (default: current), sorted by id."""
        ...

    def review_queue(self) -> gpd.GeoDataFrame:
        """Return projects awaiting a location or located only to county or city."""
        ...

    def history(self) -> pd.DataFrame:
        """Return every version, newest first."""
        ...

    def version_changes(self, version: int) -> pd.DataFrame:
        """Return one row per project ``version`` changed, with its values before and after."""
        ...

    def commit(
        self,
        projects: pd.DataFrame,
        *,
        author: Author,
        base_version: int,
        message: str,
        replace: bool = False,
        action: Action = Action.IMPORT,
    ) -> int:
        """Write projects as a new version, all or nothing; return its number."""
        ...

    def set_location(
        self,
        project_id: str,
        *,
        lon: float,
        lat: float,
        crs: CoordSystem | str = CoordSystem.WGS84,
        author: Author,
        base_version: int,
        precision: Precision = Precision.EXACT,
        message: str = "",
    ) -> int:
        """Set one project's point; return the new version number."""
        ...

    def restore(self, version: int, *, author: Author, base_version: int, message: str = "") -> int:
        """Make an earlier version current again; return the new version number."""
        ...

    def revert(self, version: int, *, author: Author, base_version: int, message: str = "") -> int:
        """Undo exactly the changes of ``version``; return the new version number."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
