"""The ``interop`` command line: options in, one library call, a renderer, an exit code.

One module per command group, each command a thin adapter over the library (``interop.harness``):

- ``app``: the root app and its groups, ``main()``, the one ``InteropError`` -> exit 2 mapping;
- ``options``: option declarations and formats shared by commands; ``output``: writing results;
- ``check``, ``conform``, ``lint``, ``verify``, ``mock``: one command (group) each;
- ``evolution``: ``diff``, ``impact``, ``publish``;
- ``deploy``: ``record-deployment``, ``can-i-deploy``, ``status``, ``dashboard``, ``store …``;
- ``report``: ``report merge``, ``report render``, ``report import``;
- ``project``: ``init``, ``catalogue show``, ``catalogue fetch`` (a programme repository's config).

Engine modules are imported inside the commands, so that ``interop --help`` starts fast.
"""

from __future__ import annotations

import importlib

from .app import app, main

__all__ = ["app", "main"]

# Each module registers its commands on import; ``interop --help`` lists them in this order.
_MODULES = (
    "check",
    "lint",
    "verify",
    "conform",
    "mock",
    "evolution",
    "deploy",
    "report",
    "project",
)
for _module in _MODULES:
    importlib.import_module(f".{_module}", __name__)
