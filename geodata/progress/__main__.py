"""``python -m geodata.progress``: see :mod:`geodata.progress.cli`."""

from __future__ import annotations

from geodata.progress.cli import main

raise SystemExit(main())
