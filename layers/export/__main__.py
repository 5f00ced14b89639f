"""Run ``python -m layers.export`` (see :mod:`layers.export.cli`)."""

from __future__ import annotations

from layers.export.cli import main

raise SystemExit(main())
