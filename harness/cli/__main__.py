"""``python -m interop.harness.cli``: the ``interop`` console script."""

from __future__ import annotations

from . import main

main()
