"""``python -m perfeval`` is the ``perfeval`` command."""

from perfeval.cli import main

raise SystemExit(main())
