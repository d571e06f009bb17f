"""``python -m worker`` is ``crosscheck``."""

from worker.cli import main

raise SystemExit(main())
