"""``python -m geodata.ingest``: see :mod:`geodata.ingest.cli`."""

from __future__ import annotations

from geodata.ingest.cli import main

raise SystemExit(main())
